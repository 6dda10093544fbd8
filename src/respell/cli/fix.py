"""``respell fix``: repair entity names in transcripts (text, SRT, WebVTT, Whisper JSON, .nlp)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections import deque
from pathlib import Path

from ..errors import EntityListError, InputError, OptionError, RespellError
from . import (
    check_output_location,
    check_outputs,
    check_stdin_once,
    document_skipper,
    progress_bar,
    skipped_line,
)

log = logging.getLogger(__name__)

EXAMPLES = """\
examples:
  respell fix episode.txt -e names.txt -o fixed.txt --report changes.json
  respell fix episode.txt --from-doc article.txt -e extra.txt
  cat episode.txt | respell fix - -e names.txt
  respell fix episode.srt -e names.txt --diff
  respell fix talks/*.srt -e names.txt -o fixed/
  respell fix episode.vtt -e names.txt --interactive --in-place --backup .orig
"""


def add_parser(subparsers) -> None:
    from ..formats import FORMATS
    from ..result import DEFAULT_MIN_SCORE

    p = subparsers.add_parser(
        "fix",
        help="repair misrecognized names in transcripts",
        description="Find spans that sound like a known entity and respell them. Formats: plain "
        "text, SubRip, WebVTT, Whisper JSON, .nlp token files; timing and layout are kept.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="transcripts; '-' reads standard input")
    add_lexicon_options(p)
    p.add_argument("-o", "--output", metavar="OUT",
                   help="output file, or a directory (ending in /) for several inputs; "
                   "default: standard output")
    p.add_argument("--report", metavar="FILE",
                   help="write the changes to FILE.json (for 'respell apply'), .csv or .html")
    p.add_argument("--diff", action="store_true", help="show the changes; write no transcript")
    p.add_argument("--min-score", type=float, metavar="X",
                   help=f"only make changes scoring at least X (0-1; default {DEFAULT_MIN_SCORE})")
    p.add_argument("--format", choices=sorted(FORMATS), help="input format (default: detect)")
    p.add_argument("-i", "--interactive", action="store_true",
                   help="review each change (y/n/edit/accept above a score/quit)")
    p.add_argument("--in-place", action="store_true",
                   help="rewrite the input files (atomically; files without changes are left alone)")
    p.add_argument("--backup", metavar="SUFFIX", help="with --in-place, keep the old file as FILE+SUFFIX")
    p.add_argument("--force", action="store_true",
                   help="write over read-only files (with --in-place, or -o naming one)")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the --diff and review output (default: auto)")
    p.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                   help="correct N files at a time on N processes (default 1; 0: one per core); "
                   "reading, review and writing stay in this process, in order")
    p.add_argument("--audio", metavar="FILE", help="confirm the changes against this recording")
    p.add_argument("--whisper-model", metavar="NAME", help="Whisper model for --audio")
    p.set_defaults(run=run)


def check_options(args) -> None:
    """Reject option combinations that cannot work, naming the fix."""
    from ..batch import resolve_jobs
    from ..report import check_kind
    from ..result import FixOptions
    from ..textio import check_backup_suffix

    files = args.files
    if args.min_score is not None:
        FixOptions(min_score=args.min_score)
    try:
        resolve_jobs(args.jobs)
    except OptionError:
        raise OptionError(f"--jobs must be 1 or more (0: one process per core), got {args.jobs}"
                          ) from None
    if args.report:
        check_kind(args.report)
    if files.count("-") > 1:
        raise OptionError("standard input ('-') can be read only once")
    if args.backup is not None and not args.in_place:
        raise OptionError("--backup needs --in-place")
    if args.in_place and (args.output or args.diff):
        raise OptionError("--in-place writes over the inputs: drop -o/--diff, or drop --in-place")
    if args.in_place and "-" in files:
        raise OptionError("--in-place cannot rewrite standard input: give a file name")
    if args.interactive and "-" in files:
        raise OptionError("--interactive reads answers from standard input, so the transcript "
                          "must be a file, not '-'")
    if args.interactive and args.diff:
        raise OptionError("--interactive and --diff cannot be used together")
    check_backup_suffix(args.backup)
    if args.whisper_model and not args.audio:
        raise OptionError("--whisper-model needs --audio FILE")
    if args.audio and len(files) > 1:
        raise OptionError("--audio belongs to one transcript: give a single FILE")
    several = len(files) > 1
    if several and args.output and not _is_dir(args.output):
        raise OptionError(f"{len(files)} transcripts but -o {args.output} is a file: "
                          "end it with / to write into a directory")
    if several and not (args.output or args.in_place or args.diff):
        raise OptionError(f"{len(files)} transcripts: give -o DIR/, --in-place or --diff")
    if "-" in files and args.output and _is_dir(args.output):
        raise OptionError("standard input has no file name for -o DIR/: give -o FILE")
    check_stdin_once(named_inputs(args))
    outputs = [("the report", args.report)]
    if args.output and not _is_dir(args.output):
        outputs.insert(0, ("the output", args.output))
    check_outputs([x for x in named_inputs(args) if x[0] != "the transcript"], outputs)
    check_outputs([x for x in named_inputs(args) if x[0] == "the transcript"], outputs,
                  hint="; use --in-place to rewrite inputs")
    if args.in_place and args.backup:  # a backup is written over: it must not be an input
        for f in files:  # (a file named twice has one backup, kept by its first turn)
            check_outputs(named_inputs(args), [(f"the backup of {f}", f + args.backup)])
    check_output_location("--report", args.report)
    check_output_location("-o", args.output, folder=bool(args.output) and _is_dir(args.output))


def named_inputs(args) -> list[tuple[str, str]]:
    """Every file ``respell fix`` reads, with what it is."""
    return ([("the transcript", f) for f in args.files]
            + [("the entity list", e) for e in args.entities]
            + [("the document", d) for d in args.from_doc]
            + ([("the recording", args.audio)] if args.audio else []))


def _is_dir(path: str) -> bool:
    return path.endswith(("/", os.sep)) or Path(path).is_dir()


def add_lexicon_options(p) -> None:
    """The -e and --from-doc options that :func:`load_lexicon` reads."""
    p.add_argument("-e", "--entities", action="append", default=[], metavar="LIST",
                   help="entity list (.txt, .csv, .tsv, .json, .jsonl); repeatable")
    p.add_argument("--from-doc", action="append", default=[], metavar="DOC",
                   help="related document (.txt, .md, .html, .pdf) to take entities from "
                   "(spaCy NER and names mined by their form); repeatable")
    p.add_argument("--list-kind", choices=["auto", "known", "catalog"], default="auto",
                   help="known: the names are in the transcript (a list you typed: parts of "
                   "names, short given names and the whole transcript's evidence are used); "
                   "catalog: names that may be (a long biasing list); auto (default): known "
                   "when the -e lists hold at most 30 names")


def load_lexicon(args, *, on_skip=None):
    """The entities from -e lists and --from-doc documents; an error names the fix when empty.

    With ``on_skip(path, error)``, a document that cannot be used (missing, unreadable,
    a PDF without a text layer) is passed there and left out while other lists or
    documents remain; one without any entity is only a warning then.
    """
    from ..lexicon import Lexicon

    if not args.entities and not args.from_doc:
        raise EntityListError("no entities given: pass -e names.txt (a list) or --from-doc "
                              "article.txt (a related document)")
    lexicon = Lexicon.load(*args.entities) if args.entities else Lexicon(())
    if args.from_doc:
        from ..errors import InputError
        from ..extract import extract_entities

        others = bool(lexicon) or len(args.from_doc) > 1
        try:
            found = extract_entities(args.from_doc, on_error=on_skip if others else None)
        except InputError:
            if on_skip is None or not lexicon:
                raise
            found = None  # every document was skipped, with its line: the lists remain
        if not found and not lexicon:
            raise EntityListError(f"no entities found in {', '.join(args.from_doc)}: "
                                  "pass -e names.txt as well")
        if found == []:
            log.warning("no named entities found in %s: the entity lists are used",
                        ", ".join(args.from_doc))
        lexicon = lexicon + Lexicon.from_entries(found or [])
    if not lexicon:
        raise EntityListError("entity list empty: pass -e FILE or --from-doc DOC")
    return lexicon.with_kind(getattr(args, "list_kind", "auto"))


def _color(args, stream) -> bool:
    if args.color != "auto":
        return args.color == "always"
    return stream.isatty() and not os.environ.get("NO_COLOR")


def _ask(prompt: str) -> str:
    """Prompt on stderr (stdout may carry the transcript) and read one answer from stdin."""
    sys.stderr.write(prompt)
    sys.stderr.flush()
    line = sys.stdin.readline()
    if not line:
        sys.stderr.write("\n")
        raise EOFError
    return line


def destination(args, path: str) -> Path | None:
    """Where the fixed transcript goes; None means standard output (or nowhere with --diff)."""
    if args.diff:
        return None
    if args.in_place:
        return Path(path)
    if args.output:
        if _is_dir(args.output):
            return Path(args.output) / Path(path).name
        return Path(args.output)
    return None


def _named_twice(paths: list[Path]) -> bool:
    """Whether two of the paths are the same existing file (by name, link or alias)."""
    seen = set()
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            continue  # a missing file is skipped with its own message
        if (st.st_dev, st.st_ino) in seen:
            return True
        seen.add((st.st_dev, st.st_ino))
    return False


class _Batch:
    """The state of one ``respell fix`` run over its files."""

    def __init__(self, args, lexicon) -> None:
        from ..result import FixOptions

        self.args = args
        self.lexicon = lexicon
        self.options = FixOptions.of(None, args.min_score)
        self.reports = []
        self.written: list[tuple[str, str]] = []  # ("the output", path) of each file written
        self.inputs = [Path(f) for f in args.files if f != "-"]

    def fixed(self, paths: list[str]):
        """``(path, read, result)`` for each file in order, where ``read`` is the input's
        ``(sha, document)`` and ``result`` its correction, or either is the error met.

        Files are read here, in order, a few ahead of the one being finished; with
        ``--jobs`` their texts are corrected meanwhile on a pool of processes.
        """
        from ..batch import fix_many
        from ..formats import parse, read_input

        read: deque = deque()

        def texts():
            for path in paths:
                try:
                    raw, sha = read_input(path)
                    doc = parse(raw, format=self.args.format, path=path)
                except RespellError as exc:
                    read.append(exc)
                    yield ""  # nothing to correct, but the results stay in step with the files
                    continue
                if self.streams(doc):  # corrected as it is written, in finish()
                    read.append((sha, doc))
                    yield ""
                    continue
                read.append((sha, doc))
                yield doc.text, None, doc.barriers

        jobs = self.args.jobs
        if self.args.in_place and _named_twice(self.inputs):
            jobs = 1  # its second turn must read what the first wrote: nothing is read ahead
        results = fix_many(texts(), entities=self.lexicon, jobs=jobs,
                           options=self.options, chunksize=1, return_exceptions=True)
        for path, result in zip(paths, results):
            yield path, read.popleft(), result

    def streams(self, doc) -> bool:
        """Whether ``doc`` is written as it is corrected, window by window, so that memory
        stays bounded whatever its length: a long plain text whose changes are neither
        shown, reviewed, checked against audio nor reported."""
        from ..formats import PlainText
        from ..windows import WINDOW_CHARS

        args = self.args
        return (isinstance(doc, PlainText) and len(doc.text) > WINDOW_CHARS
                and not (args.diff or args.interactive or args.audio or args.report))

    def finish(self, path: str, read, result) -> None:
        """Confirm, review and write one file's correction (see :meth:`fixed`); raises the
        file's error, if it had one."""
        from ..display import terminal_diff
        from ..report import FileReport
        from ..textio import atomic_write, is_read_only

        args = self.args
        name = "<stdin>" if path == "-" else path
        dest = destination(args, path)
        if dest is not None and not args.in_place:
            inputs = named_inputs(args)
            out = [("the output", str(dest))]
            check_outputs([x for x in inputs if x[0] == "the transcript"], out,
                          hint="; use --in-place to rewrite inputs")
            check_outputs([x for x in inputs if x[0] != "the transcript"],
                          [*self.written, ("the report", args.report), *out])
        for outcome in (read, result):
            if isinstance(outcome, RespellError):
                raise outcome
        sha, doc = read
        streams = self.streams(doc)
        writes = dest is not None and (not args.in_place or result.changes or streams)
        if writes and not args.force and is_read_only(dest):
            raise InputError(f"{dest} is read-only: make it writable, or pass --force to "
                             "replace it anyway")
        if streams:
            self.stream(name, doc, dest)
            return
        result = _writable(doc, result, name)
        if args.audio:
            from ..audio import confirm

            result = confirm(result, args.audio, times=list(doc.times) or None,
                             model=args.whisper_model)
        if args.interactive:
            from ..review import review

            result = review(result, ask=_ask, out=sys.stderr, color=_color(args, sys.stderr),
                            times=doc.times, name=name, line_of=doc.line_of)
        output = doc.render(result.changes)
        self.reports.append(FileReport(name, sha, doc.name, result, doc.times, doc.line_of))
        n = len(result.changes)
        if args.diff:
            text = terminal_diff(result, color=_color(args, sys.stdout), name=name, times=doc.times,
                                 line_of=doc.line_of)
            if text:
                sys.stdout.write(text + "\n")
                sys.stdout.flush()
            log.info("%s: %d change%s", name, n, "s" * (n != 1))
            return
        if dest is None:
            sys.stdout.flush()
            sys.stdout.buffer.write(output.encode("utf-8"))
            sys.stdout.buffer.flush()
        elif args.in_place:
            if n:
                atomic_write(dest, output, backup=args.backup)
        else:
            atomic_write(dest, output, parents=True)
            self.written.append((f"the output of {name}", str(dest)))
        log.info("%s: %d change%s%s", name, n, "s" * (n != 1), f" -> {dest}" if dest else "")


    def stream(self, name: str, doc, dest: Path | None) -> None:
        """Correct a long plain text window by window, writing each settled stretch."""
        from ..correct import fix_in_parts
        from ..formats.base import BOM
        from ..textio import atomic_writer

        args = self.args
        text, n = doc.text, 0

        def write_all(out) -> int:
            count, pos = 0, 0
            if doc.bom:
                out.write(BOM)
            for settled, changes, _ in fix_in_parts(text, self.lexicon, options=self.options,
                                                    barriers=doc.barriers):
                for c in changes:
                    out.write(text[pos:c.start])
                    out.write(c.replacement)
                    pos = c.end
                count += len(changes)
                if settled > pos:  # no change still to come starts before settled
                    out.write(text[pos:settled])
                    pos = settled
            out.write(text[pos:])
            return count

        if dest is None:
            sys.stdout.flush()
            n = write_all(_Utf8(sys.stdout.buffer))
            sys.stdout.buffer.flush()
        else:
            with atomic_writer(dest, backup=args.backup if args.in_place else None,
                               parents=not args.in_place) as out:
                n = write_all(out)
                out.discard = args.in_place and not n  # an input without changes stays as is
            if not args.in_place:
                self.written.append((f"the output of {name}", str(dest)))
        log.info("%s: %d change%s%s", name, n, "s" * (n != 1), f" -> {dest}" if dest else "")


class _Utf8:
    """Text written to a binary stream as UTF-8 (standard output, whatever its encoding)."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def write(self, text: str) -> None:
        self.stream.write(text.encode("utf-8"))


def _writable(doc, result, name: str):
    """``result`` without the changes ``doc`` cannot take (said, one line each)."""
    kept, refused = doc.writable(result.changes)
    for change, why in refused:
        where = doc.line_of(change.start)
        log.warning("%s%s: %r -> %r not made: %s", name, f":{where}" if where else "",
                    change.original, change.replacement, why)
    return result.with_changes(kept) if refused else result


def run(args) -> int:
    check_options(args)
    skipped_docs: list[str] = []
    lexicon = load_lexicon(args, on_skip=document_skipper(skipped_docs))
    batch = _Batch(args, lexicon)
    files = args.files
    failures = 0
    if len(files) == 1:
        for path, read, result in batch.fixed(files):
            batch.finish(path, read, result)  # a single bad file is an ordinary error: exit 2
    else:
        bar = progress_bar(total=len(files), unit="file", file=sys.stderr,
                           disable=not sys.stderr.isatty())
        for path, read, result in batch.fixed(files):
            try:
                batch.finish(path, read, result)
            except RespellError as exc:
                failures += 1
                bar.write(skipped_line(path, exc), file=sys.stderr)
            bar.update()
        bar.close()
    if args.report:
        from ..report import write_report

        write_report(args.report, batch.reports)
    if skipped_docs:
        print(f"respell: {len(skipped_docs)} of {len(args.from_doc)} documents skipped",
              file=sys.stderr)
    if failures:
        print(f"respell: {failures} of {len(files)} files skipped", file=sys.stderr)
    return 2 if failures or skipped_docs else 0
