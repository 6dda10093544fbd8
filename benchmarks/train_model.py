"""Fit respell's decision model on the dev data of ../shared/bench.

    python benchmarks/train_model.py --bench ../shared/bench --out src/respell/data/model.json

Every candidate the matcher proposes on the dev transcripts is labelled by
aligning the ASR words with the reference: a candidate is right when the
reference words aligned to its span are the entity's words. The reference is
used here only, to make labels; the corrector never sees it. A logistic
regression over a dozen features is fitted (scikit-learn, only needed here)
and its weights are written as JSON, which respell reads with plain Python.
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

from respell.correct import lexicon_index
from respell.decide import transform
from respell.lexicon import Entity, Lexicon
from respell.match import find_candidates, tokenize

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


def label_candidates(text, tokens, cands, index, ref_words):
    hyp = [t.text.lower().replace("’", "'") for t in tokens]
    spans = hyp_to_ref_spans(hyp, ref_words)
    labels = []
    for c in cands:
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
        index = lexicon_index(lex)
        tokens = tokenize(text)
        cands = find_candidates(text, tokens, index)
        labels = label_candidates(text, tokens, cands, index, ref)
        for c, lab in zip(cands, labels):
            X.append(c.features)
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
    fit(data, args.out)


def fit(data, out):
    from sklearn.linear_model import LogisticRegression

    names = list(transform(next(iter(data.values()))[0][0]).keys())
    Xs, ys, ws = [], [], []
    for X, y, _ in data.values():
        M = np.array([[transform(f)[n] for n in names] for f in X])
        Xs.append(M)
        ys.append(np.array(y))
        # each benchmark weighs the same, whatever its candidate count
        ws.append(np.full(len(y), 1.0 / max(1, len(y))))
    X, y, w = np.vstack(Xs), np.concatenate(ys), np.concatenate(ws)
    w = w / w.mean()
    mean, scale = X.mean(0), X.std(0)
    scale[scale < 1e-6] = 1.0  # constant in the dev data (sounds_like)
    clf = LogisticRegression(C=1.0, max_iter=2000)
    clf.fit((X - mean) / scale, y, sample_weight=w)
    for n, c in sorted(zip(names, clf.coef_[0]), key=lambda t: -abs(t[1])):
        print(f"  {n:16s} {c:+.3f}", file=sys.stderr)
    model = {
        "features": names, "weights": clf.coef_[0].round(5).tolist(), "bias": round(float(clf.intercept_[0]), 5),
        "mean": mean.round(5).tolist(), "scale": scale.round(5).tolist(),
        "trained_on": sorted(data), "note": "fitted by benchmarks/train_model.py",
    }
    if out:
        out.write_text(json.dumps(model, indent=1) + "\n")
        print(f"wrote {out}", file=sys.stderr)
    return model


if __name__ == "__main__":
    main()
