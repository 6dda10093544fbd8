"""Fit respell's known-list model: lists of names the user knows are in the transcript.

    python benchmarks/train_known.py --bench ../shared/bench --cv
    python benchmarks/train_known.py --bench ../shared/bench --out src/respell/data/model.json
    python benchmarks/train_known.py --trees --talk shipped --out src/respell/data/model.json

(the last is the shipped model: ``shipped`` stands for :data:`SHIPPED_TALK`).

The shipped trees (``train_model.py``) were fitted on biasing lists, where most names
are absent; a short list a user typed is different evidence: its names are there. This
fits a logistic model on top of the trees' log-odds (an offset: the trees are kept as
they are) on every match the matcher proposes with such lists, in two stages: the first
on each match alone, the second with what the rest of the transcript says about its
entity (:mod:`respell.evidence`, measured from the first stage's scores, out of fold),
and what the words around the match share with the words around the entity where it is
written right in the transcript or in the call's documents.
It is written into the model file as ``"known"``; lists that are not known lists are
scored by the trees alone, exactly as before.

The data (the reference only labels matches, as in ``train_model.py``):

* ConEC's participants lists of the 33 dev calls (``conec/participants``, as a user
  pastes them: "Name - firm"), with each of the six recognizers' transcripts, labelled
  by ConEC's corrected references;
* the same with the entities respell finds in each call's documents (``--doc-dir``: the
  PDFs, or text made from them), Google and Microsoft;
* the Earnings-21 per-call lists that are known lists by size (at most
  ``respell.lexicon.KNOWN_MAX`` names), Google and Microsoft;
* with ``--talk``, conversation: the talk episodes named (``talk.py``'s sets, e.g.
  ``--talk "dev test test2:test13,test14"``), each recognizer condition a transcript,
  cased and in lower case, with the typed names and with them and the article (the
  article alone was tried too: more wrong edits on the held-out episodes). The shipped
  model leaves test2's ``test19``-``test24`` and test3's ``test31``-``test36`` out, to
  be checked on.

With ``--trees`` the second stage is the mean (in log-odds) of the logistic offset and
boosted trees (scikit-learn, as ``train_model.py`` fits the shipped ones) on the
match's own inputs, the trees' log-odds and the transcript's evidence: a short list's
matches differ from a biasing list's in more ways than one offset can say (a common
word for a given name, a document's entry, a name repaired elsewhere), and the mean
ranks better than either alone, held out.

``--cv`` holds each call out whole (all its lists and recognizers) in one of five folds
and prints, per source, the edits right / wrong at the default threshold with the trees
alone and with the known-list model.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import earnings21
import train_model as tm

from respell.decide import Forest, known_inputs, known_tree_inputs, log_odds_rows, with_facts
from respell.evidence import measure_evidence
from respell.features import FEATURES
from respell.index import LexiconIndex
from respell.lexicon import Lexicon
from respell.match import find_matches
from respell.words import tokenize

VENDORS = earnings21.VENDORS
THRESHOLD = 0.35
C = 0.3  # inverse L2 strength on standardised weights
# The second stage as boosted trees (``--trees``): small and strongly regularised, with
# the shipped model's log-odds and the sounds' likeness only ever raising the score.
TREES = {"max_iter": 300, "learning_rate": 0.05, "max_leaf_nodes": 15,
         "min_samples_leaf": 40, "l2_regularization": 1.0}
MONOTONIC = {"z": 1, "psim": 1}
#: The talk episodes the shipped model was fitted on (``--talk``): all but test2's
#: test19-test24 and test3's test31-test36, kept out to check it on.
SHIPPED_TALK = ("dev test test2:test13,test14,test15,test16,test17,test18 "
                "test3:test25,test26,test27,test28,test29,test30")


def sources(bench: Path, doc_dir: Path | None, talk_sets=()):
    data, conec = bench / "earnings21", bench / "conec"
    ids = earnings21.split_ids(data, "dev")
    for vendor in VENDORS:
        yield f"participants-{vendor}", lambda v=vendor: _conec(data, conec, ids, v, None)
    if doc_dir is not None:
        for vendor in ("google", "microsoft"):
            yield f"docs-{vendor}", lambda v=vendor: _conec(data, conec, ids, v, doc_dir)
    if talk_sets:
        for docs in ("none", "with"):
            for uncased in (False, True):
                key = f"talk-{docs}{'-uncased' if uncased else ''}"
                yield key, lambda d=docs, u=uncased: _talk(talk_sets, d, u)


def _talk(talk_sets, docs, uncased):
    """The talk episodes (``talk.py``) of ``talk_sets`` ("dev", "test2:test13,test14"),
    each condition a transcript, with the episode's typed names (``docs`` "none") or its
    names and article ("with")."""
    import talk
    from talk_data.make_talk import CONDITIONS, SETS, episodes

    for spec in talk_sets:
        which, _, ids = spec.partition(":")
        folder = SETS[which]
        for ep in episodes(folder):
            if ids and ep["id"] not in ids.split(","):
                continue
            lex = Lexicon.from_entries(talk.episode_list(ep, docs, folder))
            ref = tm.norm(ep["text"].split())
            for cond in CONDITIONS:
                text = (folder / "asr" / cond / f"{ep['id']}.txt").read_text(encoding="utf-8")
                if uncased:
                    text = talk.without_case(text)
                yield f"{which}/{ep['id']}", text, lex, ref
    # (the Earnings-21 per-call lists are left out: the trees were fitted on them, so
    # their log-odds there are in-sample and would teach the offset the wrong lesson)


def _conec(data, conec, ids, vendor, doc_dir):
    for fid in ids:
        if not (data / "asr" / vendor / f"{fid}.nlp").exists():
            continue
        lex = Lexicon.load(conec / "participants" / f"{fid}.txt")
        if doc_dir is not None:
            docs = sorted(p for p in doc_dir.glob(f"{fid}_*"))
            if docs:
                lex = lex + Lexicon(tuple(earnings21.document_entities(docs)))
        ref = tm.norm(r["token"] for r in tm.read_nlp(conec / "refs" / f"{fid}.nlp"))
        yield fid, earnings21.vendor_text(data, fid, vendor), lex, ref


def _percall(data, ids, vendor):
    for fid in ids:
        lex = Lexicon.from_entries(earnings21.call_entities(data, fid))
        if not lex.known:
            continue
        ref = tm.norm(r["token"] for r in tm.read_nlp(data / "refs" / f"{fid}.nlp"))
        yield fid, earnings21.vendor_text(data, fid, vendor), lex, ref


def collect(docs) -> list[dict]:
    """Per transcript: the matches' raw columns, the trees' log-odds, labels, spans and
    the places where each entity is written right."""
    out = []
    for fid, text, lex, ref in docs:
        index = LexiconIndex.of(lex)
        tokens = tokenize(text)
        found = find_matches(text, tokens, index)
        if not found.matches:
            continue
        n = len(found.matches)
        rows = np.array([m.features for m in found.matches], dtype=float).reshape(n, len(FEATURES))
        columns = with_facts(dict(zip(FEATURES, rows.T)), found.facts, n)
        out.append({
            "call": fid,
            "columns": columns,
            "z": log_odds_rows(columns, n, told=False),
            "labels": np.array(tm.label_matches(text, tokens, found.matches, index, ref)),
            "spans": [(m.i, m.j, index.entries[m.entry].variant.entity) for m in found.matches],
            "present": found.spans.present,
            # what each entity is said with (respell.evidence): the transcript's words,
            # the entities' lengths in words and the words around them in the documents
            "words": [t.text for t in tokens],
            "lengths": {e: len(lex.entities[e].text.split()) for e in found.spans.present},
            "context": {e: lex.entities[e].context
                        for e in {index.entries[m.entry].variant.entity for m in found.matches}},
            "n_entities": found.facts.n_entities,
            "known": found.facts.known,
        })
    return out


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def _design(docs, evidence=None, inputs=known_inputs):
    """Each match's ``inputs`` (the logistic stages' columns, or the trees'), stacked."""
    names, Xs = None, []
    for k, d in enumerate(docs):
        x = inputs(d["columns"], d["z"], d["n_entities"], None if evidence is None else evidence[k])
        names = names or list(x)
        Xs.append(np.column_stack([x[n] for n in names]))
    return names, np.vstack(Xs)


