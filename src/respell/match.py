"""Candidate spans: which words of a transcript may be a garbled entity, and how alike they are.

The lexicon is indexed by consonant-class pairs (a deletion neighbourhood of
the first three consonant classes), so a span is compared only with the
entities that share its sound skeleton, not with the whole list. Survivors
are ranked by rapidfuzz on broad sound classes, then scored with a weighted
phoneme edit distance.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from . import phonetics
from .lexicon import Lexicon, Variant

_WORD = re.compile(r"\w+(?:['’]\w+)*")
# What may stand between two words of one span: spaces, hyphens, commas, quotes.
_GAP_OK = re.compile(r"[\s\-,\"“”]*")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    """Word tokens with their character offsets.

    >>> [t.text for t in tokenize("Sola money's car, in Beirut.")]
    ['Sola', "money's", 'car', 'in', 'Beirut']
    """
    return [Token(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


_FREQ: dict[str, float] | None = None


@lru_cache(maxsize=300_000)
def zipf(word: str) -> float:
    """wordfreq's Zipf frequency of a word (0 for unknown words, about 7 for 'the')."""
    global _FREQ
    if _FREQ is None:
        from wordfreq import get_frequency_dict

        _FREQ = get_frequency_dict("en", wordlist="best")
    if word.isalpha() and word.islower():  # the dictionary's own form: a direct lookup
        freq = _FREQ.get(word)
        return round(math.log10(freq) + 9, 2) if freq else 0.0
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en", wordlist="best")


def _norm_letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


class _Entry(NamedTuple):
    variant: Variant
    words: tuple[str, ...]
    codes: str  # phoneme string
    reduced: str
    letters: str
    zipf: float  # mean Zipf frequency of its words: high = ordinary words


class LexiconIndex:
    """A lexicon compiled for matching: phonemes of every variant and a blocking index.

    Built once per :class:`~respell.lexicon.Lexicon` and cached on it.
    """

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        variants, compiled = [], []
        self.exact: dict[str, list[int]] = defaultdict(list)  # normalised heard text -> entries
        self.max_words = 1
        blocks: dict[str, list[int]] = defaultdict(list)
        exact = self.exact
        for variant in lexicon.variants:
            comp = _compile(variant.heard)
            if comp is None:
                continue
            idx = len(variants)
            variants.append(variant)
            compiled.append(comp)
            exact[comp[6]].append(idx)
            self.max_words = max(self.max_words, len(comp[0]))
            for k in comp[5]:
                blocks[k].append(idx)
        self.entries = _Entries(variants, compiled)
        self.blocks = {k: np.array(v, dtype=np.int32) for k, v in blocks.items()}
        self.reduced = [c[2] for c in compiled]


class _Entries:
    """The index's entries, made on access: most are never looked at in a transcript."""

    __slots__ = ("_compiled", "_variants")

    def __init__(self, variants: list[Variant], compiled: list[tuple]):
        self._variants, self._compiled = variants, compiled

    def __len__(self) -> int:
        return len(self._variants)

    def __getitem__(self, i: int) -> _Entry:
        words, codes, reduced, letters, mean_zipf, _, _ = self._compiled[i]
        return _Entry(self._variants[i], words, codes, reduced, letters, mean_zipf)


_KEY_CLASS = str.maketrans({"R": "L", "W": "L", "Y": "L", "M": "N", "F": "P", "H": "T", "C": "S"})


@lru_cache(maxsize=500_000)
def _compile(heard: str):
    """Everything matching needs about one spoken form; cached across lexicons."""
    words = tuple(t.text for t in tokenize(heard))
    if not words:
        return None
    stem_words = words[:-1] + (_POSSESSIVE.sub("", words[-1]),)
    codes = phonetics.phonemes(" ".join(stem_words))
    if not codes:
        return None
    mean_zipf = sum(zipf(w.lower()) for w in words) / len(words)
    keys = tuple(_keys(phonetics.consonant_skeleton(codes)))
    key = " ".join(words).lower()
    return words, codes, phonetics.reduce(codes), _norm_letters(heard), mean_zipf, keys, key


