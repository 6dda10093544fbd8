"""Words as the scorers compare them: lower case, hyphens split, edge punctuation stripped.

>>> normalize("Good day, Mr. O'Neil-Smith!")
['good', 'day', 'mr', "o'neil", 'smith']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_EDGE = re.compile(r"^[^\w']+|[^\w']+$")
_WORD = re.compile(r"[^\s-]+")


@dataclass(frozen=True)
class NormalizedToken:
    """A normalized word and the character offsets ``[start, end)`` it came from."""

    text: str
    start: int
    end: int


def normalized_tokens(text: str, *, keep_case: bool = False) -> list[NormalizedToken]:
    """Normalized words of ``text`` with their character offsets in ``text`` (in lower
    case unless ``keep_case``).

    >>> [(t.text, t.start, t.end) for t in normalized_tokens("Well, Jean-Luc's here.")]
    [('well', 0, 5), ('jean', 6, 10), ("luc's", 11, 16), ('here', 17, 22)]
    """
    out = []
    for m in _WORD.finditer(text):
        word = _EDGE.sub("", m.group() if keep_case else m.group().lower())
        if word:
            out.append(NormalizedToken(word, m.start(), m.end()))
    return out


def normalize(text: str | Sequence[str], *, keep_case: bool = False) -> list[str]:
    """Lowercase words of ``text`` (their case kept with ``keep_case``), hyphens split,
    edge punctuation stripped.

    A sequence of words is normalized word by word (and may split further).

    >>> normalize("Good day, Mr. O'Neil-Smith!")
    ['good', 'day', 'mr', "o'neil", 'smith']
    >>> normalize("Good day, Mr. O'Neil-Smith!", keep_case=True)
    ['Good', 'day', 'Mr', "O'Neil", 'Smith']
    """
    if not isinstance(text, str):
        text = " ".join(text)
    return [t.text for t in normalized_tokens(text, keep_case=keep_case)]


def words_of(value: str | Sequence[str], normalized: bool) -> list[str]:
    """The words of a text or a word list, normalized or as they are."""
    if isinstance(value, str):
        return normalize(value) if normalized else value.split()
    return normalize(value) if normalized else list(value)
