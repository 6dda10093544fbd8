"""``respell entities``: list the named entities in related documents, for ``fix -e``."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

from ..errors import EntityListError, OptionError
from . import check_outputs, document_skipper

FORMATS = ("txt", "jsonl", "csv")

DESCRIPTION = """\
Run spaCy's named-entity recognizer over documents (.txt, .md, .html, .pdf) and
print the names found, most frequent first, in a list that `respell fix -e` reads
back. Names the recognizer misses are mined by their form (tickers, CamelCase
products, capitalised terms inside sentences) and its junk is dropped (common
words capitalised at a sentence start, headings, fragments of sentences).
txt keeps only the names (label, count and sources follow as a # comment); use
jsonl or csv to keep labels, which decide for example whether a surname alone is
matched, and sources (ner:DOC, pattern:DOC), which tell fix how sure an entry is.
A PDF needs a text layer: a scan is skipped with a warning.
Needs: pip install 'respell[ner]'.
"""

EXAMPLES = """\
examples:
  respell entities article.txt notes.html > names.txt
  respell entities slides.pdf release.pdf -o names.jsonl
  respell entities article.txt --labels PERSON,GPE --min-count 2 --format jsonl -o names.jsonl
  respell fix episode.txt -e names.jsonl
"""


def add_parser(subparsers) -> None:
    from ..lexicon import LABELS

    p = subparsers.add_parser(
        "entities",
        help="list named entities in related documents (spaCy NER)",
        description=DESCRIPTION,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("documents", nargs="+", metavar="DOC", help=".txt, .md, .html or .pdf documents")
    p.add_argument(
        "--labels",
        action="append",
        metavar="LABEL[,LABEL...]",
        help=f"entity types to keep (default: {','.join(LABELS)})",
    )
    p.add_argument(
        "--min-count",
        type=int,
        default=1,
        metavar="N",
        help="keep names seen at least N times (default: 1)",
    )
    p.add_argument(
        "--no-patterns",
        dest="patterns",
        action="store_false",
        help="only the recognizer's names: do not mine tickers, CamelCase and capitalised terms",
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="output format (default: from the -o suffix, else txt)",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..extract import check_labels, extract_entities
    from ..lexicon import LABELS
    from ..textio import atomic_write

    labels = check_labels(
        [part for value in args.labels for part in value.split(",")] if args.labels else LABELS
    )
    if args.min_count < 1:
        raise OptionError(f"--min-count must be at least 1, got {args.min_count}")
    fmt = args.format or _format_from_suffix(args.output)
    check_outputs([("the document", d) for d in args.documents], [("-o", args.output)])
    skipped: list[str] = []
    skip = document_skipper(skipped)  # several documents: a bad one is left out
    entities = extract_entities(args.documents, labels=labels, min_count=args.min_count,
                                patterns=args.patterns,
                                on_error=skip if len(args.documents) > 1 else None)
    if not entities:
        raise EntityListError(
            f"no named entities ({','.join(labels)}) seen at least {args.min_count} time(s) "
            f"in {', '.join(args.documents)}: try other --labels or a lower --min-count"
        )
    text = render(entities, fmt)
    if args.output:
        atomic_write(args.output, text)
    else:
        sys.stdout.write(text)
    if skipped:
        print(f"respell: {len(skipped)} of {len(args.documents)} documents skipped", file=sys.stderr)
        return 2
    return 0


def _format_from_suffix(output: str | None) -> str:
    suffix = Path(output).suffix.lower().lstrip(".") if output else ""
    return suffix if suffix in FORMATS else "txt"


def render(entities, fmt: str) -> str:
    """Entity list text in ``fmt`` (txt, jsonl or csv) that ``Lexicon.load`` reads back;
    jsonl and csv keep labels and sources (txt only shows them in a comment, so a list
    written as txt and read back counts as the user's own)."""
    if fmt == "jsonl":
        return "".join(
            json.dumps({"text": e.text, "label": e.label, "count": e.count,
                        **({"sources": list(e.sources)} if e.sources else {})},
                       ensure_ascii=False)
            + "\n"
            for e in entities
        )
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["text", "label", "count", "sources"])
        writer.writerows([e.text, e.label or "", e.count, ";".join(e.sources)] for e in entities)
        return out.getvalue()
    if fmt == "txt":
        # a '#' inside a name would start a comment when read back, so such names go
        return "".join(
            f"{e.text}  # {e.label or '-'} x{e.count}"
            + (f" from {', '.join(e.sources)}" if e.sources else "") + "\n"
            for e in entities
            if "#" not in e.text
        )
    raise OptionError(f"unknown format {fmt!r}: choose from {', '.join(FORMATS)}")
