#!/usr/bin/env python3
"""Earnings-21 entity benchmark: correct vendor ASR of each call, score entity errors.

    python benchmarks/earnings21.py --data ../shared/bench/earnings21 --vendor google \\
        --lists per-call --out /tmp/e21.google.percall [--system respell|rapidfuzz|spaczz|none] \\
        [--jobs N]

DIR has the layout of ../shared/bench/earnings21 (metadata.csv, optional eval10.csv,
refs/, wer_tags/, asr/<vendor>/, bias_lists/). Lists:

* ``per-call``: each call's own named entities, taken from its reference
  annotations as ``e21.py export`` builds them, with the entity class as label
  (a user who knows the call knows what each name is). Written to
  OUTDIR/lists/<id>.jsonl so the run can be inspected and repeated.
* ``distractors``: bias_lists/distractor_list.txt (1,782 phrases, upper-case as
  published) for every call, without labels.

Writes OUTDIR/<id>.txt (so ``e21.py score --hyp-dir OUTDIR`` scores it too) and
prints WER, named-entity WER, per-class WER, entity-mention recall and time.
Scoring (same normalization and alignment as e21.py) reads the references only
after every call is corrected; the per-call lists come from the references, as
the benchmark defines them, but only the entity names and classes.

From Python::

    from benchmarks.earnings21 import run
    summary = run("../shared/bench/earnings21", vendor="google", lists="per-call",
                  out="/tmp/e21", system="respell", min_score=0.6)
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # peers.py beside this file

import peers

from respell.batch import resolve_jobs
from respell.errors import OptionError
from respell.evaluate import (
    EntityScores,
    Mention,
    edit_labels,
    edits_between,
    normalize,
    score_mentions,
)
from respell.lexicon import Entity

#: entity classes of Earnings-21 that count as named entities (as e21.py)
NAMED = ("PERSON", "ORG", "PRODUCT", "GPE", "NORP", "LOC", "FAC", "EVENT", "WORK_OF_ART", "LAW",
         "LANGUAGE")
#: classes that go into a per-call entity list (as e21.py export)
LISTED = NAMED[:-1]
#: classes reported one by one
REPORTED = ("PERSON", "ORG", "PRODUCT", "GPE", "NORP")


def split_ids(data: Path, split: str) -> list[str]:
    """Call ids of a split (``all``, ``dev`` = all but eval10, ``eval10``) present in DATA."""
    def ids(name: str) -> list[str]:
        path = data / name
        if not path.exists():
            return []
        return [r["file_id"] for r in csv.DictReader(io.StringIO(path.read_text("utf-8")))]

    everything, held_out = ids("metadata.csv"), ids("eval10.csv")
    present = {p.stem for p in (data / "refs").glob("*.nlp")}
    chosen = {"all": everything, "eval10": held_out,
              "dev": [i for i in everything if i not in held_out]}[split]
    return [i for i in chosen if i in present]


def read_nlp(text: str) -> list[dict]:
    rows = list(csv.reader(io.StringIO(text), delimiter="|", quotechar=None))
    head, body = rows[0], rows[1:]
    return [dict(zip(head, r)) for r in body if r]


def vendor_text(data: Path, fid: str, vendor: str) -> str:
    """The vendor's transcript as plain text: tokens and their punctuation, space-separated."""
    rows = read_nlp((data / "asr" / vendor / f"{fid}.nlp").read_text("utf-8"))
    return " ".join(r["token"] + r.get("punctuation", "") for r in rows) + "\n"


def _annotated(data: Path, fid: str) -> list[tuple[str, str | None, str | None]]:
    """(token, mention id, class) of each reference token; named classes only."""
    rows = read_nlp((data / "refs" / f"{fid}.nlp").read_text("utf-8"))
    tags = json.loads((data / "wer_tags" / f"{fid}.wer_tag.json").read_text("utf-8"))
    out = []
    for r in rows:
        ids = json.loads(r.get("wer_tags", "[]").replace("'", '"') or "[]")
        named = [i for i in ids if tags.get(i, {}).get("entity_type") in NAMED]
        out.append((r["token"], named[0] if named else None,
                    tags[named[0]]["entity_type"] if named else None))
    return out