def fit_trees(names, X, y, w):
    from sklearn.ensemble import HistGradientBoostingClassifier

    keep = w > 0
    clf = HistGradientBoostingClassifier(
        random_state=0, monotonic_cst=[MONOTONIC.get(n, 0) for n in names], **TREES)
    return clf.fit(X[keep], y[keep], sample_weight=w[keep])


def fit_offset(X, z, y, w):
    """Logistic regression on standardised X with the trees' log-odds z as an offset."""
    from scipy.optimize import minimize

    mu, sd = X.mean(0), X.std(0)
    sd[sd < 1e-6] = 1.0
    Xs = (X - mu) / sd
    k = X.shape[1]

    def loss(p):
        b, c = p[:k], p[k]
        s = z + Xs @ b + c
        q = _sigmoid(s)
        g = w * (q - y)
        return ((w * (np.logaddexp(0, s) - y * s)).sum() + 0.5 * b @ b / C,
                np.concatenate([Xs.T @ g + b / C, [g.sum()]]))

    p = minimize(loss, np.zeros(k + 1), jac=True, method="L-BFGS-B").x
    return {"weights": p[:k], "bias": p[k], "mean": mu, "scale": sd}


def predict(stage, X, z, names=None):
    """The known-list log-odds; with the columns' ``names``, as respell applies them (an
    offset that would lower a name the user listed is dropped: respell.decide)."""
    Xs = (X - stage["mean"]) / stage["scale"]
    offset = Xs @ stage["weights"] + stage["bias"]
    if names is not None:
        col = {n: X[:, k] for k, n in enumerate(names)}
        fitted = (col["short_form"] + col["part"] + col["from_document"] + col["from_pattern"]) > 0
        offset = np.where(fitted, offset, np.maximum(offset, 0.0))
    return z + offset


