"""Fit respell's decision model on the dev data of ../shared/bench.

    python benchmarks/train_model.py --bench ../shared/bench --out src/respell/data/model.json

Every candidate the matcher proposes on the dev transcripts is labelled by
aligning the ASR words with the reference: a candidate is right when the
reference words aligned to its span are the entity's words. The reference is
used here only, to make labels; the corrector never sees it.

By default (``--kind trees``) gradient-boosted trees are fitted
(scikit-learn's HistGradientBoostingClassifier, only needed here, ``pip install
scikit-learn``) and written as flat arrays that respell evaluates with numpy
(``respell.decide.Forest``; checked here to give scikit-learn's own log-odds).
Sound similarity may only raise the score and the words' frequency only lower
it (monotonic constraints), so the model cannot learn a quirk of the dev data
against them. Held out by call or speaker
(``--cv``), the trees rank candidates better than the logistic model
(``--kind logistic``, the earlier one) on every benchmark.

With ``--base MODEL`` the base model's weights are kept as they are and only
the features it lacks are fitted, on top of its score (an offset): new evidence
is added without moving the operating point the threshold was chosen for.

    python benchmarks/train_model.py --bench ../shared/bench --base src/respell/data/model.json \
        --out src/respell/data/model.json

The base's own features are recorded as ``base_features``, so running this again
on its output refits the same added features.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import pickle
import re
import sys
import time
from pathlib import Path

import numpy as np
from rapidfuzz.distance import Levenshtein

from respell.decide import linear_log_odds, model_inputs, transform
from respell.index import LexiconIndex
from respell.lexicon import Entity, Lexicon
from respell.match import find_matches
from respell.words import tokenize

NAMED = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW")


def norm(words):
    out = []
    for w in words:
        for t in w.replace("-", " ").replace("’", "'").lower().split():
            t = re.sub(r"^[^\w']+|[^\w']+$", "", t)
            if t:
                out.append(t)
    return out


def hyp_to_ref_spans(hyp, ref):
    """For each hyp token, the ref index range [a, b) aligned to it (insertions: empty)."""
    ops = Levenshtein.opcodes(hyp, ref)
    spans = [None] * len(hyp)
    for op in ops:
        if op.tag in ("equal", "replace"):
            n_h, n_r = op.src_end - op.src_start, op.dest_end - op.dest_start
            for k in range(n_h):
                a = op.dest_start + (k * n_r) // n_h
                b = op.dest_start + ((k + 1) * n_r) // n_h
                spans[op.src_start + k] = (a, b)
        elif op.tag == "delete":  # hyp token with no ref
            for k in range(op.src_start, op.src_end):
                spans[k] = (op.dest_start, op.dest_start)
    return spans


def label_matches(text, tokens, matches, index, ref_words):
    hyp = [t.text.lower().replace("’", "'") for t in tokens]
    spans = hyp_to_ref_spans(hyp, ref_words)
    labels = []
    for c in matches:
        a = min(spans[k][0] for k in range(c.i, c.j))
        b = max(spans[k][1] for k in range(c.i, c.j))
        target = norm(index.entries[c.entry].variant.text.split())
        labels.append(int(ref_words[a:b] == target))
    return labels


def librispeech(bench: Path, lists: Path, tag: str):
    hyp_lines = (bench / "librispeech_bias/test-clean.b1.rnnt_baseline.tsv").read_text().splitlines()
    hyps = dict(line.split("\t", 1) for line in hyp_lines if line)
    rows = []
    for line in Path(lists).read_text().splitlines():
        uid, ref, _, biasing = line.split("\t")
        rows.append((uid, ref, json.loads(biasing)))
    for uid, ref, words in rows:
        text = hyps.get(uid, "")
        yield f"{tag}:{uid}", text, Lexicon.from_entries(words), norm(ref.split())


def read_nlp(path):
    rows = list(csv.reader(io.StringIO(path.read_text()), delimiter="|", quotechar=None))
    head = rows[0]
    return [dict(zip(head, r)) for r in rows[1:] if r]


def earnings(bench: Path, vendor: str, lists: str):
    data = bench / "earnings21"
    distract = None
    if lists == "distractors":
        distract = Lexicon.from_entries(
            l.strip() for l in (data / "bias_lists/distractor_list.txt").read_text().splitlines()
        )
    for ref_path in sorted((data / "refs").glob("*.nlp")):
        fid = ref_path.stem
        asr = read_nlp(data / "asr" / vendor / f"{fid}.nlp")
        text = " ".join(r["token"] + r.get("punctuation", "") for r in asr)
        refrows = read_nlp(ref_path)
        tags = json.loads((data / "wer_tags" / f"{fid}.wer_tag.json").read_text())
        ents, cur, cur_id, cur_cls = [], [], None, None
        for r in refrows + [{"token": "", "wer_tags": "[]"}]:
            ids = json.loads(r.get("wer_tags", "[]").replace("'", '"') or "[]")
            named = [i for i in ids if tags.get(i, {}).get("entity_type") in NAMED]
            mid = named[0] if named else None
            if mid != cur_id and cur:
                ents.append(Entity(" ".join(cur).strip(" ,."), cur_cls))
                cur = []
            if mid is not None:
                cur.append(r["token"])
                cur_cls = tags[mid]["entity_type"]
            cur_id = mid
        lex = distract if distract is not None else Lexicon.from_entries(e for e in ents if e.text)
        ref_words = norm(r["token"] for r in refrows)
        yield f"e21-{vendor}-{lists}:{fid}", text, lex, ref_words


def collect(docs):
    X, y, groups = [], [], []
    for name, text, lex, ref in docs:
        index = LexiconIndex.of(lex)
        tokens = tokenize(text)
        found = find_matches(text, tokens, index)
        labels = label_matches(text, tokens, found.matches, index, ref)
        for m, lab in zip(found.matches, labels):
            X.append(model_inputs(m.features, found.facts))
            y.append(lab)
            groups.append(name)
    return X, y, groups


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bench", type=Path, default=Path(__file__).resolve().parents[2] / "shared/bench")
    p.add_argument("--lists1000", type=Path, default=Path("/tmp/test-clean.biasing_1000.tsv"))
    p.add_argument("--cache", type=Path, default=Path("/tmp/respell-train.pkl"))
    p.add_argument("--out", type=Path)
    p.add_argument("--refresh", action="store_true")
    p.add_argument("--base", type=Path, help="keep this model's weights; fit only the features it lacks")
    p.add_argument("--kind", choices=["trees", "logistic"], default="trees")
    p.add_argument("--cv", action="store_true", help="report held-out precision (5 folds by call/speaker)")
    args = p.parse_args(argv)
    if args.cache.exists() and not args.refresh:
        data = pickle.loads(args.cache.read_bytes())
    else:
        data = {}
        sources = {
            "ls100": lambda: librispeech(args.bench, args.bench / "librispeech_bias/test-clean.biasing_100.tsv", "ls100"),
            "ls1000": lambda: librispeech(args.bench, args.lists1000, "ls1000"),
            "e21-google-percall": lambda: earnings(args.bench, "google", "per-call"),
            "e21-microsoft-percall": lambda: earnings(args.bench, "microsoft", "per-call"),
            "e21-google-distractors": lambda: earnings(args.bench, "google", "distractors"),
        }
        for key, make in sources.items():
            t = time.time()
            data[key] = collect(make())
            print(f"{key}: {len(data[key][0])} candidates, {sum(data[key][1])} right, {time.time()-t:.1f}s", file=sys.stderr)
        args.cache.write_bytes(pickle.dumps(data))
    if args.cv:
        cross_validate(data, args.kind)
    elif args.base:
        fit_on_top(data, json.loads(args.base.read_text()), args.out)
    elif args.kind == "trees":
        fit_trees(data, args.out)
    else:
        fit(data, args.out)


# Sound similarity may only raise the score, how common the span's words are only lower
# it. (Constraining spelling similarity and the margin too cost held-out precision on
# all three Earnings-21 sets, at 300 rounds: average precision 0.887/0.889/0.874 against
# 0.890/0.891/0.878.)
MONOTONIC = {"psim": 1, "psim2": 1, "sounds_like": 1,
             "span_zipf_max": -1, "span_zipf_mean": -1}
TREES = {"max_iter": 150, "learning_rate": 0.1, "max_depth": 5, "min_samples_leaf": 40,
         "l2_regularization": 1.0}


def _matrix(data):
    """Features (rows: candidates), labels, weights (each benchmark weighs the same), groups."""
    names = list(transform(next(iter(data.values()))[0][0]).keys())
    Xs, ys, ws, groups = [], [], [], []
    for key, (X, y, docs) in data.items():
        columns = _columns(X)
        Xs.append(np.column_stack([columns[n] for n in names]))
        ys.append(np.array(y))
        ws.append(np.full(len(y), 1.0 / max(1, len(y))))
        # a call, or a LibriSpeech speaker ("ls100:1089-134686-0000" -> 1089)
        groups += [f"{key}|{d.split(':', 1)[1].split('-')[0]}" for d in docs]
    w = np.concatenate(ws)
    return names, np.vstack(Xs), np.concatenate(ys), w / w.mean(), np.array(groups)


def _trees(names):
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        random_state=0, monotonic_cst=[MONOTONIC.get(n, 0) for n in names], **TREES
    )


def fit_trees(data, out):
    names, X, y, w, _ = _matrix(data)
    clf = _trees(names).fit(X, y, sample_weight=w)
    spec = export_trees(clf)
    from respell.decide import Forest

    mine, theirs = Forest(spec)(X), clf.decision_function(X)
    assert np.allclose(mine, theirs, atol=1e-9), np.abs(mine - theirs).max()
    model = {
        "kind": "trees", "features": names, "trees": spec, "trained_on": sorted(data),
        "settings": dict(TREES, monotonic={n: c for n, c in MONOTONIC.items() if n in names}),
        "note": "fitted by benchmarks/train_model.py (scikit-learn HistGradientBoostingClassifier)",
    }
    if out:
        out.write_text(json.dumps(model, separators=(",", ":")) + "\n")
        print(f"wrote {out}: {len(spec['roots'])} trees, {len(spec['value'])} nodes", file=sys.stderr)
    return model


def export_trees(clf):
    """scikit-learn's trees as the flat arrays of respell.decide.Forest."""
    feature, threshold, left, right, value, roots = [], [], [], [], [], []
    depth = 0
    for (tree,) in clf._predictors:  # one tree per round (two classes)
        nodes, base = tree.nodes, len(value)
        roots.append(base)
        for k, node in enumerate(nodes):
            leaf = bool(node["is_leaf"])
            assert leaf or not node["is_categorical"]
            feature.append(0 if leaf else int(node["feature_idx"]))
            threshold.append(float("inf") if leaf else float(node["num_threshold"]))
            left.append(base + (k if leaf else int(node["left"])))
            right.append(base + (k if leaf else int(node["right"])))
            value.append(float(node["value"]) if leaf else 0.0)
            depth = max(depth, int(node["depth"]))
    return {"baseline": float(np.ravel(clf._baseline_prediction)[0]), "depth": depth, "roots": roots,
            "feature": feature, "threshold": threshold, "left": left, "right": right, "value": value}