def call_entities(data: Path, fid: str) -> list[Entity]:
    """The call's own named entities with their class (the ``per-call`` list)."""
    mentions: list[tuple[str, str]] = []
    cur: list[str] = []
    cur_id = cur_cls = None
    for tok, mid, cls in [*_annotated(data, fid), ("", None, None)]:
        if mid != cur_id and cur:
            mentions.append((" ".join(cur), cur_cls))
            cur = []
        if mid is not None and cls in LISTED:
            cur.append(tok)
            cur_cls = cls
        cur_id = mid
    labels: dict[str, Counter] = {}
    for text, cls in mentions:
        text = text.strip(" ,.")
        if text:
            labels.setdefault(text, Counter())[cls] += 1
    return [Entity(t, labels[t].most_common(1)[0][0], count=sum(labels[t].values()))
            for t in sorted(labels)]


def distractors(data: Path) -> list[Entity]:
    """The published distractor list (oracle phrases of all 44 calls + 769 others)."""
    lines = (data / "bias_lists" / "distractor_list.txt").read_text("utf-8").splitlines()
    return [Entity(line.strip()) for line in lines if line.strip()]


def reference(data: Path, fid: str) -> tuple[list[str], list[Mention]]:
    """Normalized reference words and the named-entity mentions among them."""
    words: list[str] = []
    where: dict[str, list[int]] = {}
    label: dict[str, str] = {}
    for tok, mid, cls in _annotated(data, fid):
        for w in normalize(tok):
            if mid is not None:
                where.setdefault(mid, []).append(len(words))
                label[mid] = cls
            words.append(w)
    mentions = [Mention(p[0], p[-1] + 1, label[m], tuple(p)) for m, p in where.items()]
    return words, mentions


def run(
    data: str | Path,
    *,
    vendor: str = "google",
    lists: str = "per-call",
    out: str | Path,
    system: str = "respell",
    min_score: float | None = None,
    split: str = "dev",
    calls: list[str] | None = None,
    score_it: bool = True,
    jobs: int = 1,
) -> dict:
    """Correct every call of the split, write OUTDIR/<id>.txt, score; returns a summary.

    respell with ``jobs`` other than 1 corrects the calls on :func:`respell.fix_many`'s
    process pool; ``seconds`` is then the wall time of the whole correction and the
    slowest call is not timed. The other systems always run in this process.
    """
    data, out = Path(data), Path(out)
    ids = calls or split_ids(data, split)
    if not ids:
        raise SystemExit(f"no calls of split {split!r} in {data}")
    out.mkdir(parents=True, exist_ok=True)
    if system == "respell" and resolve_jobs(jobs) != 1:
        summary = _correct_pooled(data, ids, vendor=vendor, lists=lists, out=out,
                                  min_score=min_score, jobs=resolve_jobs(jobs))
        if score_it:
            summary.update(score(data, out, ids, vendor=vendor))
        return summary
    shared = None
    build = 0.0
    if lists == "distractors":  # one corrector for all calls: its build time counts once
        start = time.perf_counter()
        shared = peers.make(system, distractors(data), min_score=min_score)
        build = time.perf_counter() - start
    seconds: dict[str, float] = {}
    for fid in ids:
        text = vendor_text(data, fid, vendor)
        start = time.perf_counter()
        if shared is None:
            ents = call_entities(data, fid)
            _export(out, fid, ents)
            start = time.perf_counter()  # time the correction, not the list export
            fixed = peers.make(system, ents, min_score=min_score)(text)
        else:
            fixed = shared(text)
        seconds[fid] = time.perf_counter() - start
        (out / f"{fid}.txt").write_text(fixed, encoding="utf-8")
    summary = {
        "system": system, "vendor": vendor, "lists": lists, "min_score": min_score,
        "calls": len(ids), "jobs": 1, "seconds": round(build + sum(seconds.values()), 2),
        "max_call_seconds": round(max(seconds.values()), 2),
    }
    if score_it:  # references are read only now, after all correction is done
        summary.update(score(data, out, ids, vendor=vendor))
    return summary


def _export(out: Path, fid: str, ents: list[Entity]) -> None:
    (out / "lists").mkdir(exist_ok=True)
    (out / "lists" / f"{fid}.jsonl").write_text(
        "".join(json.dumps({"text": e.text, "label": e.label}) + "\n" for e in ents),
        encoding="utf-8",
    )


