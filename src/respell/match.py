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
import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations, repeat
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from . import context, phonetics
from ._memo import memo
from .lexicon import Lexicon, Variant

_WORD = re.compile(r"\w+(?:['’]\w+)*")
# What may stand between two words of one span: spaces, hyphens, commas, quotes, &
# ("SG&A", "Procter & Gamble": the words of a name written with one).
_GAP_OK = re.compile(r"[\s\-,\"“”&]*")
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


_ZIPF: dict[str, float] | None = None
_COMMON_ZIPF = 3.0  # an ordinary word: once in a million words or more often
_DIGIT = re.compile(r"\d")
_PARTS = re.compile(r"[^\W_]+")  # the letter and digit runs of a token


def _zipf_table() -> dict[str, float]:
    """Word -> Zipf frequency for wordfreq's English list, read once.

    Read from wordfreq's data file directly (a gzipped msgpack list of
    centibel buckets, as its ``read_cBpack`` documents) because importing
    wordfreq and building its frequency dict takes three times as long; any
    surprise there falls back to wordfreq's own API.
    """
    global _ZIPF
    if _ZIPF is None:
        try:
            import gzip
            from importlib.util import find_spec
            from pathlib import Path

            import msgpack

            (folder,) = find_spec("wordfreq").submodule_search_locations  # without importing it
            packed = gzip.decompress((Path(folder) / "data" / "large_en.msgpack.gz").read_bytes())
            header, *buckets = msgpack.unpackb(packed, raw=False)
            if header.get("format") != "cB" or header.get("version") != 1:
                raise ValueError("unknown wordfreq data format")
        except Exception:  # noqa: BLE001 - any trouble: the slower, supported path
            from wordfreq import get_frequency_list

            buckets = get_frequency_list("en", wordlist="best")
        table: dict[str, float] = {}
        for cb, bucket in enumerate(buckets):  # bucket k: frequency 10 ** (-k / 100)
            if bucket:
                table.update(zip(bucket, repeat(round(9 - cb / 100, 2))))
        _ZIPF = table
    return _ZIPF


@memo(1_000_000)
def zipf(word: str) -> float:
    """Zipf frequency of a word in wordfreq's English list (0 for unknown words, about 7 for
    'the'), without importing wordfreq.

    A word the list lacks as written is looked up case-folded, then by its shape with
    digits as 0 (the list keeps most numbers only so: "2021" -> "0000", the frequency of
    four-digit numbers); a word of several parts ("co-op", "covid-19") is as common as
    its rarest part.

    >>> zipf("the") > 7 > zipf("2021") > zipf("covid-19") > zipf("trefzger") == 0
    True
    """
    table = _zipf_table()
    folded = word.casefold()
    shape = _DIGIT.sub("0", folded)
    for form in (word, folded, shape):
        found = table.get(form)
        if found is not None:
            return found
    parts = _PARTS.findall(shape)
    if parts and parts != [shape]:
        return min(map(zipf, parts))
    return 0.0