def _weights(data_keys, docs_by_key):
    """Each source weighs the same."""
    w = []
    for key in data_keys:
        n = sum(len(d["labels"]) for d in docs_by_key[key])
        w.append(np.full(n, 1.0 / max(1, n)))
    w = np.concatenate(w)
    return w / w.mean()


def _evidence(docs, probs):
    out, at = [], 0
    for d in docs:
        n = len(d["labels"])
        out.append(measure_evidence(d["spans"], probs[at:at + n], d["present"],
                                    range(d["n_entities"]), words=d["words"],
                                    lengths=d["lengths"], known_context=d["context"]))
        at += n
    return out


def run(data: dict, *, cv: bool, out: Path | None, trees: bool = False, talk=()):
    keys = sorted(data)
    docs = [d for k in keys for d in data[k]]
    source = np.concatenate([[k] * sum(len(d["labels"]) for d in data[k]) for k in keys])
    y = np.concatenate([d["labels"] for d in docs]).astype(float)
    # the trees' log-odds as the shipped trees give them now (a cache may be older than a
    # refit of the trees: train_model.py, then this)
    z = np.concatenate([log_odds_rows(d["columns"], len(d["labels"]), told=False) for d in docs])
    for d, start in zip(docs, np.cumsum([0] + [len(d["labels"]) for d in docs])):
        d["z"] = z[start:start + len(d["labels"])]
    w = _weights(keys, data)
    # a change of case alone is right by these labels whenever the letters are (the
    # references are compared in lower case): it says nothing of the model, and is left
    # to the rules that judge such changes (respell.correct)
    same = np.concatenate([d["columns"]["same_letters"] for d in docs]) > 0
    w = np.where(same, 0.0, w)
    names1, X1 = _design(docs)
    calls = np.concatenate([[d["call"]] * len(d["labels"]) for d in docs])
    fold = tm.folds_by_unit(calls)
    # stage 1, out of fold: the first-pass scores the evidence is measured from
    oof1 = np.zeros(len(y))
    for f in range(5):
        tr, te = fold != f, fold == f
        oof1[te] = predict(fit_offset(X1[tr], z[tr], y[tr], w[tr]), X1[te], z[te], names1)
    ev = _evidence(docs, _sigmoid(oof1))
    names2, X2 = _design(docs, ev)
    if trees:
        namest, Xt = _design(docs, ev, known_tree_inputs)
    if cv:
        oof2 = np.zeros(len(y))
        for f in range(5):
            tr, te = fold != f, fold == f
            oof2[te] = predict(fit_offset(X2[tr], z[tr], y[tr], w[tr]), X2[te], z[te], names2)
            if trees:
                forest = fit_trees(namest, Xt[tr], y[tr], w[tr])
                oof2[te] = (oof2[te] + forest.decision_function(Xt[te])) / 2
        _report(keys, source, y, {"trees": z, "known 1": oof1, "known 2": oof2}, w > 0)
    stage1 = fit_offset(X1, z, y, w)
    stage2 = fit_offset(X2, z, y, w)
    for name, wt in sorted(zip(names2, stage2["weights"]), key=lambda t: -abs(t[1])):
        print(f"  {name:16s} {wt:+.3f}", file=sys.stderr)
    second = _export(names2, stage2)
    if trees:
        clf = fit_trees(namest, Xt, y, w)
        spec = tm.export_trees(clf)
        mine, theirs = Forest(spec)(Xt), clf.decision_function(Xt)
        assert np.allclose(mine, theirs, atol=1e-9), np.abs(mine - theirs).max()
        second = {"kind": "trees", "features": namest, "trees": spec,
                  "settings": dict(TREES, monotonic=MONOTONIC), "linear": second}
    if out:
        model = json.loads(out.read_text()) if out.exists() else {}
        model["known"] = {
            "first": _export(names1, stage1), "second": second,
            "trained_on": keys, "threshold_note": f"fitted for the default threshold {THRESHOLD}",
            "note": "fitted by benchmarks/train_known.py on top of the trees' log-odds"
                    + (" (second stage: the mean of that and boosted trees on the match's "
                       "inputs, the trees' log-odds and the transcript's evidence)"
                       if trees else ""),
        }
        if talk:
            model["known"]["talk"] = talk
        out.write_text(json.dumps(model, separators=(",", ":")) + "\n")
        print(f"wrote {out}", file=sys.stderr)