def _correct_pooled(data: Path, ids: list[str], *, vendor: str, lists: str, out: Path,
                    min_score: float | None, jobs: int) -> dict:
    """respell over every call on ``jobs`` processes: the same files as one by one."""
    from respell.batch import fix_many

    shared = distractors(data) if lists == "distractors" else None

    def items():
        for fid in ids:
            text = vendor_text(data, fid, vendor)
            if shared is not None:
                yield text
            else:
                ents = call_entities(data, fid)
                _export(out, fid, ents)
                yield text, ents

    start = time.perf_counter()
    for fid, result in zip(ids, fix_many(items(), entities=shared, jobs=jobs,
                                         min_score=min_score)):
        (out / f"{fid}.txt").write_text(result.text, encoding="utf-8")
    return {
        "system": "respell", "vendor": vendor, "lists": lists, "min_score": min_score,
        "calls": len(ids), "jobs": jobs, "seconds": round(time.perf_counter() - start, 2),
        "max_call_seconds": None,
    }


def score(data: Path, hyp_dir: Path, ids: list[str], *, vendor: str | None = None) -> dict:
    """WER, NE-WER, per-class WER and mention recall of HYP_DIR/<id>.txt, as e21.py scores.

    With ``vendor``, also how many word edits from the vendor's text were right.
    """
    total = None
    right = wrong = 0
    for fid in ids:
        ref, mentions = reference(data, fid)
        hyp = normalize((hyp_dir / f"{fid}.txt").read_text("utf-8"))
        s = score_mentions(ref, hyp, mentions)
        total = s if total is None else total + s
        if vendor:
            src = normalize(vendor_text(data, fid, vendor))
            if src != hyp:
                edits = edits_between(src, hyp)
                labels = edit_labels(src, ref, edits)
                right += sum(labels)
                wrong += len(labels) - sum(labels)
    out = figures(total)
    if vendor:
        out.update(edits_right=right, edits_wrong=wrong)
    return out


def figures(s: EntityScores) -> dict:
    out = {"WER": s.words.percent, "NE-WER": s.entity_words.percent,
           "mention_recall": round(100 * s.recall, 2)}
    for c in REPORTED:
        if c in s.by_label:
            out[c] = s.by_label[c].percent
    out["ne_tokens"] = s.entity_words.ref_words
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", required=True, help="folder with the earnings21 layout")
    p.add_argument("--vendor", default="google", choices=["google", "microsoft"])
    p.add_argument("--lists", default="per-call", choices=["per-call", "distractors"])
    p.add_argument("--out", required=True, help="write OUTDIR/<id>.txt here")
    p.add_argument("--system", default="respell", choices=sorted(peers.SYSTEMS))
    p.add_argument("--min-score", type=float, default=None, help="decision threshold (0-1)")
    p.add_argument("--split", default="dev", choices=["all", "dev", "eval10"])
    p.add_argument("--calls", default=None, help="comma-separated call ids (a subset)")
    p.add_argument("--jobs", type=int, default=1, metavar="N",
                   help="processes for respell (default 1; 0: one per core); the time is then "
                   "the wall time of the whole correction. The other systems always run in "
                   "one process")
    p.add_argument("--json", action="store_true", help="print the summary as one JSON line")
    a = p.parse_args(argv)
    try:
        resolve_jobs(a.jobs)
    except OptionError as exc:
        p.error(str(exc))
    s = run(a.data, vendor=a.vendor, lists=a.lists, out=a.out, system=a.system,
            min_score=a.min_score, split=a.split, calls=a.calls.split(",") if a.calls else None,
            jobs=a.jobs)
    if a.json:
        print(json.dumps(s))
        return 0
    print(f"system {s['system']}  vendor {s['vendor']}  lists {s['lists']}  "
          f"min_score {s['min_score']}  calls {s['calls']}")
    if s["max_call_seconds"] is None:
        print(f"time {s['seconds']:.2f} s  (wall, {s['jobs']} processes)")
    else:
        print(f"time {s['seconds']:.2f} s  (slowest call {s['max_call_seconds']:.2f} s)")
    print(f"WER {s['WER']:.2f}  NE-WER {s['NE-WER']:.2f}  mention recall "
          f"{s['mention_recall']:.2f}  ({s['ne_tokens']} entity tokens)")
    print("  ".join(f"{c} {s[c]:.2f}" for c in REPORTED if c in s))
    print(f"edits {s['edits_right']} right, {s['edits_wrong']} wrong")
    return 0


if __name__ == "__main__":
    sys.exit(main())
