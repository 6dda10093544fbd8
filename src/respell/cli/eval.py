"""``respell eval``: word error rate of a transcript against a reference, and entity figures."""

from __future__ import annotations

import argparse
import json
import math

DESCRIPTION = """\
Compare a hypothesis transcript with a reference transcript of the same audio
(any format respell reads: txt, srt, vtt, Whisper JSON, .nlp). Words are
lowercased, hyphens split and edge punctuation stripped before aligning.
With -e, also the entity figures: the error rate on the reference words that
name a listed entity, and how many mentions came out entirely right. With
--original (the transcript before correction), how many of the edits from it
to the hypothesis were right (the new words equal the reference words there).
With --case-sensitive a word in the wrong case is an error, so a repair of case
alone ("Liz sly" -> "Liz Sly") counts as an edit, right or wrong.
"""

EXAMPLES = """\
examples:
  respell eval truth.txt episode.txt
  respell eval truth.txt fixed.txt -e names.txt --original episode.txt
  respell eval truth.srt fixed.srt -e names.txt --json
  respell eval truth.txt fixed.txt -e names.txt --original episode.txt --case-sensitive
"""


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "eval",
        help="word error rate against a reference; entity figures with -e",
        description=DESCRIPTION,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("reference", metavar="REF", help="what was really said")
    p.add_argument("hypothesis", metavar="HYP", help="the transcript to measure ('-': stdin)")
    p.add_argument("-e", "--entities", action="append", default=[], metavar="LIST",
                   help="entity list (txt, csv, tsv, json, jsonl); may be repeated")
    p.add_argument("--original", metavar="FILE",
                   help="the transcript before correction: judge each edit right or wrong")
    p.add_argument("--format", default=None, metavar="FMT",
                   help="format of all transcripts (default: detected from each file)")
    p.add_argument("--case-sensitive", action="store_true",
                   help="compare words with their case (a case-only repair is then an edit)")
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    p.set_defaults(run=run)


def _read(path: str, fmt: str | None) -> str:
    from ..formats import read_document

    return read_document(path, format=fmt).text


def run(args) -> int:
    from .. import evaluate
    from ..lexicon import Lexicon
    from . import check_stdin_once

    check_stdin_once([("REF", args.reference), ("HYP", args.hypothesis),
                      ("--original", args.original)] + [("-e", e) for e in args.entities])
    reference = _read(args.reference, args.format)
    hypothesis = _read(args.hypothesis, args.format)
    original = _read(args.original, args.format) if args.original else None
    lexicon = Lexicon.load(*args.entities) if args.entities else Lexicon(())
    scores = evaluate.entity_scores(reference, hypothesis, lexicon, original=original,
                                    case_sensitive=args.case_sensitive)
    out = {"WER": scores.words.to_dict(), "case_sensitive": args.case_sensitive}
    if args.entities:
        ent = scores.to_dict()
        out["entities"] = {k: ent[k] for k in (
            "NE-WER", "ne_tokens", "mentions", "mentions_correct", "mention_recall", "by_label")}
    if original is not None:
        out["edits"] = {"right": scores.edits_right, "wrong": scores.edits_wrong}
    if args.json:
        print(json.dumps(out))
        return 0
    w = scores.words
    print(f"WER {_pct(w.wer)}  ({w.errors} errors in {w.ref_words} reference words: "
          f"{w.substitutions} substituted, {w.insertions} inserted, {w.deletions} deleted"
          f"{'; case counts' if args.case_sensitive else ''})")
    if args.entities:
        e = scores.entity_words
        if not scores.mentions:
            print("entities: no listed entity is mentioned in the reference")
        else:
            print(f"entity words {_pct(e.wer)} wrong ({e.errors} of {e.ref_words}); "
                  f"mentions right {_pct(scores.recall)} ({scores.mentions_correct} of "
                  f"{scores.mentions})")
            if scores.by_label:
                print("  " + "  ".join(f"{k} {_pct(v.wer)}" for k, v in sorted(
                    scores.by_label.items())))
    if original is not None:
        print(f"edits: {scores.edits_right} right, {scores.edits_wrong} wrong")
    return 0


def _pct(x: float) -> str:
    return "n/a" if math.isnan(x) else f"{100 * x:.2f}%"
