"""Judging edits against a reference: which reference words a span of the hypothesis
stands for, the edits between two word lists, and whether each edit is right.

>>> edits_between("on the bay loop today".split(), "on the beirut today".split())
[(2, 4, ['beirut'])]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..errors import OptionError
from .alignment import MATCH, align
from .text import normalize, normalized_tokens

# Words of context either side of an edit when judging it.
_CONTEXT = 10


class SpanAligner:
    """Maps spans of hypothesis words to the reference words aligned with them.

    Built once per (hypothesis, reference) pair; :meth:`ref_span` then answers in
    constant time. Reference words the hypothesis dropped next to a span count as
    part of that span, so an edit that puts them back is right.

    >>> a = SpanAligner("we met liz sly on the bay loop".split(),
    ...                 "we met liz sly in beirut".split())
    >>> a.ref_words(6, 8), a.ref_words(2, 4)
    (['beirut'], ['liz', 'sly'])
    """

    def __init__(self, hyp_words: Sequence[str], ref_words: Sequence[str]) -> None:
        self.hyp_words = list(hyp_words)
        self.ref = list(ref_words)
        self.ops = align(self.ref, self.hyp_words, by_spelling=True)
        n = len(self.hyp_words)
        self._before = [0] * n  # reference words consumed before hyp word k
        self._after = [0] * n  # ... and after it
        r = 0
        for o in self.ops:
            if o.hyp is None:
                r += 1
                continue
            self._before[o.hyp] = r
            if o.ref is not None:
                r += 1
            self._after[o.hyp] = r

    def ref_span(self, i: int, j: int) -> tuple[int, int]:
        """Reference word range ``[lo, hi)`` aligned with hypothesis words ``[i, j)``."""
        n = len(self.hyp_words)
        if not 0 <= i <= j <= n:
            raise OptionError(f"span [{i}, {j}) outside the {n} hypothesis words")
        lo = self._after[i - 1] if i > 0 else 0
        hi = self._before[j] if j < n else len(self.ref)
        return lo, hi

    def ref_words(self, i: int, j: int) -> list[str]:
        """The reference words aligned with hypothesis words ``[i, j)``."""
        lo, hi = self.ref_span(i, j)
        return self.ref[lo:hi]


def edits_between(
    original: Sequence[str], corrected: Sequence[str]
) -> list[tuple[int, int, list[str]]]:
    """The edits that turn word list ``original`` into ``corrected``, as
    ``(i, j, words)``: original words ``[i, j)`` became ``words``; adjacent
    changed words form one edit.

    >>> edits_between("on the bay loop today".split(), "on the beirut today".split())
    [(2, 4, ['beirut'])]
    """
    out: list[tuple[int, int, list[str]]] = []
    cur: list | None = None
    pos = 0  # original words consumed
    for o in align(list(original), list(corrected), by_spelling=True):
        if o.op == MATCH:
            if cur:
                out.append((cur[0], pos, cur[1]))
                cur = None
            pos += 1
            continue
        if cur is None:
            cur = [pos, []]
        if o.hyp is not None:
            cur[1].append(corrected[o.hyp])
        if o.ref is not None:
            pos += 1
    if cur:
        out.append((cur[0], pos, cur[1]))
    return out


def edit_labels(
    hyp_words: Sequence[str],
    ref_words: Sequence[str],
    edits: Iterable[tuple[int, int, str | Sequence[str]]],
    *,
    keep_case: bool = False,
) -> list[bool]:
    """For each edit ``(i, j, replacement)`` of the hypothesis words, whether it is right
    (``keep_case``: the words are compared with their case, as normalized with it).

    An edit is right when, once it is made, every word it writes lines up with the
    same reference word and the text has fewer word errors than before (an edit
    that changes only case or punctuation is right when its words were already
    right). Alignments are local (the edit and ten words either side, against the
    reference words aligned with them), so labelling many candidate edits of a long
    transcript stays cheap. Use it to label candidate edits for training a decision
    model; hypothesis words must be normalized as the reference is (:func:`normalize`).

    Judging by the words written rather than by fixed span boundaries keeps the
    answer independent of how an alignment splits a run of errors: "cross wells"
    -> "cresswells" is right against "... some cresswells there" whichever of the
    neighbouring wrong words the aligner pairs with which.

    >>> hyp = "we met liz sly on the bay loop".split()
    >>> ref = "we met liz sly in beirut".split()
    >>> edit_labels(hyp, ref, [(6, 8, "Beirut"), (2, 3, "Lisa"), (4, 5, "in"), (2, 4, "Liz Sly")])
    [True, False, True, True]
    """
    aligner = SpanAligner(hyp_words, ref_words)
    hyp, ref, n = aligner.hyp_words, aligner.ref, len(aligner.hyp_words)
    out = []
    for i, j, rep in edits:
        new = normalize(rep, keep_case=keep_case)
        a, b = max(0, i - _CONTEXT), min(n, j + _CONTEXT)
        lo, hi = aligner.ref_span(a, b)
        window_ref = ref[lo:hi]
        before = hyp[a:b]
        after = hyp[a:i] + new + hyp[j:b]
        ops = align(window_ref, after)
        written = range(i - a, i - a + len(new))
        lined_up = all(o.op == MATCH for o in ops if o.hyp is not None and o.hyp in written)
        if new == hyp[i:j]:
            out.append(lined_up)
        else:
            errors = sum(o.op != MATCH for o in ops)
            out.append(lined_up and errors < sum(o.op != MATCH for o in align(window_ref, before)))
    return out


def judge_changes(source: str, changes: Iterable[object], reference: str) -> list[bool]:
    """Whether each change (:class:`~respell.result.Change`, character offsets into
    ``source``) is right against the ``reference`` text, as :func:`edit_labels` judges.

    The words a change touches are rewritten with it, keeping any part of a touched
    word outside the change (such as a possessive).
    """
    from bisect import bisect_left, bisect_right

    tokens = normalized_tokens(source)
    ends = [t.end for t in tokens]
    starts = [t.start for t in tokens]
    edits = []
    for ch in changes:
        i = bisect_right(ends, ch.start)  # first word ending after the change starts
        j = max(i, bisect_left(starts, max(ch.end, ch.start + 1)))  # words starting inside it
        lo = tokens[i].start if i < j else ch.start
        hi = tokens[j - 1].end if i < j else ch.end
        lo, hi = min(lo, ch.start), max(hi, ch.end)
        edits.append((i, j, source[lo:ch.start] + ch.replacement + source[ch.end:hi]))
    return edit_labels([t.text for t in tokens], normalize(reference), edits)
