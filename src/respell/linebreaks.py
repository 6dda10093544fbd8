"""Keeping a transcript's line breaks where they were when a name across them is repaired.

A recognizer, or the tool that wrapped its output, may break a line inside a name
("General Cassem Sola\\nmoney was killed"); a subtitle cue may end inside one. The
replacement is laid out over the original's lines: its words are shared among them
in the original's proportions, each line break kept as it was written (``\\n``,
``\\r\\n``), so no line is joined to another and, in subtitles, each cue keeps its
part of the name.

>>> from respell.result import Change
>>> text = "General Cassem Sola\\nmoney was killed"
>>> c = Change(8, 25, "Cassem Sola\\nmoney", "Qassem Soleimani", "Qassem Soleimani", None, 0.9)
>>> laid = keep_line_breaks(text, c)
>>> laid.replacement
'Qassem\\nSoleimani'
>>> text[:laid.start] + laid.replacement + text[laid.end:]
'General Qassem\\nSoleimani was killed'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # changes are only read and replaced here: display imports this module
    from .result import Change

#: the characters that break a line (where str.splitlines breaks)
BREAK_CHARS = "\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029"
#: a line break (CRLF as one)
LINE_BREAK = re.compile(f"\r\n|[{BREAK_CHARS}]")
_SPACE = re.compile(r"\s+")
_HORIZONTAL = re.compile(f"[^\\S{BREAK_CHARS}]*")  # spaces that do not break the line


def keep_line_breaks(text: str, change: Change, *, lo: int = 0, hi: int | None = None,
                     words_at_lo: bool = False) -> Change:
    """``change`` with the line breaks of its original kept in its replacement.

    With more words than line breaks, the words are shared among the lines in
    proportion to the original's (each line gets one at least). With as many, each
    line but one gets a word: the last line gets none when words follow the change on
    it (the spaces before those words are taken into the change, so no line starts
    with a space), else the first, when words precede the change on it (taking the
    spaces before it, so punctuation right after the name stays with it). With fewer
    words than line breaks, or a name that is whole lines by itself, the replacement
    is written on one line: an empty line would end a paragraph or a subtitle cue.
    The spaces taken in stay within ``[lo, hi)`` (between the neighbouring changes);
    ``words_at_lo`` says the change before ends its last line with words.
    """
    seps = [m for m in _SPACE.finditer(change.original) if LINE_BREAK.search(m.group())]
    if not seps or LINE_BREAK.search(change.replacement):
        return change  # nothing to keep, or the replacement lays itself out
    words_before = [len(change.original[:m.start()].split()) for m in seps]
    n = len(change.original.split())
    new = change.replacement.split()
    k = len(seps)
    if len(new) > k:
        at, last = [], 0
        for j, b in enumerate(words_before):
            want = round(b * len(new) / n)
            last = max(last + 1, min(want, len(new) - (k - j)))
            at.append(last)
        out = []
        for w, word in enumerate(new, 1):
            out.append(word)
            if w in at:
                out.append(_breaks(seps[at.index(w)].group()))
            elif w < len(new):
                out.append(" ")
        return replace(change, replacement="".join(out))
    if len(new) < k:
        return change  # some line would be left empty: an empty line ends a paragraph or cue
    # one word a line, and one line without its own: the last, when words follow the
    # change on it, else the first, when words precede it there
    breaks = [_breaks(m.group()) for m in seps]
    # The words that fill the line left without one must be the text's own, not those of
    # a neighbouring change (which may move them to another line).
    hi = len(text) if hi is None else hi
    after = _HORIZONTAL.match(text, change.end).end()
    words_follow = after < hi and not LINE_BREAK.match(text, after)
    glued = words_follow and after == change.end  # punctuation right after the name
    start = max(text.rfind(ch, 0, change.start) for ch in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
    before = change.start
    while before > start + 1 and text[before - 1] in " \t":
        before -= 1
    words_precede = bool(text[max(start + 1, lo):before].strip()) or (words_at_lo and lo > start)
    if words_follow and not (glued and words_precede):
        laid = "".join(w + b for w, b in zip(new, breaks))
        return replace(change, end=after, original=text[change.start:after], replacement=laid)
    if words_precede:
        laid = "".join(b + w for b, w in zip(breaks, new))
        return replace(change, start=before, original=text[before:change.end], replacement=laid)
    return change


def keep_all_line_breaks(text: str, changes: Sequence[Change], *, hi: int | None = None,
                         before: Change | None = None) -> tuple[Change, ...]:
    """:func:`keep_line_breaks` for sorted, non-overlapping ``changes``: the spaces one
    takes in are never another's. ``before`` is the change laid out just before these
    (when a text is laid out in parts), ``hi`` where the next may start."""
    out: list[Change] = []
    end = len(text) if hi is None else hi
    for k, change in enumerate(changes):
        prev = out[-1] if out else before
        lo = prev.end if prev else 0
        nxt = changes[k + 1].start if k + 1 < len(changes) else end
        words = prev is not None and bool(LINE_BREAK.split(prev.replacement)[-1].strip())
        out.append(keep_line_breaks(text, change, lo=lo, hi=nxt, words_at_lo=words))
    return tuple(out)


def keeps_line_breaks(change: Change) -> bool:
    """Whether the replacement has the original's line breaks, in order.

    >>> from respell.result import Change
    >>> keeps_line_breaks(Change(0, 10, "Sola\\nmoney", "Soleimani", "Qassem Soleimani", None, 0.9))
    False
    """
    return LINE_BREAK.findall(change.original) == LINE_BREAK.findall(change.replacement)


def _breaks(separator: str) -> str:
    """The line breaks of a run of whitespace, without the spaces around them."""
    return "".join(m.group() for m in LINE_BREAK.finditer(separator))
