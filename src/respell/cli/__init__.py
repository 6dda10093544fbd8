"""The ``respell`` command: a thin layer over the library.

Each subcommand lives in its own module with ``add_parser(subparsers)`` and
``run(args) -> int``. Errors the user can cause become one line and exit 2.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Iterable
from importlib import import_module
from pathlib import Path

from ..errors import OptionError, RespellError

#: subcommand modules, in the order ``respell --help`` lists them
COMMANDS = ("fix", "apply", "entities", "eval", "transcribe", "batch")


def one_line(text: str) -> str:
    """A message as one line that is safe on a terminal (see :func:`respell.display.printable`)."""
    from ..display import printable

    return printable(text, line_break=" ")


def skipped_line(path: str, exc: Exception) -> str:
    """What a batch says of an input it leaves out: one line naming it once."""
    msg = str(exc) if path in str(exc) else f"{path}: {exc}"
    return one_line(f"respell: skipped {msg}")


def document_skipper(skipped: list[str]):
    """``on_error`` for several documents: one without text (empty, a scan) is a warning
    line, the others are done; a bad one (missing, unreadable) is skipped with its line and
    its path added to ``skipped``, which makes the exit status 2."""
    from ..errors import NoTextError

    def skip(path: str, exc: Exception) -> None:
        if isinstance(exc, NoTextError):
            print(one_line(f"respell: {exc}: left out, the other documents and lists are used"),
                  file=sys.stderr)
            return
        skipped.append(path)
        print(skipped_line(path, exc), file=sys.stderr)

    return skip


def check_stdin_once(named: Iterable[tuple[str, str | None]]) -> None:
    """Refuse standard input (``-``) given for more than one input: it can be read once.

    ``named`` holds ``(what, path)`` pairs, e.g. ``("the transcript", "-")``.
    """
    takers = [what for what, path in named if path == "-"]
    if len(takers) > 1:
        raise OptionError(f"standard input ('-') can be read only once, but it is given for "
                          f"{' and '.join(takers)}: save one of them to a file")


def _identity(path: str):
    """What makes two paths the same file: the file itself where it exists (through any
    link), else where the name leads."""
    try:
        st = os.stat(path)
        return ("file", st.st_dev, st.st_ino)
    except OSError:
        return ("path", os.path.realpath(path))


def check_outputs(inputs: Iterable[tuple[str, str | None]],
                  outputs: Iterable[tuple[str, str | None]], *, hint: str = "") -> None:
    """Refuse an output that is one of the inputs or another output (by name, symbolic or
    hard link): writing it would destroy what the command reads or writes.

    Both hold ``(what, path)`` pairs; ``None`` and ``-`` (standard streams) are skipped.
    ``hint`` ends the message when the output is an input.
    """
    seen: dict = {}
    for what, path in inputs:
        if path and path != "-":
            seen.setdefault(_identity(path), (what, path, "input"))
    for what, path in outputs:
        if not path or path == "-":
            continue
        key = _identity(path)
        if key in seen:
            other, other_path, kind = seen[key]
            same = "" if other_path == path else f" ({other_path})"
            whose = "an input" if kind == "input" else "another output"
            raise OptionError(f"{what} {path} is also {other}{same}: it would overwrite {whose}"
                              f"{hint if kind == 'input' and hint else '; choose another name'}")
        seen[key] = (what, path, "output")


def check_output_location(what: str, path: str | None, *, folder: bool = False) -> None:
    """Refuse, before any work, an output that cannot be written there: a folder where a
    file is wanted (or a file where the folder should be), or a parent that is a file."""
    if not path or path == "-":
        return
    target = Path(path)
    if not folder and target.is_dir():
        raise OptionError(f"{what} {path} is a directory: give a file name")
    if folder and target.exists() and not target.is_dir():
        raise OptionError(f"{what} {path} is a file, not a directory")
    for parent in target.parents if not folder else (target, *target.parents):
        if parent.exists():
            if not parent.is_dir():
                raise OptionError(f"{what} {path}: {parent} is a file, not a directory")
            break


class _Progress:
    """Enough of tqdm's bar for ``respell fix`` when tqdm (an extra) is not installed:
    no bar, and lines written as they are."""

    def __init__(self, *args, file=None, **kwargs) -> None:
        self.file = file or sys.stderr

    def write(self, line: str, file=None) -> None:
        print(line, file=file or self.file)

    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def progress_bar(**kwargs):
    """A tqdm progress bar where tqdm is installed (the audio extra), else a stand-in."""
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return _Progress(**kwargs)
    return tqdm(**kwargs)


class _Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwind (temporary files removed, workers stopped)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum, frame) -> None:
    raise _Terminated(signum)


class _OneLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return one_line(super().format(record))


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog="respell",
        description="Repair misrecognized names in speech-recognition transcripts.",
    )
    parser.add_argument("--version", action="version", version=f"respell {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log more (-vv: debug)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        import_module(f".{name}", __name__).add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = logging.StreamHandler()  # on sys.stderr as it is now
    handler.setFormatter(_OneLineFormatter("respell: %(message)s"))
    logging.basicConfig(
        level=[logging.WARNING, logging.INFO, logging.DEBUG][min(args.verbose, 2)],
        handlers=[handler],
    )
    handled = _handle_signals()
    try:
        return int(args.run(args) or 0)
    except RespellError as exc:
        print(one_line(f"respell: error: {exc}"), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("respell: interrupted", file=sys.stderr)
        return 130
    except _Terminated as exc:
        print(f"respell: stopped by {signal.Signals(exc.signum).name}", file=sys.stderr)
        return 128 + exc.signum
    except BrokenPipeError:
        return 0
    finally:
        for signum, previous in handled:
            signal.signal(signum, previous)


def _handle_signals() -> list:
    """Let SIGTERM and SIGHUP unwind as Ctrl-C does (so temporary files are removed and
    worker processes stopped) rather than end the process where it stands."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return []
    handled = []
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) == signal.SIG_DFL:
            handled.append((signum, signal.signal(signum, _on_signal)))
    return handled


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