def folds_by_unit(units, k: int = 5) -> np.ndarray:
    """Each row's fold (0 to k-1), drawn once per unit (a speaker, a call: seeded), so a
    unit is held out whole."""
    unique = np.unique(units)
    fold_of = dict(zip(unique, np.random.default_rng(0).integers(0, k, len(unique))))
    return np.array([fold_of[u] for u in units])


def cross_validate(data, kind):
    """Average precision of held-out scores, 5 folds by call or speaker, per benchmark."""
    from sklearn.metrics import average_precision_score

    names, X, y, w, groups = _matrix(data)
    # a fold holds a speaker or a call whole, with every list and recognizer it comes in:
    # the same words under another list would otherwise be seen in training
    units = np.array([("ls" if g.startswith("ls") else "e21") + ":" + g.split("|")[1] for g in groups])
    fold = folds_by_unit(units)
    held_out = np.zeros(len(y))
    for f in range(5):
        train, test = fold != f, fold == f
        if kind == "trees":
            held_out[test] = _trees(names).fit(X[train], y[train], sample_weight=w[train]).predict_proba(X[test])[:, 1]
        else:
            clf, mean, scale = _logistic(X[train], y[train], w[train])
            held_out[test] = clf.predict_proba((X[test] - mean) / scale)[:, 1]
    sources = np.array([g.split("|")[0] for g in groups])
    for key in data:
        m = sources == key
        above = held_out[m] >= 0.4
        print(f"{key:24s} AP {average_precision_score(y[m], held_out[m]):.4f}  "
              f"at 0.4: {int(y[m][above].sum())} right, {int((1 - y[m][above]).sum())} wrong")


