"""Candidate spans: which words of a transcript may be a garbled entity, and how alike they are.

The lexicon is indexed by consonant-class pairs (a deletion neighbourhood of
the first three consonant classes), so a span is compared only with the
entities that share its sound skeleton, not with the whole list. Survivors
are ranked by rapidfuzz on broad sound classes, then scored with a weighted
phoneme edit distance.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from . import context, phonetics
from .index import Block, LexiconIndex, blocking_keys, key_mask
from .words import COMMON_ZIPF, Token, letters, stem, zipf

# What may stand between two words of one span: spaces, hyphens, commas, quotes, &
# ("SG&A", "Procter & Gamble": the words of a name written with one).
_GAP_OK = re.compile(r"[\s\-,\"“”&]*")


@dataclass(frozen=True)
class Candidate:
    """A span of transcript tokens [i, j) that may be the entity variant ``entry``."""

    i: int
    j: int
    entry: int
    features: dict


def joinable_gaps(text: str, tokens: Sequence[Token], barriers: Sequence[int]) -> list[bool]:
    """For each pair of neighbouring tokens, whether one span may cover both.

    Not across sentence punctuation, a blank line, or a barrier (a cue boundary).
    """
    cuts = sorted(barriers)
    out = []
    for k in range(len(tokens) - 1):
        a, b = tokens[k].end, tokens[k + 1].start
        gap = text[a:b]
        ok = bool(_GAP_OK.fullmatch(gap)) and gap.count("\n") <= 1
        if ok and cuts:
            n = bisect.bisect_right(cuts, tokens[k].start)
            ok = not (n < len(cuts) and cuts[n] < tokens[k + 1].end)
        out.append(ok)
    return out


def find_candidates(
    text: str,
    tokens: Sequence[Token],
    index: LexiconIndex,
    *,
    max_span_words: int = 4,
    barriers: Sequence[int] = (),
    prefilter: float = 0.599,  # rapidfuzz drops pairs at exactly 0.6 (3 of 5 classes) otherwise
    min_psim: float = 0.5,
    per_span: int = 4,
) -> list[Candidate]:
    """Every plausible (span, entity) pair with its features; no decision is taken here."""
    if not index.entries or not tokens:
        return []
    stems = [stem(t.text) for t in tokens]
    phonetics.word_phonemes([w.lower() for w in dict.fromkeys(stems) if phonetics.is_plain_word(w)])
    word_codes = phonetics.phonemes.each(stems)
    lower = [t.text.lower() for t in tokens]
    max_len = min(max_span_words, index.max_words + 2)

    # Words inside a listed name already present (any case) are never respelled, nor
    # absorbed into a longer correction ("the European Parliament", "Energy" + "Agency").
    protected: set[tuple[int, int]] = set()
    spelled_right: set[int] = set()  # tokens of names already written exactly as listed
    # Sound classes map phoneme by phoneme, so a span's are its words' joined.
    word_reduced = [phonetics.reduce(c) for c in word_codes]
    word_skeleton = [phonetics.consonant_skeleton(c) for c in word_codes]
    joinable = joinable_gaps(text, tokens, barriers)
    spans: list[tuple[int, int, str]] = []
    reduced: list[str] = []
    skeletons: list[str] = []
    for i in range(len(tokens)):
        for j in range(i + 1, min(len(tokens), i + max_len) + 1):
            if j - i >= 2 and not joinable[j - 2]:
                break
            same = index.exact(" ".join(lower[i:j]))
            if same:
                protected.add((i, j))
                span_text = text[tokens[i].start:tokens[j - 1].end]
                if any(index.entries[e].variant.text == span_text for e in same):
                    spelled_right.update(range(i, j))
            codes = "".join(word_codes[i:j])
            if codes:
                spans.append((i, j, codes))
                reduced.append("".join(word_reduced[i:j]))
                skeletons.append("".join(word_skeleton[i:j])[:3])

    covering: list[list[tuple[int, int]]] = [[] for _ in tokens]
    for span in protected:
        for k in range(*span):
            covering[k].append(span)

    # Whether the transcript is cased at all, judged by ordinary words only ("The", "I"):
    # a correction writes a name, or replaces a rare garble ("Abidabad"), so either way
    # the next pass judges the case as this one did.
    has_case = any(
        k not in spelled_right and any(ch.isupper() for ch in tok.text)
        and zipf(lower[k]) >= COMMON_ZIPF
        for k, tok in enumerate(tokens)
    )

    cues = context.name_cues(tokens)  # "thanks, X", "over to X", ...

    found_q, found_e, found_s = _prefilter(index, reduced, skeletons, prefilter)
    if not len(found_q):
        return []
    best_of = _best_of(found_q, found_e, found_s, per_span * 3)
    if len(found_q) >= 256:  # many pairs: their phonetic similarities in one vectorised pass
        form_codes, form_of = index.forms.codes, index.ids
        phonetics.warm_similarities(
            (spans[q][2], form_codes[form_of[e]]) for q, best in best_of.items() for e, _ in best
        )

    # First the best few entries of each span, then (in bulk, when there are many)
    # how well the span does without its first or last word, then the features.
    kept: list[tuple[int, str, str, list[tuple[float, int, float]]]] = []
    for q, best in best_of.items():
        i, j, codes = spans[q]
        span_text = text[tokens[i].start:tokens[j - 1].end]
        span_letters = letters(span_text)
        scored = []
        for e, rsim in best:
            entry = index.entries[e]
            if not _respects_protected(i, j, entry, covering, lower, span_letters):
                continue
            if span_text == entry.variant.text or (
                span_text == entry.variant.heard and entry.variant.kind != "sounds_like"
            ):
                continue  # already right
            psim = phonetics.phoneme_similarity(codes, entry.codes)
            if psim >= min_psim:
                scored.append((psim, e, rsim))
        scored.sort(reverse=True)
        if scored:
            kept.append((q, span_text, span_letters, scored[:per_span]))
    if len(kept) >= 64:
        form_codes, form_of = index.forms.codes, index.ids
        phonetics.warm_similarities(
            (part, form_codes[form_of[e]])
            for q, _, _, scored in kept if spans[q][1] - spans[q][0] >= 2
            for part in ("".join(word_codes[spans[q][0] + 1:spans[q][1]]),
                         "".join(word_codes[spans[q][0]:spans[q][1] - 1]))
            for _, e, _ in scored
        )

    out: list[Candidate] = []
    for q, span_text, span_letters, scored in kept:
        i, j, codes = spans[q]
        for rank, (psim, e, rsim) in enumerate(scored):
            entry = index.entries[e]
            others = [s for s, e2, _ in scored if index.entries[e2].variant.entity != entry.variant.entity]
            runner = max(others) if others else 0.0
            span_words = lower[i:j]
            zipfs = [zipf(w) for w in span_words]
            csim = fuzz.ratio(span_letters, entry.letters) / 100.0
            trim = 0.0
            if j - i >= 2:  # would the span do as well without its first or last word?
                trim = max(
                    phonetics.phoneme_similarity("".join(word_codes[i + 1:j]), entry.codes),
                    phonetics.phoneme_similarity("".join(word_codes[i:j - 1]), entry.codes),
                ) - psim
            ent = index.entities[entry.variant.entity]
            out.append(Candidate(i, j, e, {
                "psim": psim,
                "rsim": rsim,
                "csim": csim,
                "margin": psim - runner,
                "rank": rank,
                "trim_gain": trim,
                "span_zipf_max": max(zipfs),
                "span_zipf_mean": sum(zipfs) / len(zipfs),
                "span_zipf_min": min(zipfs),
                "edge_zipf": max(zipfs[0], zipfs[-1]) if j - i >= 2 else 0.0,
                "ent_zipf": entry.zipf,
                "n_span": j - i,
                "n_ent": len(entry.words),
                "ent_phones": len(entry.codes),
                "span_phones": len(codes),
                "same_letters": float(span_letters == entry.letters),
                "sounds_like": float(entry.variant.kind == "sounds_like"),
                "surname": float(entry.variant.kind in ("surname", "given_name")),
                "has_case": float(has_case),
                "lexicon_size": len(index.entries),
                "span_capital": float(tokens[i].text[:1].isupper()),
                "span_all_capital": float(all(t.text[:1].isupper() for t in tokens[i:j])),
                "sentence_start": float(_sentence_start(text, tokens, i)),
                "given_name": float(entry.variant.kind == "given_name"),
                "ent_capital": float(entry.variant.text[:1].isupper()),
                "name_cue": float(cues[i] or context.cue_after(tokens, j)),
                "anchor": context.anchored(tokens, i, j, entry.words, ent.text.split(), entry.variant.kind),
                "ent_person": float(ent.label == "PERSON"),
            }))
    return out


_ONE_KEY_PAIRS = 50_000  # from this many pairs on, sorting one key pays for making it


def _best_of(qs: np.ndarray, es: np.ndarray, ss: np.ndarray, k: int) -> dict[int, list[tuple[int, float]]]:
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


def _prefilter(index: LexiconIndex, reduced: list[str], skeletons: list[str], cutoff: float):
    """(span, entry, similarity) of every pair sharing a blocking key whose sound classes
    are alike (rapidfuzz normalised Levenshtein >= cutoff), as three numpy arrays.

    Small searches compare everything in one cdist call and keep the pairs that
    share a key; big ones compare each block of the index with its spans only,
    each distinct string once and only with strings of near length. Both give
    the same pairs, in any order; the blocks give a pair once per key it shares.
    """
    n_entries = len(index.reduced)
    if len(reduced) * n_entries <= _BRUTE_FORCE_PAIRS:
        scores = process.cdist(
            reduced, index.reduced, scorer=Levenshtein.normalized_similarity,
            score_cutoff=cutoff, dtype=np.float32,
        )
        qs, es, ss = _kept(scores)
        span_masks = np.array([key_mask(blocking_keys(k)) for k in skeletons], dtype=np.uint64)
        shared = (span_masks[qs] & index.masks[es]) != 0
        return qs[shared], es[shared], ss[shared]

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
            qs, es, ss = _kept(scores)
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


def _kept(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row, column and similarity of the pairs a cdist kept, row by row.

    A pair below the cutoff is written as 0.0, whose bits are all zero: looking for
    non-zero bits in one pass is twice as fast as np.nonzero on the floats.
    """
    flat = np.flatnonzero(scores.view(np.int32))
    rows, cols = np.divmod(flat, scores.shape[1])
    return rows, cols, scores.ravel()[flat]


