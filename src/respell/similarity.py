"""How alike two phoneme strings sound: a weighted edit distance, and the similarity from it.

Similar sounds substitute cheaply (vowels for vowels, a voicing or a flap, near
places of articulation), weak sounds (schwa, h) are cheap to insert or delete.
The same dynamic programme runs three ways, giving the same floats: in C
(``_phonedist``, built when the package is installed with a compiler), in numpy
over many pairs at once (:func:`warm_similarities` without C) and in Python
(:func:`py_similarity`, the oracle the others are tested against).

>>> from respell.phonetics import phonemes
>>> phoneme_similarity(phonemes("Sola money"), phonemes("Soleimani")) > 0.7
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from ._memo import memo
from .phoneset import FIRST_CODE, code_class, is_vowel, is_weak, n_codes


@memo(200_000)
def _sub_cost(a: str, b: str) -> float:
    if a == b:
        return 0.0
    va, vb = is_vowel(a), is_vowel(b)
    ca, cb = code_class(a), code_class(b)
    if va and vb:
        return 0.25 if ca == cb else 0.5
    if va != vb:
        return 1.0
    if ca == cb:
        return 0.3  # voicing or flap
    near = {frozenset("TK"), frozenset("PT"), frozenset("MN"), frozenset("LR"), frozenset("SC"),
            frozenset("FH"), frozenset("SH"), frozenset("TC"), frozenset("RW"), frozenset("FP")}
    return 0.6 if frozenset((ca, cb)) in near else 1.0


@memo(20_000)
def _indel_cost(a: str) -> float:
    if is_weak(a):
        return 0.4
    return 0.7 if is_vowel(a) else 1.0


class _SubRow(dict):
    """code -> substitution cost from one phoneme, filled on first use."""

    __slots__ = ("code",)

    def __init__(self, code: str):
        super().__init__()
        self.code = code

    def __missing__(self, other: str) -> float:
        cost = self[other] = _sub_cost(self.code, other)
        return cost


_SUB_ROWS: dict[str, _SubRow] = {}  # code -> its row; process-wide, see respell.state


def _sub_row(code: str) -> _SubRow:
    row = _SUB_ROWS.get(code)
    if row is None:
        row = _SUB_ROWS[code] = _SubRow(code)
    return row


def phoneme_distance(a: str, b: str) -> float:
    """Weighted edit distance between phoneme strings: similar sounds substitute cheaply."""
    if a == b:
        return 0.0
    indel = _indel_cost.cache  # the memo's own dict
    try:
        ins_b = list(map(indel.__getitem__, b))
        del_a = list(map(indel.__getitem__, a))
    except KeyError:  # a phoneme not costed yet
        ins_b = list(map(_indel_cost, b))
        del_a = list(map(_indel_cost, a))
    prev = [0.0]
    for cost in ins_b:
        prev.append(prev[-1] + cost)
    rows = _SUB_ROWS
    for ca, del_ca in zip(a, del_a):
        row = rows.get(ca)
        if row is None:
            row = _sub_row(ca)
        left = prev[0] + del_ca
        cur = [left]
        # min of: delete ca, insert cb, substitute (compared by hand: min() costs a call)
        for diag, up, ins, cb in zip(prev, prev[1:], ins_b, b):
            best = up + del_ca
            other = left + ins
            if other < best:  # noqa: PLR1730 - min() costs a call per cell
                best = other
            other = diag + row[cb]
            if other < best:  # noqa: PLR1730 - min() costs a call per cell
                best = other
            cur.append(best)
            left = best
        prev = cur
    return prev[-1]


_MIN_BATCH = 64  # pairs of one shape; fewer are cheaper one by one


def warm_similarities(pairs: Iterable[tuple[str, str]]) -> None:
    """Compute :func:`phoneme_similarity` for many pairs at once and cache the results.

    The same dynamic programme, run with numpy over all pairs of similar lengths
    together (the same operations in the same order, so the same floats): for a
    long transcript against a big list this is most of the phonetic work.
    """
    cache = phoneme_similarity.cache
    todo = [p for p in dict.fromkeys(pairs) if p not in cache and p[0] and p[1] and p[0] != p[1]]
    if _phonedist is not None:  # one pair at a time in C is faster than numpy's batches
        put = phoneme_similarity.put
        for a, b in todo:
            put((a, b), c_similarity(a, b))
        return
    if len(todo) < _MIN_BATCH:
        return
    groups: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for a, b in todo:
        groups.setdefault(((len(a) + 3) // 4, (len(b) + 3) // 4), []).append((a, b))
    for group in groups.values():
        if len(group) >= _MIN_BATCH:
            for pair, sim in zip(group, similarities(group)):
                phoneme_similarity.put(pair, sim)


def _code_table(strings: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Phoneme strings as a padded table of code numbers (0 past each end), and their lengths."""
    lengths = np.fromiter(map(len, strings), np.int64, len(strings))
    codes = np.frombuffer("".join(strings).encode("utf-32-le"), np.uint32).astype(np.int64)
    table = np.zeros((len(strings), int(lengths.max())), np.int64)
    rows = np.repeat(np.arange(len(strings)), lengths)
    table[rows, np.arange(len(codes)) - np.repeat(np.cumsum(lengths) - lengths, lengths)] = (
        codes - FIRST_CODE
    )
    return table, lengths


