"""The ``respell`` command: a thin layer over the library.

Each subcommand lives in its own module with ``add_parser(subparsers)`` and
``run(args) -> int``. Errors the user can cause become one line and exit 2.
"""

from __future__ import annotations

import argparse
import logging
import sys
from importlib import import_module

from ..errors import RespellError

#: subcommand modules, in the order ``respell --help`` lists them
COMMANDS = ("fix", "apply", "entities", "eval", "transcribe", "batch")


def skipped_line(path: str, exc: Exception) -> str:
    """What a batch says of an input it leaves out: one line naming it once."""
    msg = str(exc) if path in str(exc) else f"{path}: {exc}"
    return f"respell: skipped {msg}"


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
    logging.basicConfig(
        level=[logging.WARNING, logging.INFO, logging.DEBUG][min(args.verbose, 2)],
        format="respell: %(message)s",
    )
    try:
        return int(args.run(args) or 0)
    except RespellError as exc:
        print(f"respell: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("respell: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
