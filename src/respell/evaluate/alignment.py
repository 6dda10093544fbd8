"""Word alignment of a hypothesis against a reference: unit costs (rapidfuzz), the
LibriSpeech biasing paper's weighted costs (numpy, with a cell-by-cell oracle), and
re-aligning runs of errors by spelling.

>>> [(o.op, o.ref, o.hyp) for o in align(["a", "b"], ["a", "x", "b"])]
[('match', 0, 0), ('insert', None, 1), ('match', 1, 2)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import OptionError

#: Alignment costs (substitution, insertion, deletion) of the LibriSpeech biasing paper
#: (Le et al., Interspeech 2021, ``is21_deep_bias/score.py``).
PAPER_WEIGHTS = (4, 3, 3)
#: Plain Levenshtein costs (substitution, insertion, deletion).
UNIT_WEIGHTS = (1, 1, 1)

# A weighted alignment keeps one int8 back-pointer per cell; refuse what will not fit.
_MAX_WEIGHTED_CELLS = 400_000_000
_SMALL_CELLS = 40_000

MATCH, SUBSTITUTE, INSERT, DELETE = "match", "substitute", "insert", "delete"


@dataclass(frozen=True)
class AlignOp:
    """One step of an alignment: ``ref``/``hyp`` are word indices, ``None`` where absent."""

    op: str
    ref: int | None
    hyp: int | None


def align(
    ref: Sequence[str],
    hyp: Sequence[str],
    *,
    weights: tuple[float, float, float] = UNIT_WEIGHTS,
    by_spelling: bool = False,
) -> list[AlignOp]:
    """Word alignment of ``hyp`` against ``ref`` as a list of :class:`AlignOp`.

    ``weights`` are the (substitution, insertion, deletion) costs. Unit costs use
    rapidfuzz's Levenshtein (the alignment the Earnings-21 scorer uses); other costs
    a dynamic program with the tie-breaking of the LibriSpeech biasing paper's scorer
    (diagonal first, then insertion, then deletion, each only when strictly cheaper).

    With ``by_spelling`` each run of errors between matched words is aligned again
    so that words of similar spelling pair up ("on the bay loop" / "in beirut":
    on-in, bay-beirut); used to decide which reference words an edit replaced.

    >>> [(o.op, o.ref, o.hyp) for o in align(["a", "b"], ["a", "x", "b"])]
    [('match', 0, 0), ('insert', None, 1), ('match', 1, 2)]
    >>> [(o.op, o.ref, o.hyp) for o in align(["in", "beirut"], ["on", "the", "bay"],
    ...                                      by_spelling=True)]
    [('substitute', 0, 0), ('insert', None, 1), ('substitute', 1, 2)]
    """
    if len(weights) != 3 or any(w <= 0 for w in weights):
        raise OptionError(f"weights must be three positive costs (sub, ins, del), got {weights}")
    if by_spelling:
        return _by_spelling(ref, hyp, _align_unit(ref, hyp))
    if tuple(weights) == UNIT_WEIGHTS:
        return _align_unit(ref, hyp)
    return _align_weighted(ref, hyp, *weights)


# A run of errors larger than this (words x words) keeps its plain alignment.
_MAX_RUN_CELLS = 40_000


def _by_spelling(ref: Sequence[str], hyp: Sequence[str], ops: list[AlignOp]) -> list[AlignOp]:
    from rapidfuzz.fuzz import ratio

    def sub_cost(r: str, h: str) -> float:
        # in [1, 2]: never dearer than a deletion plus an insertion
        return 2.0 - ratio(r, h) / 100.0

    out: list[AlignOp] = []
    k = 0
    while k < len(ops):
        if ops[k].op == MATCH:
            out.append(ops[k])
            k += 1
            continue
        end = k
        while end < len(ops) and ops[end].op != MATCH:
            end += 1
        run = ops[k:end]
        r0 = next((o.ref for o in run if o.ref is not None), None)
        h0 = next((o.hyp for o in run if o.hyp is not None), None)
        rs = [o.ref for o in run if o.ref is not None]
        hs = [o.hyp for o in run if o.hyp is not None]
        if rs and hs and len(rs) * len(hs) <= _MAX_RUN_CELLS and (len(rs) > 1 or len(hs) > 1):
            sub_ref = [ref[i] for i in rs]
            sub_hyp = [hyp[j] for j in hs]
            for o in align_weighted_py(sub_ref, sub_hyp, sub_cost, 1.0, 1.0):
                out.append(AlignOp(
                    o.op, None if o.ref is None else r0 + o.ref, None if o.hyp is None else h0 + o.hyp
                ))
        else:
            out.extend(run)
        k = end
    return out


def _align_unit(ref: Sequence[str], hyp: Sequence[str]) -> list[AlignOp]:
    from rapidfuzz.distance import Levenshtein

    ops: list[AlignOp] = []
    i = j = 0
    for edit in Levenshtein.editops(ref, hyp):
        while i < edit.src_pos:  # words between edits are matches
            ops.append(AlignOp(MATCH, i, j))
            i += 1
            j += 1
        if edit.tag == "replace":
            ops.append(AlignOp(SUBSTITUTE, i, j))
            i += 1
            j += 1
        elif edit.tag == "delete":
            ops.append(AlignOp(DELETE, i, None))
            i += 1
        else:
            ops.append(AlignOp(INSERT, None, j))
            j += 1
    while i < len(ref):
        ops.append(AlignOp(MATCH, i, j))
        i += 1
        j += 1
    return ops


def _align_weighted(ref: Sequence[str], hyp: Sequence[str], sub, ins, dele) -> list[AlignOp]:
    if len(ref) * len(hyp) <= _SMALL_CELLS:  # numpy's per-row overhead loses on short texts
        return align_weighted_py(ref, hyp, sub, ins, dele)
    return align_weighted_numpy(ref, hyp, sub, ins, dele)


def align_weighted_numpy(ref: Sequence[str], hyp: Sequence[str], sub, ins, dele) -> list[AlignOp]:
    """The paper's dynamic program, one numpy vector operation per reference word."""
    import numpy as np

    n, m = len(ref), len(hyp)
    if (n + 1) * (m + 1) > _MAX_WEIGHTED_CELLS:
        raise OptionError(
            f"texts too long for a weighted alignment ({n} x {m} words): "
            "use unit weights or score shorter segments"
        )
    ids: dict[str, int] = {}
    r = np.array([ids.setdefault(w, len(ids)) for w in ref], dtype=np.int64)
    h = np.array([ids.setdefault(w, len(ids)) for w in hyp], dtype=np.int64)
    dtype = np.int64 if all(float(w).is_integer() for w in (sub, ins, dele)) else np.float64
    # back-pointers: 0 diagonal, 1 insertion (from the left), 2 deletion (from above)
    back = np.zeros((n + 1, m + 1), dtype=np.int8)
    back[0, 1:] = 1
    back[1:, 0] = 2
    ramp = np.arange(m + 1, dtype=dtype) * ins
    prev = ramp.copy()
    for i in range(1, n + 1):
        diag = prev[:-1] + np.where(h == r[i - 1], 0, sub).astype(dtype)
        up = prev[1:] + dele
        # row[j] = min(diag[j], up[j], row[j-1] + ins): the insertion chain is a running
        # minimum of (best without insertion - ramp), so each row is vectorised.
        base = np.empty(m + 1, dtype=dtype)
        base[0] = i * dele
        base[1:] = np.minimum(diag, up)
        row = np.minimum.accumulate(base - ramp) + ramp
        left = row[:-1] + ins
        take_left = left < diag
        best = np.where(take_left, left, diag)
        back[i, 1:] = np.where(up < best, 2, np.where(take_left, 1, 0))
        prev = row
    return _backtrace(ref, hyp, back)