def _norm_letters(text: str) -> str:
    if text.isalnum():
        return text.lower()
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
        # the lexicon's entities, not the lexicon: the lexicon keeps its index, and a
        # reference back would make a cycle that only the collector frees (a full
        # collection for every list, with one list per utterance)
        self.entities = lexicon.entities
        forms = _Forms.current()
        variants = lexicon.variants
        heard = getattr(variants, "heard", None) or [v.heard for v in variants]
        ids = forms.ids_of(heard)
        if -1 in ids:  # forms with no phonemes ("?!") are left out
            kept = [k for k, f in enumerate(ids) if f >= 0]
            variants = [variants[k] for k in kept]
            ids = [ids[k] for k in kept]
        self.forms, self.ids = forms, ids
        id_array = np.fromiter(ids, np.int64, len(ids))
        self.max_words = int(forms.n_words_of(id_array).max()) if ids else 1
        self.entries = _Entries(variants, forms, ids)
        reduced = forms.reduced
        self.reduced = list(map(reduced.__getitem__, ids))
        self.masks = forms.masks_of(id_array)
        self._blocks: dict[str, _Block] | None = None
        # form id -> entry, and the form ids heard by several entries; made on the first
        # exact match, which many short transcripts never have
        self._where: tuple[dict[int, int], dict[int, list[int]]] | None = None

    def exact(self, key: str) -> list[int]:
        """The entries heard exactly as ``key`` (lower-case words, single spaces)."""
        found = self.forms.by_exact.get(key)
        if not found:
            return []
        if self._where is None:
            ids = self.ids
            position = dict(zip(ids, range(len(ids))))
            repeated: dict[int, list[int]] = {}
            if len(position) < len(ids):  # the same words twice: two entities, or a surname
                for idx, f in enumerate(ids):
                    repeated.setdefault(f, []).append(idx)
                repeated = {f: v for f, v in repeated.items() if len(v) > 1}
            self._where = position, repeated
        position, repeated = self._where
        out = []
        for f in found:
            if f in repeated:
                out.extend(repeated[f])
            elif f in position:
                out.append(position[f])
        return out

    @property
    def blocks(self) -> dict[str, _Block]:
        """Blocking key -> its entries, grouped by sound classes and ordered by length;
        built when a big search first needs it."""
        if self._blocks is None:
            by_key: dict[str, list[int]] = defaultdict(list)
            keys = self.forms.keys
            for idx, f in enumerate(self.ids):
                for k in keys[f]:
                    by_key[k].append(idx)
            self._blocks = {k: _Block.of(self.reduced, v) for k, v in by_key.items()}
        return self._blocks