_COST_ARRAYS: tuple[np.ndarray, np.ndarray] = (np.zeros(0), np.zeros((0, 0)))


def _cost_arrays(n: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_indel_cost` and :func:`_sub_cost` of the first ``n`` codes, as numpy arrays."""
    global _COST_ARRAYS
    indel, sub = _COST_ARRAYS
    if len(indel) < n:
        codes = [chr(FIRST_CODE + k) for k in range(n)]
        indel = np.array([_indel_cost(c) for c in codes])
        sub = np.array([[_sub_cost(a, b) for b in codes] for a in codes])
        _COST_ARRAYS = indel, sub
    return indel, sub


def similarities(pairs: list[tuple[str, str]]) -> list[float]:
    """phoneme_similarity of each pair (non-empty strings), vectorised over the pairs."""
    firsts, seconds = zip(*pairs)
    a_ids, len_a = _code_table(firsts)
    b_ids, len_b = _code_table(seconds)
    indel, sub = _cost_arrays(int(max(a_ids.max(), b_ids.max())) + 1)
    n = len(pairs)
    ins_b, del_a = indel[b_ids], indel[a_ids]
    # row 0 of the table, then one row per phoneme of a (as phoneme_distance does)
    prev = np.zeros((n, b_ids.shape[1] + 1))
    for j in range(b_ids.shape[1]):
        prev[:, j + 1] = prev[:, j] + ins_b[:, j]
    dist = np.zeros(n)
    for i in range(a_ids.shape[1]):
        sub_i = sub[a_ids[:, i][:, None], b_ids]
        cur = np.empty_like(prev)
        left = cur[:, 0] = prev[:, 0] + del_a[:, i]
        for j in range(b_ids.shape[1]):
            left = np.minimum(
                np.minimum(prev[:, j + 1] + del_a[:, i], left + ins_b[:, j]), prev[:, j] + sub_i[:, j]
            )
            cur[:, j + 1] = left
        prev = cur
        done = np.nonzero(len_a == i + 1)[0]
        dist[done] = prev[done, len_b[done]]
    # the normaliser, summed left to right like sum() does
    norm_a, norm_b = np.zeros(n), np.zeros(n)
    for i in range(a_ids.shape[1]):
        norm_a = np.where(i < len_a, norm_a + del_a[:, i], norm_a)
    for j in range(b_ids.shape[1]):
        norm_b = np.where(j < len_b, norm_b + ins_b[:, j], norm_b)
    return np.maximum(0.0, 1.0 - dist / np.maximum(norm_a, norm_b)).tolist()


try:  # the same distance in C, built when the package is installed with a compiler
    from . import _phonedist
except ImportError:  # pragma: no cover - depends on the build
    _phonedist = None


def c_similarity(a: str, b: str) -> float | None:
    """phoneme_similarity in C; None when the C version is not built."""
    if _phonedist is None:
        return None
    sim = _phonedist.similarity(a, b)
    if sim is None:  # a phoneme it has no costs for yet
        count = n_codes()
        indel, sub = _cost_arrays(count)
        _phonedist.set_costs(indel[:count].tobytes(), sub[:count, :count].tobytes(), count,
                             FIRST_CODE)
        sim = _phonedist.similarity(a, b)
    return sim


@memo(1_000_000)
def phoneme_similarity(a: str, b: str) -> float:
    """1 - weighted distance / the cost of deleting the longer string; in [0, 1]."""
    sim = c_similarity(a, b)
    if sim is not None:
        return sim
    return py_similarity(a, b)


def py_similarity(a: str, b: str) -> float:
    """:func:`phoneme_similarity` in Python (what the C version must give)."""
    if not a and not b:
        return 1.0
    indel = _indel_cost.cache  # the memo's own dict: no call per phoneme
    try:
        norm = max(sum(map(indel.__getitem__, a)), sum(map(indel.__getitem__, b)))
    except KeyError:  # a phoneme not costed yet
        norm = max(sum(map(_indel_cost, a)), sum(map(_indel_cost, b)))
    return max(0.0, 1.0 - phoneme_distance(a, b) / norm)
