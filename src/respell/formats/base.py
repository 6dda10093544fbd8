"""What every transcript format shares: the :class:`Document` protocol and helpers.

A document is parsed from the file's text into an *editable text view*
(``Document.text``): the words a corrector may change, with cue or segment
boundaries as ``barriers`` no correction may cross. ``render(changes)`` puts
corrected text back into the file; everything outside the edited words (cue
timing, numbering, layout, JSON formatting) stays byte-identical, and
``render(())`` gives the input back exactly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

from ..errors import FormatError
from ..result import Change
from ..result import check_changes as check_in_order

BOM = "\ufeff"


class Timing(NamedTuple):
    """Time of a stretch of the text view: ``text[start:end]`` was said from ``t0`` to ``t1`` s."""

    start: int
    end: int
    t0: float
    t1: float


@dataclass(frozen=True)
class Document:
    """A parsed transcript. Subclasses set ``name``, ``extensions`` and implement
    :meth:`parse`, :meth:`sniff` and :meth:`render`.

    ``text`` is the editable view, ``barriers`` offsets in it no change may span,
    ``times`` per-word (or per-cue) timings over it, ``bom`` whether the file
    started with a byte-order mark (kept on output).
    """

    name: ClassVar[str] = ""
    extensions: ClassVar[tuple[str, ...]] = ()
    #: what a cue/segment is called in messages
    unit: ClassVar[str] = "cue"

    text: str
    barriers: tuple[int, ...] = ()
    times: tuple[Timing, ...] = ()
    bom: bool = False

    @classmethod
    def parse(cls, raw: str, *, source: str = "<input>") -> Document:  # pragma: no cover
        """Parse a whole file's text (a leading BOM is remembered and stripped)."""
        raise NotImplementedError

    @classmethod
    def sniff(cls, raw: str) -> bool:  # pragma: no cover
        """Whether ``raw`` looks like this format (used when the extension does not say)."""
        raise NotImplementedError

    def render(self, changes: Sequence[Change] = ()) -> str:  # pragma: no cover
        """The file's text with ``changes`` (offsets into :attr:`text`) applied."""
        raise NotImplementedError

    def writable(self, changes: Sequence[Change]) -> tuple[tuple[Change, ...], tuple[tuple[Change, str], ...]]:
        """``(the changes this file can take, [(each it cannot, why)])``.

        A correction may meet a file that cannot hold it (a cue text that already looks
        like a timing line would start a line once a name is repaired before it): such a
        change is left out, rather than the file. Changes that go alone but not together
        are left out from the last.
        """
        try:
            self.render(changes)
            return tuple(changes), ()
        except FormatError:
            pass
        ok: list[Change] = []
        refused: list[tuple[Change, str]] = []
        for change in changes:
            try:
                self.render([change])
                ok.append(change)
            except FormatError as exc:
                refused.append((change, str(exc)))
        while ok:
            try:
                self.render(ok)
                break
            except FormatError as exc:
                refused.append((ok.pop(), str(exc)))
        return tuple(ok), tuple(refused)

    def line_of(self, offset: int) -> int | None:
        """The line of the file (1-based) that holds ``text[offset]``, when there is one."""
        return self.text.count("\n", 0, offset) + 1

    def _with_bom(self, out: str) -> str:
        return BOM + out if self.bom else out


def strip_bom(raw: str) -> tuple[str, bool]:
    """``(raw without a leading BOM, whether there was one)``."""
    return (raw[1:], True) if raw.startswith(BOM) else (raw, False)


def check_changes(text: str, changes: Sequence[Change]) -> list[Change]:
    """Sorted changes, after checking each lies in ``text``, matches it and none overlap."""
    out = sorted(changes, key=lambda c: (c.start, c.end))
    check_in_order(text, out, FormatError, bounds=True)
    return out