class _Block(NamedTuple):
    """Items (entries or spans) grouped by their distinct strings, shortest strings first:
    group ``g`` is ``strings[g]``, held by ``members[starts[g]:starts[g + 1]]``."""

    strings: list[str]
    lengths: np.ndarray
    starts: np.ndarray
    members: np.ndarray

    @classmethod
    def of(cls, texts: Sequence[str], items: list[int]) -> _Block:
        """Group ``items`` by ``texts[item]``."""
        group: dict[str, list[int]] = {}
        for k in items:
            group.setdefault(texts[k], []).append(k)
        strings = sorted(group, key=len)
        sizes = np.fromiter(map(len, map(group.__getitem__, strings)), np.int64, len(strings))
        starts = np.zeros(len(strings) + 1, np.int64)
        np.cumsum(sizes, out=starts[1:])
        members = np.fromiter((k for s in strings for k in group[s]), np.int64, int(starts[-1]))
        return cls(strings, np.fromiter(map(len, strings), np.int64, len(strings)), starts, members)

    def expand(self, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The members of each of ``groups``: (position in ``groups``, member) per member."""
        first, sizes = self.starts[groups], self.starts[groups + 1] - self.starts[groups]
        which = np.repeat(np.arange(len(groups)), sizes)
        offsets = np.arange(len(which)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        return which, self.members[first[which] + offsets]


class _Entries:
    """The index's entries, each made on its first access: most are never looked at."""

    __slots__ = ("_forms", "_ids", "_made", "_variants")

    def __init__(self, variants: list[Variant], forms: _Forms, ids: list[int]):
        self._variants, self._forms, self._ids = variants, forms, ids
        self._made: dict[int, _Entry] = {}

    def __len__(self) -> int:
        return len(self._variants)

    def __getitem__(self, i: int) -> _Entry:
        entry = self._made.get(i)
        if entry is None:
            f, forms = self._ids[i], self._forms
            entry = self._made[i] = _Entry(self._variants[i], forms.words[f], forms.codes[f],
                                           forms.reduced[f], forms.letters[f], forms.zipf[f])
        return entry


_KEY_CLASS = str.maketrans({"R": "L", "W": "L", "Y": "L", "M": "N", "F": "P", "H": "T", "C": "S"})


def _stem(word: str) -> str:
    """A word without a possessive 's: "Bick's" -> "Bick"."""
    return _POSSESSIVE.sub("", word)


_FORMS_LOCK = threading.RLock()


class _Forms:
    """Every spoken form compiled so far, as columns indexed by a form id.

    Shared by all lexicons, so that building an index for a list of names already
    seen is a few list look-ups per name rather than Python work per name. When it
    holds ``limit`` forms a new table is started; indexes built on the old one keep it.
    """

    limit = 2_000_000
    _current: _Forms | None = None

    def __init__(self) -> None:
        self.id_of: dict[str, int] = {}  # heard text -> form id, -1 if it has no phonemes
        self.words: list[tuple[str, ...]] = []
        self.codes: list[str] = []  # phoneme string
        self.reduced: list[str] = []  # broad sound classes
        self.letters: list[str] = []  # lower-case letters and digits
        self.zipf: list[float] = []  # mean Zipf frequency of its words: high = ordinary words
        self.keys: list[tuple[str, ...]] = []  # blocking keys
        # lower-case words, space-separated -> ids; tuples, which the collector soon stops
        # tracking (a list per form made every full collection walk them all)
        self.by_exact: dict[str, tuple[int, ...]] = {}
        self._masks = np.zeros(1024, dtype=np.uint64)  # blocking keys as a bit set
        self._n_words = np.zeros(1024, dtype=np.int32)

    @classmethod
    def current(cls) -> _Forms:
        with _FORMS_LOCK:
            if cls._current is None or len(cls._current.codes) >= cls.limit:
                cls._current = cls()
            return cls._current

    def ids_of(self, heard: list[str]) -> list[int]:
        ids = list(map(self.id_of.get, heard))
        if None in ids:
            with _FORMS_LOCK:  # one thread at a time adds forms: the columns stay aligned
                self._add_new(heard, ids)
        return ids

    def _add_new(self, heard: list[str], ids: list[int | None]) -> None:
        """Fill in the ids not yet known (None in ``ids``), adding the forms that are new.

        Only those are looked up again: in a big table each look-up is a cache miss.
        """
        missing = [k for k, f in enumerate(ids) if f is None]
        known = self.id_of.get  # another thread may have added some
        new = list(dict.fromkeys(heard[k] for k in missing if known(heard[k]) is None))
        plain = [h for h in new if phonetics.is_plain_word(_stem(h))]
        if plain:
            self._add_words(plain)
        rest = [h for h in new if h not in self.id_of]
        if len(rest) > 1:  # their words converted in bulk first
            phonetics.word_phonemes([
                w for h in rest for w in phonetics.clean_text(_stem(h)).lower().split()
                if phonetics.is_plain_word(w)
            ])
        for h in rest:
            self.id_of[h] = self._add(h)
        for k in missing:
            ids[k] = self.id_of[heard[k]]

    def _add_words(self, plain: list[str]) -> None:
        """Add forms that are one plain word each, perhaps possessive: :meth:`_add`, in bulk."""
        lower = [h.lower() for h in plain]
        all_codes = phonetics.word_phonemes([_stem(h) for h in lower])  # "Bick's" sounds as "bick"
        if "" in all_codes:
            self.id_of.update((h, -1) for h, codes in zip(plain, all_codes) if not codes)
            kept = [k for k, codes in enumerate(all_codes) if codes]
            plain, lower, all_codes = ([col[k] for k in kept] for col in (plain, lower, all_codes))
        letters = [low if low.isalnum() else _norm_letters(low) for low in lower]
        added = self._extend([(h,) for h in plain], all_codes, letters, list(map(zipf, lower)), lower)
        self.id_of.update(zip(plain, added))

    def _add(self, heard: str) -> int:
        words = tuple(_WORD.findall(heard))
        if not words:
            return -1
        stem_words = words[:-1] + (_stem(words[-1]),)
        codes = phonetics.phonemes(" ".join(stem_words))
        if not codes:
            return -1
        mean_zipf = sum(zipf(w.lower()) for w in words) / len(words)
        (f,) = self._extend([words], [codes], [_norm_letters(heard)], [mean_zipf],
                            [" ".join(words).lower()])
        return f

    def _extend(self, words: list[tuple[str, ...]], codes: list[str], letters: list[str],
                mean_zipf: list[float], exact: list[str]) -> range:
        """Append forms (one per item of the columns given); returns their ids."""
        first = len(self.codes)
        added = range(first, first + len(codes))
        keys = list(map(_keys, map(phonetics.consonant_skeleton, codes)))
        self.words.extend(words)
        self.codes.extend(codes)
        self.reduced.extend(map(phonetics.reduce, codes))
        self.letters.extend(letters)
        self.zipf.extend(mean_zipf)
        self.keys.extend(keys)
        by_exact = self.by_exact
        for f, text in zip(added, exact):
            by_exact[text] = by_exact.get(text, ()) + (f,)
        while added.stop > len(self._masks):
            self._masks = np.concatenate([self._masks, np.zeros_like(self._masks)])
            self._n_words = np.concatenate([self._n_words, np.zeros_like(self._n_words)])
        self._masks[first:added.stop] = np.fromiter(map(_key_mask, keys), np.uint64, len(keys))
        self._n_words[first:added.stop] = np.fromiter(map(len, words), np.int32, len(words))
        return added

    def masks_of(self, ids: np.ndarray) -> np.ndarray:
        return self._masks[ids]

    def n_words_of(self, ids: np.ndarray) -> np.ndarray:
        return self._n_words[ids]


@memo(100_000)
def _keys(skeleton: str) -> tuple[str, ...]:
    """Deletion neighbourhood of the first three consonant classes: tolerant to one error.

    Classes are merged further here (liquids, nasals, labials...) because ASR
    confuses them: "bay loop" (PLP) must meet "Beirut" (PRT).
    """
    head = skeleton.translate(_KEY_CLASS)[:3]
    if len(head) < 2:
        return (head,)
    return tuple(dict.fromkeys("".join(p) for p in combinations(head, 2)))


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
    stems = [_stem(t.text) for t in tokens]
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
        and zipf(lower[k]) >= _COMMON_ZIPF
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
        span_letters = _norm_letters(span_text)
        scored = []
        for e, rsim in best:
            entry = index.entries[e]
            if entry.variant.kind == "spelled":
                continue  # recognised where it stands only
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
                "surname": float(entry.variant.kind in ("surname", "given_name", "part")),
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
        span_masks = np.array([_key_mask(_keys(k)) for k in skeletons], dtype=np.uint64)
        shared = (span_masks[qs] & index.masks[es]) != 0
        return qs[shared], es[shared], ss[shared]

    by_key: dict[str, list[int]] = defaultdict(list)
    blocks = index.blocks
    for q, skeleton in enumerate(skeletons):
        for key in _keys(skeleton):
            if key in blocks:
                by_key[key].append(q)
    found_q, found_e, found_s = [], [], []
    for key, queries in by_key.items():
        entries, spans = blocks[key], _Block.of(reduced, queries)
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


_KEY_BITS: dict[str, int] = {}
_KEY_MASKS: dict[tuple[str, ...], int] = {}


def _key_mask(keys: tuple[str, ...]) -> int:
    """Blocking keys as a bit set (keys are class pairs: a few dozen exist)."""
    mask = _KEY_MASKS.get(keys)
    if mask is None:
        mask = 0
        for k in keys:
            bit = _KEY_BITS.get(k)
            if bit is None:
                with _FORMS_LOCK:  # past 64 keys bits are shared: still a superset
                    bit = _KEY_BITS.setdefault(k, len(_KEY_BITS) % 64)
            mask |= 1 << bit
        _KEY_MASKS[keys] = mask
    return mask


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