def _export(names, stage):
    return {"features": names, "weights": np.round(stage["weights"], 6).tolist(),
            "bias": round(float(stage["bias"]), 6), "mean": np.round(stage["mean"], 6).tolist(),
            "scale": np.round(stage["scale"], 6).tolist()}


def _report(keys, source, y, scores, keep):
    from sklearn.metrics import average_precision_score

    for key in keys:
        m = (source == key) & keep
        line = [f"{key:24s} right {int(y[m].sum()):5d}"]
        for name, s in scores.items():
            p = _sigmoid(s[m])
            above = p >= THRESHOLD
            line.append(f"{name}: AP {average_precision_score(y[m], p):.3f} "
                        f"{int(y[m][above].sum())}/{int((1 - y[m][above]).sum())}")
        print("  ".join(line))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bench", type=Path, default=Path(__file__).resolve().parents[2] / "shared/bench")
    p.add_argument("--doc-dir", type=Path, default=None,
                   help="each call's documents <id>_N.{pdf,txt} (default: BENCH/conec/pdfs)")
    p.add_argument("--no-docs", action="store_true", help="leave the document sources out")
    p.add_argument("--cache", type=Path, default=Path("/tmp/respell-known.pkl"))
    p.add_argument("--refresh", action="store_true")
    p.add_argument("--cv", action="store_true")
    p.add_argument("--talk", default="",
                   help="talk episodes to fit on as well, space-separated SET[:ID,ID] "
                        "(talk.py's sets; keep some out to check on), or 'shipped' for "
                        "those of the shipped model")
    p.add_argument("--out", type=Path)
    p.add_argument("--trees", action="store_true",
                   help="fit the second stage as boosted trees (scikit-learn)")
    a = p.parse_args(argv)
    doc_dir = None if a.no_docs else (a.doc_dir or a.bench / "conec" / "pdfs")
    data = pickle.loads(a.cache.read_bytes()) if a.cache.exists() and not a.refresh else {}
    talk = (SHIPPED_TALK if a.talk == "shipped" else a.talk).split()
    wanted = dict(sources(a.bench, doc_dir, talk))
    data = {key: docs for key, docs in data.items() if key in wanted}
    for key, make in wanted.items():
        if key not in data:
            t = time.time()
            data[key] = [d for d in collect(make()) if d["known"]]
            n = sum(len(d["labels"]) for d in data[key])
            right = sum(int(d["labels"].sum()) for d in data[key])
            print(f"{key}: {len(data[key])} transcripts, {n} matches, {right} right, "
                  f"{time.time() - t:.0f} s", file=sys.stderr)
            a.cache.write_bytes(pickle.dumps(data))
    run(data, cv=a.cv, out=a.out, trees=a.trees, talk=talk)


if __name__ == "__main__":
    main()