@lru_cache(maxsize=100_000)
def _keys(skeleton: str) -> frozenset[str]:
    """Deletion neighbourhood of the first three consonant classes: tolerant to one error.

    Classes are merged further here (liquids, nasals, labials...) because ASR
    confuses them: "bay loop" (PLP) must meet "Beirut" (PRT).
    """
    head = skeleton.translate(_KEY_CLASS)[:3]
    if len(head) < 2:
        return frozenset((head,))
    return frozenset("".join(p) for p in combinations(head, 2))


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
    prefilter: float = 0.6,
    min_psim: float = 0.5,
    per_span: int = 4,
) -> list[Candidate]:
    """Every plausible (span, entity) pair with its features; no decision is taken here."""
    if not index.entries or not tokens:
        return []
    word_codes = [phonetics.phonemes(_POSSESSIVE.sub("", t.text)) for t in tokens]
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
            key = " ".join(lower[i:j])
            if key in index.exact:
                protected.add((i, j))
                span_text = text[tokens[i].start:tokens[j - 1].end]
                if any(index.entries[e].variant.text == span_text for e in index.exact[key]):
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

    # Whether the transcript is cased at all; names already present don't count, so that
    # correcting a lower-case transcript does not make the next pass think it is cased.
    has_case = any(
        k not in spelled_right and any(ch.isupper() for ch in tok.text)
        for k, tok in enumerate(tokens)
    )

    # Group span queries by blocking key, compare each group with its block in one cdist call.
    by_key: dict[str, list[int]] = defaultdict(list)
    blocks = index.blocks
    for q, skeleton in enumerate(skeletons):
        for key in _keys(skeleton):
            if key in blocks:
                by_key[key].append(q)
    found_q, found_e, found_s = [], [], []
    workers = -1 if len(spans) * len(index.entries) > 5_000_000 else 1  # threads pay off late
    for key, queries in by_key.items():
        block = index.blocks[key]
        reduced_all = index.reduced
        scores = process.cdist(
            [reduced[q] for q in queries], [reduced_all[e] for e in block],
            scorer=Levenshtein.normalized_similarity, score_cutoff=prefilter, workers=workers,
            dtype=np.float32,
        )
        qs, es = np.nonzero(scores)
        found_q.append(np.asarray(queries, dtype=np.int64)[qs])
        found_e.append(block[es])
        found_s.append(scores[qs, es])
    if not found_q:
        return []
    fq, fe, fs = np.concatenate(found_q), np.concatenate(found_e), np.concatenate(found_s)
    order = np.lexsort((-fs, fq))  # by query, best first
    fq, fe, fs = fq[order].tolist(), fe[order].tolist(), fs[order].tolist()
    pairs: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for q, e, s in zip(fq, fe, fs):
        pairs[q].append((e, s))

    out: list[Candidate] = []
    for q, found in pairs.items():
        i, j, codes = spans[q]
        best = list(dict(found[: per_span * 6]).items())[: per_span * 3]  # a pair may come twice
        span_text = text[tokens[i].start:tokens[j - 1].end]
        span_letters = _norm_letters(span_text)
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
        scored = scored[:per_span]
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
            }))
    return out


def _sentence_start(text: str, tokens: Sequence[Token], i: int) -> bool:
    """Whether token i opens a sentence (its capital letter then says nothing)."""
    before = text[tokens[i - 1].end:tokens[i].start] if i else ""
    return i == 0 or any(ch in ".?!:\n" for ch in before)


def _respects_protected(i, j, entry, covering, lower, span_letters) -> bool:
    """A candidate may touch a listed name already present only to extend it.

    "Cassim Soleimani" -> "Qassem Soleimani" may cover the surname "Soleimani";
    "the European Parliament" may not swallow "European Parliament".
    """
    if not any(covering[k] for k in range(i, j)):
        return True
    ent_words = [w.lower() for w in entry.words]
    for k in range(i, j):
        for pi, pj in covering[k]:
            if (pi, pj) == (i, j):
                if span_letters != entry.letters:
                    return False
                continue
            inner = lower[pi:pj]
            if not (i <= pi and pj <= j and len(ent_words) > len(inner)):
                return False
            if not any(ent_words[s:s + len(inner)] == inner for s in range(len(ent_words))):
                return False
    return True