def fit(data, out):
    """The logistic model (``--kind logistic``)."""
    names, X, y, w, _ = _matrix(data)
    clf, mean, scale = _logistic(X, y, w)
    for n, c in sorted(zip(names, clf.coef_[0]), key=lambda t: -abs(t[1])):
        print(f"  {n:16s} {c:+.3f}", file=sys.stderr)
    model = {
        "kind": "logistic", "features": names, "weights": clf.coef_[0].round(5).tolist(),
        "bias": round(float(clf.intercept_[0]), 5), "mean": mean.round(5).tolist(),
        "scale": scale.round(5).tolist(), "trained_on": sorted(data),
        "note": "fitted by benchmarks/train_model.py",
    }
    if out:
        out.write_text(json.dumps(model, indent=1) + "\n")
        print(f"wrote {out}", file=sys.stderr)
    return model


def _logistic(X, y, w):
    """A logistic regression on standardised features; returns it with the mean and scale."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = X.mean(0), X.std(0)
    scale[scale < 1e-6] = 1.0  # constant in the dev data (sounds_like)
    clf = LogisticRegression(C=1.0, max_iter=2000).fit((X - mean) / scale, y, sample_weight=w)
    return clf, mean, scale


def _columns(X):
    """The transformed features of a list of feature dicts, as arrays (one per feature)."""
    raw = {k: np.array([f.get(k, 0.0) for f in X], dtype=float) for k in X[0]}
    return {k: np.broadcast_to(np.asarray(v, dtype=float), (len(X),)) for k, v in transform(raw).items()}


def fit_on_top(data, base, out, C=1.0):
    """Keep ``base``'s weights; fit the features it lacks with its score as an offset.

    Same loss as :func:`fit` (each benchmark weighs the same, L2 penalty 1/C on
    standardised weights), minimised over the new weights only.
    """
    from scipy.optimize import minimize

    kept = base.get("base_features", base["features"])
    k = len(kept)
    weights, mean, scale = base["weights"][:k], base["mean"][:k], base["scale"][:k]
    names, matrix, y, w, _ = _matrix(data)
    column = dict(zip(names, matrix.T))
    z = linear_log_odds({"features": kept, "weights": weights, "mean": mean, "scale": scale,
                 "bias": base["bias"]}, column, len(y))  # the base model's log-odds
    new = [n for n in names if n not in kept]
    X = np.column_stack([column[n] for n in new])
    mu, sd = X.mean(0), X.std(0)
    sd[sd < 1e-6] = 1.0
    Xs = (X - mu) / sd

    def loss(b):
        s = z + Xs @ b
        p = 1.0 / (1.0 + np.exp(-s))
        return (w * (np.logaddexp(0, s) - y * s)).sum() + 0.5 * b @ b / C, Xs.T @ (w * (p - y)) + b / C

    b = minimize(loss, np.zeros(len(new)), jac=True, method="L-BFGS-B").x
    for n, c in zip(new, b):
        print(f"  {n:16s} {c:+.3f} (on top of {len(kept)} base features)", file=sys.stderr)
    model = dict(base)
    model.update(
        features=list(kept) + new, weights=list(weights) + b.round(5).tolist(),
        mean=list(mean) + mu.round(5).tolist(), scale=list(scale) + sd.round(5).tolist(),
        base_features=list(kept), added_on=sorted(data),
        note="fitted by benchmarks/train_model.py; features after base_features with --base",
    )
    if out:
        out.write_text(json.dumps(model, indent=1) + "\n")
        print(f"wrote {out}", file=sys.stderr)
    return model


if __name__ == "__main__":
    main()
