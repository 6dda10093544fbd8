"""Short forms of given names: people say "Ken" and "Steve" for Kenneth and Steven.

A list that names "Kenneth Bowling" is no reason to write "Kenneth" over a "Ken"
the speaker said, and a garbled "kim bowling" is "Ken Bowling" as often as
"Kenneth Bowling". The pairs come from the ``nicknames`` package (a hand-curated
table of English given names and their nicknames, Apache-2.0), read once.

Its table is generous ("day" for David, "will" for William): a short form that is
an ordinary word, or that shares no first letter with the name (other than the
classic ones: Bob, Bill, Dick, Ted...), is kept as a right spelling only, never
written over other words (see :func:`short_forms`).

>>> short_forms("Kenneth")
(('Ken', True), ('Kenny', True))
>>> dict(short_forms("William"))["Will"], dict(short_forms("Robert"))["Bob"]
(False, True)
>>> "Alexander" in dict(short_forms("Alexandria")), "Steve" in dict(short_forms("Steven"))
(False, True)
>>> "Clara" in dict(short_forms("Claire")), "Clare" in dict(short_forms("Claire"))
(False, True)
"""

from __future__ import annotations

import csv
import io
from functools import cache

# Short forms that do not start with the name's letter but are what people say.
_CLASSIC = frozenset(["bob", "bobby", "bill", "billy", "dick", "ted", "teddy", "ned", "ned", "peggy", "polly", "molly", "jack", "hank", "sally", "patsy", "chuck"])
# Short forms that are ordinary words far more often than names.
_WORDS = frozenset(["will", "day", "bell", "kit", "lib", "rich", "art", "hob", "dob", "sandy", "sue", "may", "bill", "pat", "sam", "dot"]) - _CLASSIC


_LONG_FORM = 7  # letters


@cache
def _table() -> dict[str, tuple[str, ...]]:
    try:
        from importlib.resources import files

        raw = files("nicknames").joinpath("names.csv").read_text(encoding="utf-8")
    except (ImportError, ModuleNotFoundError, FileNotFoundError):  # pragma: no cover
        return {}
    table: dict[str, list[str]] = {}
    for row in csv.DictReader(io.StringIO(raw)):
        if row.get("relationship") == "has_nickname":
            table.setdefault(row["name1"].lower(), []).append(row["name2"].lower())
    return {k: tuple(dict.fromkeys(v)) for k, v in table.items()}


@cache
def _given_names() -> frozenset[str]:
    table = _table()
    return frozenset(table).union(*table.values()) if table else frozenset()


def is_given_name(word: str) -> bool:
    """Whether the ``nicknames`` table knows ``word`` as a given name or a short form.

    >>> is_given_name("Liz"), is_given_name("Golden")
    (True, False)
    """
    return word.lower() in _given_names()


def short_forms(given: str) -> tuple[tuple[str, bool], ...]:
    """The short forms of a given name, capitalised, each with whether it may be written
    over other words (False: it is only recognised as right where it is said)."""
    from . import phonetics
    from .words import zipf

    name = given.lower()
    out = []
    shorts = [s for s in _table().get(name, ()) if 2 <= len(s) < len(name)]
    if not shorts:  # (a short form is shorter: "Kendrick" is none of Ken's)
        return ()
    codes = phonetics.phonemes.each([name, *shorts])
    for short, sound in zip(shorts, codes[1:]):
        if len(short) >= max(len(name) - 1, _LONG_FORM):
            # within a letter of the name and long itself, it is another name or another
            # spelling, not a short form: Alexander for Alexandria, Kimberly for
            # Kimberley (Steve for Steven and Dave for David are short themselves)
            continue
        if len(sound) > len(codes[0]):
            continue  # longer said than the name: "Clara" is another name than Claire
        writable = (short[0] == name[0] or short in _CLASSIC) and short not in _WORDS and (
            zipf(short) < 5.0
        )
        out.append((short.capitalize(), writable))
    return tuple(out)