def align_weighted_py(ref: Sequence[str], hyp: Sequence[str], sub, ins, dele) -> list[AlignOp]:
    """The paper's dynamic program cell by cell: the reference for the numpy version.

    ``sub`` is a cost or a function ``(ref_word, hyp_word) -> cost``.
    """
    n, m = len(ref), len(hyp)
    sub_cost = sub if callable(sub) else (lambda r, h: sub)
    prev = [j * ins for j in range(m + 1)]
    back = [[1] * (m + 1) for _ in range(n + 1)]
    back[0][0] = 0
    for i in range(1, n + 1):
        row = [i * dele] + [0] * m
        brow = back[i]
        brow[0] = 2
        r = ref[i - 1]
        for j in range(1, m + 1):
            best = prev[j - 1] + (0 if r == hyp[j - 1] else sub_cost(r, hyp[j - 1]))
            b = 0
            left = row[j - 1] + ins
            if left < best:
                best, b = left, 1
            up = prev[j] + dele
            if up < best:
                best, b = up, 2
            row[j] = best
            brow[j] = b
        prev = row
    return _backtrace(ref, hyp, back)


def _backtrace(ref: Sequence[str], hyp: Sequence[str], back) -> list[AlignOp]:
    ops: list[AlignOp] = []
    i, j = len(ref), len(hyp)
    while i or j:
        b = back[i][j]
        if b == 0:
            i -= 1
            j -= 1
            ops.append(AlignOp(MATCH if ref[i] == hyp[j] else SUBSTITUTE, i, j))
        elif b == 1:
            j -= 1
            ops.append(AlignOp(INSERT, None, j))
        else:
            i -= 1
            ops.append(AlignOp(DELETE, i, None))
    ops.reverse()
    return ops