def split_by_slots(
    changes: Sequence[Change], slots: Sequence[tuple[int, int]], unit: str
) -> dict[int, list[tuple[int, int, str]]]:
    """Assign each change to the slot (``(start, end)`` in the view) that holds it.

    Returns ``{slot index: [(local start, local end, replacement), ...]}``; a
    change that crosses a slot boundary is refused (it would move words between
    cues).
    """
    import bisect

    starts = [s for s, _ in slots]
    out: dict[int, list[tuple[int, int, str]]] = {}
    for ch in changes:
        k = bisect.bisect_right(starts, ch.start) - 1
        if k < 0 or ch.end > slots[k][1] or (ch.start == ch.end and ch.start > slots[k][1]):
            raise FormatError(
                f"change at {ch.start}-{ch.end} ({ch.original!r}) crosses a {unit} boundary; "
                f"changes must stay inside one {unit}"
            )
        s = slots[k][0]
        out.setdefault(k, []).append((ch.start - s, ch.end - s, ch.replacement))
    return out


def apply_local(text: str, edits: Sequence[tuple[int, int, str]]) -> str:
    """Apply sorted, non-overlapping ``(start, end, replacement)`` edits to ``text``."""
    out, pos = [], 0
    for s, e, r in edits:
        out.append(text[pos:s])
        out.append(r)
        pos = e
    out.append(text[pos:])
    return "".join(out)


def join_slots(texts: Sequence[str], sep: str) -> tuple[str, list[tuple[int, int]], tuple[int, ...]]:
    """Join slot texts into a view: ``(view, [(start, end) per slot], barriers)``."""
    spans, pos = [], 0
    for t in texts:
        spans.append((pos, pos + len(t)))
        pos += len(t) + len(sep)
    view = sep.join(texts)
    barriers = sorted({b for s, e in spans for b in (s, e) if 0 < b < len(view)})
    return view, spans, tuple(barriers)


# -- word tokens with times (Whisper words, .nlp rows) ---------------------------------------

_WORD = re.compile(r"\s*\S+")


def split_words(region: str) -> list[str]:
    """Words of a rewritten region, each with the whitespace before it.

    >>> split_words(" Tora Bora,")
    [' Tora', ' Bora,']
    """
    return _WORD.findall(region)


def retime(old: Sequence[tuple[str, str]], n_new: int, fmt=None) -> list[tuple[str, str]]:
    """Give ``n_new`` words the times of ``old`` words, as literal strings.

    Fewer or as many new words: word k keeps old word k's start and end, and the
    last new word ends where the last old word ended (so a 2-to-1 repair spans
    the first word's start to the last word's end). More new words than old:
    the last old word's interval is split evenly among the extra ones (needs
    parseable times, otherwise they get the last word's times).

    >>> retime([("1.0", "1.2"), ("1.2", "1.5")], 1)
    [('1.0', '1.5')]
    """
    if n_new <= 0 or not old:
        return []
    if n_new <= len(old):
        out = [old[k] for k in range(n_new - 1)]
        out.append((old[n_new - 1][0], old[-1][1]))
        return out
    out = list(old[:-1])
    extra = n_new - len(old) + 1
    t0s, t1s = old[-1]
    try:
        t0, t1 = float(t0s), float(t1s)
    except ValueError:
        return out + [old[-1]] * extra
    fmt = fmt or (lambda x: repr(round(x, 3)))
    step = (t1 - t0) / extra
    bounds = [t0s] + [fmt(t0 + step * k) for k in range(1, extra)] + [t1s]
    return out + [(bounds[k], bounds[k + 1]) for k in range(extra)]


def overlapping_groups(
    edits: Sequence[tuple[int, int, str]], words: Sequence[tuple[int, int]]
) -> list[tuple[int, int, list[tuple[int, int, str]]]]:
    """Group edits by the words they touch: ``[(first word, last word + 1, edits)]``.

    ``words`` are ``(start, end)`` ranges in the same coordinates as the edits,
    sorted; an edit touches a word when their ranges overlap (an empty edit,
    when it falls inside or at the end of the word). Edits touching a common
    word share a group.
    """
    groups: list[tuple[int, int, list]] = []
    for s, e, r in edits:
        hit = [k for k, (ws, we) in enumerate(words) if ws < e and s < we or (s == e and ws <= s <= we)]
        if not hit:
            continue
        i, j = hit[0], hit[-1] + 1
        if groups and i < groups[-1][1]:
            gi, gj, ge = groups.pop()
            groups.append((gi, max(gj, j), [*ge, (s, e, r)]))
        else:
            groups.append((i, j, [(s, e, r)]))
    return groups
