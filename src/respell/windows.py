"""Long transcripts in bounded windows: where to cut them, and when a proposal is settled.

A transcript longer than :data:`WINDOW_CHARS` is matched window by window, so that
memory stays bounded and the time linear, with the same changes as in one piece:

* each window's *core* is matched with :data:`MARGIN_WORDS` words of text on either
  side, more than any span and the cues read around it reach, and keeps the
  proposals that start in its core; cuts fall between words, never inside one;
* what holds for the whole transcript (whether it is cased) is judged on the whole;
* proposals are chosen cluster by cluster (:func:`settle`): a set of proposals no
  other overlaps is chosen alone exactly as it would be among all the others.

>>> [(w.core_start, w.core_end) for w in windows("one two three four five six", 9, 1)]
[(0, 14), (14, 24), (24, 27)]
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

#: a transcript longer than this (characters) is matched window by window
WINDOW_CHARS = 200_000
#: words of text on either side of a window's core, read but not proposed in
MARGIN_WORDS = 32

_SPACE = re.compile(r"\s+")


class Window(NamedTuple):
    """``text[start:end]`` is matched; proposals starting in ``[core_start, core_end)`` kept."""

    start: int
    end: int
    core_start: int
    core_end: int


def windows(text: str, size: int | None = None, margin: int | None = None) -> Iterator[Window]:
    """The windows of ``text``: cores of about ``size`` characters (:data:`WINDOW_CHARS`),
    cut where a word starts, each read with ``margin`` words (:data:`MARGIN_WORDS`) beside."""
    size = WINDOW_CHARS if size is None else size
    margin = MARGIN_WORDS if margin is None else margin
    pos, n = 0, len(text)
    while pos < n:
        cut = _SPACE.search(text, min(n, pos + size))
        end = cut.end() if cut else n
        if end >= n or not text[end:].strip():
            end = n
        yield Window(_words_back(text, pos, margin), _words_on(text, end, margin), pos, end)
        pos = end


def _words_on(text: str, pos: int, k: int) -> int:
    """Where the ``k``-th word from ``pos`` on ends (with the spaces after it)."""
    for m in _SPACE.finditer(text, pos):
        k -= 1
        if k <= 0:
            return m.end()
    return len(text)


def _words_back(text: str, pos: int, k: int) -> int:
    """Where the ``k``-th word before ``pos`` starts."""
    reach = 64
    while True:
        lo = max(0, pos - reach)
        starts = [m.end() for m in _SPACE.finditer(text, lo, pos)]
        if lo == 0:
            starts.insert(0, 0)
        if len(starts) > k or lo == 0:
            return starts[-k - 1] if len(starts) > k else 0
        reach *= 4


def settle(pending: Sequence, bound: int) -> tuple[list, list]:
    """``(settled, still pending)``: the (match, change) proposals, sorted by the match's
    first token, that no proposal still to come can overlap, when those start at token
    ``bound`` or later; whole clusters of overlapping proposals are settled together.

    >>> from types import SimpleNamespace as M
    >>> ps = [(M(i=0, j=2), "a"), (M(i=1, j=3), "b"), (M(i=5, j=9), "c")]
    >>> [p for _, p in settle(ps, 6)[0]], [p for _, p in settle(ps, 6)[1]]
    (['a', 'b'], ['c'])
    """
    ready_until = 0  # proposals before this index form whole clusters ending by bound
    reach = -1
    for k, (m, _) in enumerate(pending):
        if m.i >= reach:  # a new cluster starts here
            ready_until = k
        reach = max(reach, m.j)
    if reach <= bound:
        ready_until = len(pending)
    return list(pending[:ready_until]), list(pending[ready_until:])