def _sentence_start(text: str, tokens: Sequence[Token], i: int) -> bool:
    """Whether token i opens a sentence (its capital letter then says nothing)."""
    before = text[tokens[i - 1].end:tokens[i].start] if i else ""
    return i == 0 or any(ch in ".?!:\n" for ch in before)


def _respects_protected(i, j, entry, covering, lower, span_letters) -> bool:
    """A candidate may touch a listed name already present only to extend it.

    "Cassim Soleimani" -> "Qassem Soleimani" may cover the surname "Soleimani";
    "the European Parliament" may not swallow "European Parliament". A one-word
    listed name may be taken in only beside a part of the candidate's own name:
    "Quinn Freeland" -> "Clint Freeland" though "Quinn" is listed too.
    """
    if not any(covering[k] for k in range(i, j)):
        return True
    ent_words = [w.lower() for w in entry.words]
    anchored, foreign = False, False
    for k in range(i, j):
        for pi, pj in covering[k]:
            if (pi, pj) == (i, j):
                if span_letters != entry.letters:
                    return False
                continue
            inner = lower[pi:pj]
            if not (i <= pi and pj <= j):
                return False
            if len(ent_words) > len(inner) and any(
                ent_words[s:s + len(inner)] == inner for s in range(len(ent_words))
            ):
                anchored = True
            elif pj - pi == 1:
                foreign = True
            else:
                return False
    return anchored or not foreign
