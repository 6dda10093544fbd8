"""Interactive review of proposed changes, in the manner of ``git add -p``.

Each change is shown in its context with its score and runner-up; the
reviewer accepts (``y``), rejects (``n``), edits the replacement (``e``),
accepts every remaining change at or above a score (``a``), or quits (``q``),
keeping what was accepted so far. End of input counts as quitting.

>>> from respell.correct import Change, Result
>>> r = Result("Sola money", "Soleimani", (Change(0, 10, "Sola money", "Soleimani", "Soleimani", None, 0.9),))
>>> import io
>>> answers = iter(["y"])
>>> review(r, ask=lambda prompt: next(answers), out=io.StringIO()).text
'Soleimani'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import TextIO

from .display import change_context, describe, location, printable
from .result import Change, Result

HELP = """\
y - accept this change
n - reject this change
e - edit the replacement, then accept it
a - accept this and every remaining change with a score at least X (asks for X)
q - quit; keep the changes accepted so far, reject the rest
? - show this help"""


def review(
    result: Result,
    *,
    ask: Callable[[str], str] = input,
    out: TextIO,
    color: bool = False,
    times: Sequence | None = None,
    name: str | None = None,
    line_of=None,
) -> Result:
    """Ask about each change of ``result``; return a Result with the accepted ones.

    ``ask(prompt)`` returns the reviewer's answer (``input`` on a terminal);
    ``EOFError`` from it means quit. ``out`` receives the changes shown;
    ``times`` and ``line_of`` (see :func:`respell.display.location`) say where they are.
    """
    changes = list(result.changes)
    accepted: list[Change] = []
    threshold: float | None = None
    total = len(changes)
    k = 0
    while k < total:
        ch = changes[k]
        if threshold is not None and ch.score >= threshold:
            accepted.append(ch)
            print(f"({k + 1}/{total}) accepted (score {ch.score:.2f} >= {threshold:.2f}): "
                  f"{ch.original!r} -> {ch.replacement!r}", file=out)
            k += 1
            continue
        where = location(result.source, ch.start, times, line_of)
        if name:
            shown = printable(name)
            where = f"{shown} {where}" if where.startswith("@") else f"{shown}:{where}"
        print(f"\n{where}  {describe(ch)}", file=out)
        if ch.reason:
            print(f"    why: {printable(ch.reason)}", file=out)
        print("    " + change_context(result.source, ch, color=color, context=60), file=out)
        try:
            answer = ask(f"({k + 1}/{total}) Apply this change [y,n,e,a,q,?]? ").strip().lower()
        except EOFError:
            answer = "q"
        if answer in ("y", "yes"):
            accepted.append(ch)
        elif answer in ("n", "no"):
            pass
        elif answer == "e":
            edited = _edit(ch, ask, out)
            if edited is None:
                continue
            accepted.append(edited)
        elif answer == "a":
            value = _threshold(ch, ask, out)
            if value is None:
                continue
            threshold = value
            continue  # this change is decided by the new threshold, or asked again
        elif answer in ("q", "quit"):
            print("quit: keeping the changes accepted so far", file=out)
            break
        else:
            print(HELP, file=out)
            continue
        k += 1
    print(f"accepted {len(accepted)} of {total} change{'s' * (total != 1)}", file=out)
    return result.with_changes(accepted)


def _edit(ch: Change, ask, out) -> Change | None:
    try:
        text = ask(f"replacement for {ch.original!r} (empty: back) [{printable(ch.replacement)}]: ")
    except EOFError:
        return None
    text = text.strip()
    if not text:
        return None
    if text == ch.replacement:
        return ch
    print(f"    edited: {ch.original!r} -> {text!r}", file=out)
    return dataclasses.replace(ch, replacement=text, reason=f"edited in review (proposed {ch.replacement!r})")


def _threshold(ch: Change, ask, out) -> float | None:
    try:
        text = ask(f"accept all remaining changes with score at least [{ch.score:.2f}]: ").strip()
    except EOFError:
        return None
    if not text:
        return ch.score
    try:
        value = float(text)
    except ValueError:
        print(f"not a number: {text!r}", file=out)
        return None
    if not 0.0 <= value <= 1.0:
        print(f"score must be between 0 and 1, got {value}", file=out)
        return None
    return value
