"""``respell apply``: apply a (possibly edited) JSON or CSV change report to the transcript it was made for."""

from __future__ import annotations

import argparse
import sys

from ..errors import FormatError, OptionError, ReportError
from . import check_output_location, check_outputs, check_stdin_once

EXAMPLES = """\
examples:
  respell fix episode.srt -e names.txt --report changes.json --diff
  # edit changes.json: delete entries, change a "replacement"
  respell apply changes.json episode.srt -o fixed.srt
  respell fix talks/*.srt -e names.txt --report changes.csv --diff
  # open changes.csv in a spreadsheet: delete rows, edit the replacement column
  respell apply changes.csv talks/one.srt --in-place
"""


def add_parser(subparsers) -> None:
    from ..formats import FORMATS

    p = subparsers.add_parser(
        "apply",
        help="apply a JSON or CSV change report (as edited by you) to its transcript",
        description="Apply exactly the changes listed in a report from 'respell fix --report "
        "X.json' (or X.csv). The transcript must be the very file the report was made for (its "
        "SHA-256 is checked).",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("report", metavar="REPORT", help="changes.json or changes.csv")
    p.add_argument("file", metavar="FILE", help="the transcript; '-' reads standard input")
    p.add_argument("-o", "--output", metavar="OUT", help="output file (default: standard output)")
    p.add_argument("--in-place", action="store_true", help="rewrite FILE (atomically)")
    p.add_argument("--backup", metavar="SUFFIX", help="with --in-place, keep the old file as FILE+SUFFIX")
    p.add_argument("--force", action="store_true", help="write over a read-only file")
    p.add_argument("--format", choices=sorted(FORMATS),
                   help="transcript format (default: as recorded in the report)")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..formats import parse, read_input
    from ..report import load_report
    from ..textio import atomic_write, check_backup_suffix, is_read_only

    if args.backup is not None and not args.in_place:
        raise OptionError("--backup needs --in-place")
    check_backup_suffix(args.backup)
    if args.in_place and (args.output or args.file == "-"):
        raise OptionError("--in-place rewrites FILE: drop -o, and give a file name, not '-'")
    check_stdin_once([("the report", args.report), ("the transcript", args.file)])
    output = [("-o", args.output)]
    check_outputs([("the transcript", args.file)], output, hint="; use --in-place")
    check_outputs([("the report", args.report)], output)
    if args.in_place and args.backup:
        check_outputs([("the report", args.report)],
                      [(f"the backup of {args.file}", args.file + args.backup)])
    check_output_location("-o", args.output)
    target = args.file if args.in_place else args.output
    if target and not args.force and is_read_only(target):
        raise OptionError(f"{target} is read-only: make it writable, or pass --force to "
                          "replace it anyway")
    report = load_report(args.report)
    raw, sha = read_input(args.file)
    name = "<stdin>" if args.file == "-" else args.file
    entry = report.entry_for(sha, name)
    doc = parse(raw, format=args.format or entry.format, path=args.file)
    try:
        output = doc.render(entry.changes)
    except FormatError as exc:
        raise ReportError(f"{args.report}: cannot apply to {name}: {exc}") from None
    if args.in_place:
        atomic_write(args.file, output, backup=args.backup)
    elif args.output:
        atomic_write(args.output, output, parents=True)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(output.encode("utf-8"))
        sys.stdout.buffer.flush()
    n = len(entry.changes)
    print(f"respell: applied {n} change{'s' * (n != 1)} to {name}", file=sys.stderr)
    return 0
