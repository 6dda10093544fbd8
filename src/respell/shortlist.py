"""The shortlist of a span search: for each span, the few entries worth a phonetic comparison.

A span meets only the entries that share a blocking key with it (see
:mod:`respell.index`), and of those only the ones whose broad sound classes are
alike (rapidfuzz's normalised Levenshtein over the reduced strings); :func:`best_of`
then keeps each span's best few. Both are vectorised over all spans of a
transcript at once, with numpy and rapidfuzz's ``cdist``.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .index import Block, LexiconIndex, blocking_keys, key_mask

_ONE_KEY_PAIRS = 50_000  # from this many pairs on, sorting one key pays for making it


def best_of(qs: np.ndarray, es: np.ndarray, ss: np.ndarray, k: int) -> dict[int, list[tuple[int, float]]]:
    """span -> its ``k`` best (entry, similarity) pairs, best first (ties: lower entry first),
    spans in order; a pair given twice counts once."""
    if not len(qs):
        return {}
    order = None
    if len(qs) >= _ONE_KEY_PAIRS:  # many pairs: one int64 key per pair when it fits, sorted faster
        # span, then similarity falling (a positive float32's bits grow with it), then entry
        bits = ss.astype(np.float32).view(np.int32).astype(np.int64)
        worse = bits.max() - bits
        e_bits, s_bits = int(es.max()).bit_length(), int(worse.max()).bit_length()
        if e_bits + s_bits + int(qs.max()).bit_length() <= 62 and (ss > 0).all():
            key = (qs.astype(np.int64) << (s_bits + e_bits)) | (worse << e_bits) | es
            order = np.argsort(key)
            key = key[order]
            keep = np.ones(len(qs), dtype=bool)
            keep[1:] = key[1:] != key[:-1]
    if order is None:
        order = np.lexsort((es, -ss, qs))
        q_sorted, e_sorted = qs[order], es[order]
        keep = np.ones(len(qs), dtype=bool)
        keep[1:] = (q_sorted[1:] != q_sorted[:-1]) | (e_sorted[1:] != e_sorted[:-1])
    order = order[keep]
    qs, es, ss = qs[order], es[order], ss[order]
    rank = np.arange(len(qs)) - np.searchsorted(qs, qs)
    keep = rank < k
    best: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for q, e, s in zip(qs[keep].tolist(), es[keep].tolist(), ss[keep].tolist()):
        best[q].append((e, s))
    return best


# Below this many (span, entry) pairs one cdist over everything beats the blocks.
_BRUTE_FORCE_PAIRS = 400_000


def prefilter(index: LexiconIndex, reduced: list[str], skeletons: list[str], cutoff: float):
    """(span, entry, similarity) of every pair sharing a blocking key whose sound classes
    are alike (rapidfuzz normalised Levenshtein >= cutoff), as three numpy arrays.

    Small searches compare everything in one cdist call and keep the pairs that
    share a key; big ones compare each block of the index with its spans only,
    each distinct string once and only with strings of near length. Both give
    the same pairs, in any order; the blocks give a pair once per key it shares.
    """
    n_entries = len(index.reduced)
    if len(reduced) * n_entries <= _BRUTE_FORCE_PAIRS:
        return alike_pairs(reduced, skeletons, index.reduced, index.masks, cutoff)

    by_key: dict[str, list[int]] = defaultdict(list)
    blocks = index.blocks
    for q, skeleton in enumerate(skeletons):
        for key in blocking_keys(skeleton):
            if key in blocks:
                by_key[key].append(q)
    found_q, found_e, found_s = [], [], []
    for key, queries in by_key.items():
        entries, spans = blocks[key], Block.of(reduced, queries)
        # Only strings of near lengths can be alike enough: 1 - |a - b| / max(a, b) >= cutoff
        # (a little slack, so that no pair rapidfuzz would keep is left out).
        lo = np.searchsorted(entries.lengths, np.ceil(spans.lengths * cutoff - 1e-6), "left")
        hi = np.searchsorted(entries.lengths, np.floor(spans.lengths / cutoff + 1e-6), "right")
        hit_q, hit_e, hit_s = [], [], []
        for length in np.unique(spans.lengths):
            q0, q1 = np.searchsorted(spans.lengths, [length, length + 1])
            e0, e1 = lo[q0], hi[q0]
            if e0 >= e1:
                continue
            scores = process.cdist(
                spans.strings[q0:q1], entries.strings[e0:e1],
                scorer=Levenshtein.normalized_similarity, score_cutoff=cutoff,
                workers=-1 if (q1 - q0) * (e1 - e0) > 1_000_000 else 1, dtype=np.float32,
            )
            qs, es, ss = kept_pairs(scores)
            hit_q.append(qs + q0)
            hit_e.append(es + e0)
            hit_s.append(ss)
        if not hit_q:
            continue
        gq, ge, gs = np.concatenate(hit_q), np.concatenate(hit_e), np.concatenate(hit_s)
        at, e = entries.expand(ge)  # each pair of strings to the pairs of items holding them
        at2, q = spans.expand(gq[at])
        found_q.append(q)
        found_e.append(e[at2])
        found_s.append(gs[at][at2])
    if not found_q:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
    return np.concatenate(found_q), np.concatenate(found_e), np.concatenate(found_s)


def alike_pairs(reduced: list[str], skeletons: list[str], entries: list[str], masks: np.ndarray,
                cutoff: float):
    """(span, entry, similarity) of every pair of spans (their sound classes ``reduced`` and
    consonant ``skeletons``) and entries (their sound classes and blocking-key ``masks``)
    sharing a blocking key whose sound classes are alike, in one cdist over all of them."""
    scores = process.cdist(
        reduced, entries, scorer=Levenshtein.normalized_similarity,
        score_cutoff=cutoff, dtype=np.float32,
    )
    qs, es, ss = kept_pairs(scores)
    found, at = np.unique(qs, return_inverse=True)  # the keys of the spans with a pair only
    span_masks = np.array([key_mask(blocking_keys(skeletons[q])) for q in found.tolist()],
                          dtype=np.uint64)
    shared = (span_masks[at] & masks[es]) != 0
    return qs[shared], es[shared], ss[shared]


def kept_pairs(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row, column and similarity of the pairs a cdist kept, row by row.

    A pair below the cutoff is written as 0.0, whose bits are all zero: looking for
    non-zero bits in one pass is twice as fast as np.nonzero on the floats.
    """
    flat = np.flatnonzero(scores.view(np.int32))
    rows, cols = np.divmod(flat, scores.shape[1])
    return rows, cols, scores.ravel()[flat]
