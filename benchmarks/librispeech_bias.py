#!/usr/bin/env python3
"""LibriSpeech rare-word biasing benchmark: correct each hypothesis with its utterance's list.

    python benchmarks/librispeech_bias.py \\
        --refs ../shared/bench/librispeech_bias/test-clean.biasing_100.tsv \\
        --hyps ../shared/bench/librispeech_bias/test-clean.b1.rnnt_baseline.tsv \\
        --out /tmp/ls100.respell.tsv --score [--system respell|rapidfuzz|spaczz|none] \\
        [--jobs N]

Correction reads only columns 1 (utterance id) and 4 (biasing list) of REFS, so it
works with columns 2 and 3 blank.

``--lists chapter`` is the situation of a short list of words known to be there: each
chapter (one speaker's reading of one chapter, ids ``SPEAKER-CHAPTER-N``) is corrected
as one transcript, an utterance a line, with one list: the rare words its utterances say
(column 3, as a user would type the names of an episode; no distractors), as
``--list-kind known``. Scored per utterance as usual. ``--score`` reads the references (columns 2 and
3) only after every utterance is corrected and prints WER / U-WER / B-WER as the
paper defines them (alignment costs 4/3/3), for the input and for the output.

From Python (the lead tunes with this)::

    from benchmarks.librispeech_bias import run
    summary = run(refs, hyps, system="respell", min_score=0.6, score=True)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # peers.py beside this file

import peers

from respell.batch import resolve_jobs
from respell.errors import OptionError
from respell.evaluate import BiasedErrors, biased_wer, edit_labels, edits_between, normalize


def read_lists(refs: str | Path) -> list[tuple[str, list[str]]]:
    """Utterance ids and biasing lists: columns 1 and 4 of REFS, nothing else."""
    out = []
    for n, line in enumerate(Path(refs).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) < 4:
            raise SystemExit(f"{refs}:{n}: expected 4 tab-separated columns, got {len(cols)}")
        out.append((cols[0], json.loads(cols[3]) if cols[3].strip() else []))
    return out


def chapter_lists(refs: str | Path) -> list[tuple[str, list[str], list[str]]]:
    """``(chapter, its utterance ids in order, the rare words they say)`` per chapter:
    columns 1 and 3 of REFS (the known list of ``--lists chapter``)."""
    references = read_references(refs)
    chapters: dict[str, list[str]] = {}
    for uid in references:
        chapters.setdefault(uid.rsplit("-", 1)[0], []).append(uid)
    out = []
    for chapter, ids in sorted(chapters.items()):
        ids.sort(key=lambda u: int(u.rsplit("-", 1)[1]))
        words = dict.fromkeys(w for u in ids for w in references[u][1])  # first said first
        out.append((chapter, ids, list(words)))
    return out


def correct_chapters(refs: str | Path, hyps: dict[str, str], *, min_score: float | None = None,
                     limit: int | None = None) -> tuple[dict[str, str], float]:
    """Each chapter corrected as one transcript with its known list (``--lists chapter``)."""
    from respell import Lexicon, fix

    out = {}
    start = time.perf_counter()
    for _, ids, words in chapter_lists(refs)[:limit]:
        text = "\n".join(" ".join(hyps[u].split()) for u in ids)
        lines = fix(text, Lexicon.from_entries(words, kind="known") if words else [],
                    min_score=min_score).text.split("\n") if words else text.split("\n")
        if len(lines) != len(ids):
            raise SystemExit(f"a correction joined lines of chapter {ids[0]}")
        out.update(zip(ids, lines))
    return out, time.perf_counter() - start


def read_hyps(path: str | Path) -> dict[str, str]:
    """``id<TAB>text`` lines (a missing text is an empty hypothesis)."""
    out = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            uid, _, text = line.partition("\t")
            out[uid] = text
    return out


def read_references(refs: str | Path) -> dict[str, tuple[str, list[str]]]:
    """Reference text and rare words (columns 2 and 3): for scoring only."""
    out = {}
    for line in Path(refs).read_text(encoding="utf-8").splitlines():
        if line.strip():
            cols = line.split("\t")
            out[cols[0]] = (cols[1], json.loads(cols[2]) if cols[2].strip() else [])
    return out


def score(refs: str | Path, hyps: dict[str, str]) -> BiasedErrors:
    """Corpus WER / U-WER / B-WER of ``hyps`` over the utterances they cover."""
    references = read_references(refs)
    total = BiasedErrors()
    for uid, text in hyps.items():
        ref, rare = references[uid]
        total += biased_wer(ref, text, rare)
    return total


def judge_edits(refs: str | Path, inputs: dict[str, str], fixed: dict[str, str]) -> list[dict]:
    """Every word edit from input to output, with whether it is right against the reference."""
    references = read_references(refs)
    out = []
    for uid, text in fixed.items():
        src, new = normalize(inputs[uid]), normalize(text)
        if src == new:
            continue
        ref = normalize(references[uid][0])
        edits = edits_between(src, new)
        for (i, j, words), right in zip(edits, edit_labels(src, ref, edits)):
            out.append({"id": uid, "right": right, "original": " ".join(src[i:j]),
                        "replacement": " ".join(words), "context": " ".join(src)})
    return out


def correct_all(
    lists: list[tuple[str, list[str]]],
    hyps: dict[str, str],
    *,
    system: str = "respell",
    min_score: float | None = None,
    jobs: int = 1,
    chunksize: int | None = None,
) -> tuple[dict[str, str], float]:
    """Correct each utterance with its own list; returns outputs and wall seconds spent.

    respell with ``jobs`` other than 1 runs on :func:`respell.fix_many`'s process pool
    (``chunksize`` utterances at a time; default: its own); the other systems, and
    respell with ``jobs=1``, run one utterance after another in this process.
    """
    for uid, _ in lists:
        if uid not in hyps:
            raise SystemExit(f"utterance {uid} has no hypothesis")
    out = {}
    start = time.perf_counter()
    if system == "respell" and jobs != 1:
        from respell.batch import fix_many

        results = fix_many(((hyps[uid], words) for uid, words in lists), jobs=jobs,
                           min_score=min_score, chunksize=chunksize)
        out = {uid: r.text for (uid, _), r in zip(lists, results)}
    else:
        for uid, words in lists:
            out[uid] = peers.make(system, words, min_score=min_score)(hyps[uid])
    return out, time.perf_counter() - start


def run(
    refs: str | Path,
    hyps: str | Path,
    *,
    out: str | Path | None = None,
    system: str = "respell",
    min_score: float | None = None,
    score_it: bool = False,
    limit: int | None = None,
    edits_out: str | Path | None = None,
    jobs: int = 1,
    chunksize: int | None = None,
    lists: str = "utterance",
) -> dict:
    """Correct, optionally write ``out`` and score; returns a summary dict.

    With ``score_it``, ``edits_right``/``edits_wrong`` count the word edits judged
    against the reference; ``edits_out`` writes each of them as a JSON line.
    ``jobs`` and ``chunksize``: see :func:`correct_all`.
    """
    inputs = read_hyps(hyps)
    if lists == "chapter":
        if system != "respell":
            raise SystemExit("--lists chapter runs respell only")
        fixed, seconds = correct_chapters(refs, inputs, min_score=min_score, limit=limit)
    else:
        fixed, seconds = correct_all(read_lists(refs)[:limit], inputs, system=system,
                                     min_score=min_score, jobs=jobs, chunksize=chunksize)
    if out:
        Path(out).write_text("".join(f"{u}\t{t}\n" for u, t in fixed.items()), encoding="utf-8")
    summary = {
        "system": system, "lists": lists, "min_score": min_score, "utterances": len(fixed),
        "jobs": 1 if system != "respell" else resolve_jobs(jobs),
        "seconds": round(seconds, 2), "ms_per_utt": round(1000 * seconds / max(1, len(fixed)), 2),
        "changed": sum(fixed[u] != inputs[u] for u in fixed),
    }
    if score_it:  # the references are read only now, after all correction is done
        summary["input"] = score(refs, {u: inputs[u] for u in fixed}).to_dict()
        summary["output"] = score(refs, fixed).to_dict()
        edits = judge_edits(refs, inputs, fixed)
        summary["edits_right"] = sum(e["right"] for e in edits)
        summary["edits_wrong"] = len(edits) - summary["edits_right"]
        if edits_out:
            Path(edits_out).write_text("".join(json.dumps(e) + "\n" for e in edits), "utf-8")
    return summary


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--refs", required=True, help="biasing TSV (columns 1 and 4 used to correct)")
    p.add_argument("--hyps", required=True, help="id<TAB>hypothesis TSV")
    p.add_argument("--out", required=True, help="write id<TAB>corrected here")
    p.add_argument("--score", action="store_true", help="score against columns 2-3 afterwards")
    p.add_argument("--min-score", type=float, default=None, help="decision threshold (0-1)")
    p.add_argument("--system", default="respell", choices=sorted(peers.SYSTEMS))
    p.add_argument("--limit", type=int, default=None,
                   help="only the first N utterances (chapters, with --lists chapter)")
    p.add_argument("--lists", choices=("utterance", "chapter"), default="utterance",
                   help="utterance: each utterance with its biasing list (default); chapter: "
                   "each chapter as one transcript with the rare words it says, a known list")
    p.add_argument("--edits", default=None, metavar="FILE.jsonl",
                   help="with --score: write every edit and whether it was right")
    p.add_argument("--jobs", type=int, default=1, metavar="N",
                   help="processes for respell (default 1; 0: one per core); the other "
                   "systems always run in one process")
    p.add_argument("--chunksize", type=int, default=None, metavar="K",
                   help="with --jobs: utterances sent to a worker at a time (default: "
                   "respell.fix_many's)")
    p.add_argument("--json", action="store_true", help="print the summary as one JSON line")
    a = p.parse_args(argv)
    try:
        resolve_jobs(a.jobs)
    except OptionError as exc:
        p.error(str(exc))
    s = run(a.refs, a.hyps, out=a.out, system=a.system, min_score=a.min_score,
            score_it=a.score, limit=a.limit, edits_out=a.edits, jobs=a.jobs,
            chunksize=a.chunksize, lists=a.lists)
    if a.json:
        print(json.dumps(s))
        return 0
    print(f"system {s['system']}  min_score {s['min_score']}  utterances {s['utterances']}  "
          f"changed {s['changed']}")
    on = f", {s['jobs']} processes" if s["jobs"] != 1 else ""
    print(f"time {s['seconds']:.2f} s  ({s['ms_per_utt']:.2f} ms per utterance{on})")
    if a.score:
        for name in ("input", "output"):
            r = s[name]
            print(f"{name:6s} WER {r['WER']:.2f}  U-WER {r['U-WER']:.2f}  B-WER {r['B-WER']:.2f}")
        print(f"edits  {s['edits_right']} right, {s['edits_wrong']} wrong")
    return 0


if __name__ == "__main__":
    sys.exit(main())
