"""The lexicon compiled for matching: every variant's phonemes, and a blocking index.

A span of a transcript is compared only with the entries that share its sound
skeleton: the index groups entries by blocking keys, a deletion neighbourhood
of the first three consonant classes (:func:`blocking_keys`). Every spoken form
is compiled once per process into a shared table (:class:`Forms`), so that the
index of a list of names already seen costs a few look-ups per name.

>>> from respell.lexicon import Lexicon
>>> index = LexiconIndex.of(Lexicon.from_entries(["Qassem Soleimani", "Beirut"]))
>>> [index.entries[e].variant.text for e in index.exact("beirut")]
['Beirut']
>>> lexicon = Lexicon.from_entries(["Beirut"])
>>> LexiconIndex.of(lexicon) is LexiconIndex.of(lexicon)  # built once, kept while it lives
True
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Sequence
from itertools import combinations
from typing import NamedTuple

import numpy as np

from . import phonetics
from ._memo import memo
from .lexicon import Lexicon, Variant
from .state import LOCK
from .variants import MODEL_KINDS, ONE_PART_KINDS, WHOLE_KINDS
from .words import WORD, letters, stem, zipf


class Entry(NamedTuple):
    """One variant of the lexicon as the matcher sees it."""

    variant: Variant
    words: tuple[str, ...]
    codes: str  # phoneme string
    reduced: str
    letters: str
    zipf: float  # mean Zipf frequency of its words: high = ordinary words


# Process-wide (see respell.state): lexicon id -> (a weak reference to the lexicon, its
# index). Held here rather than on the frozen lexicon, which stays plain data that pickles
# without this process's tables.
_INDEXES: dict[int, tuple[weakref.ref, LexiconIndex]] = {}


def _model_size(variants) -> int:
    """The list's size as the decision model knows it: the variants of the kinds it was
    fitted with (short forms, parts and demonyms' numbers came later)."""
    return sum(v.kind in MODEL_KINDS for v in variants)


def _users_size(lexicon: Lexicon, variants) -> int:
    """For a list of names known to be there that documents added names to, the size of
    the part the user gave (0 otherwise): the user's names are there however many more
    a document adds, and a size that grew with the documents would lower each of them."""
    if not (lexicon.known and 0 < lexicon.n_user < len(lexicon.entities)):
        return 0
    users = _user_entities(lexicon)
    return _model_size(v for v in variants if v.entity in users)


def _users(lexicon: Lexicon, variants, plain: bool) -> np.ndarray:
    """The positions of the variants of the entities the user gave, but the other number
    of a demonym (a form the user did not give: "Caravaggios" for a Caravaggio that an
    article's NER took for a nationality)."""
    if plain:  # plain names, all the user's
        return np.arange(len(variants), dtype=np.int64)
    users = _user_entities(lexicon)
    return np.fromiter((k for k, v in enumerate(variants) if v.entity in users and v.kind != "number"),
                       np.int64)


def _user_entities(lexicon: Lexicon) -> set[int]:
    return {k for k, ent in enumerate(lexicon.entities) if ent.origin == "user"}


class LexiconIndex:
    """A lexicon compiled for matching: phonemes of every variant and a blocking index.

    :meth:`of` builds it once per :class:`~respell.lexicon.Lexicon` and keeps it while
    the lexicon lives.
    """

    @classmethod
    def of(cls, lexicon: Lexicon) -> LexiconIndex:
        """The index of ``lexicon``, built on first use and kept for as long as it lives
        (reuse one lexicon for many transcripts to build it once)."""
        key = id(lexicon)
        found = _INDEXES.get(key)
        if found is not None and found[0]() is lexicon:
            return found[1]
        index = cls(lexicon)
        # the entry goes when the lexicon does (before its id can be given to another)
        _INDEXES[key] = (weakref.ref(lexicon, lambda _, key=key, table=_INDEXES: table.pop(key, None)), index)
        return index

    def __init__(self, lexicon: Lexicon):
        # the lexicon's entities, not the lexicon: a reference back from the index kept
        # for it would make a cycle that only the collector frees (a full collection for
        # every list, with one list per utterance)
        self.entities = lexicon.entities
        self.known, self.n_entities = lexicon.known, lexicon.n_user
        forms = Forms.current()
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
        plain = getattr(variants, "heard", None) is not None  # one variant per name
        self.size = len(ids) if plain else _model_size(variants)
        self.users_size = 0 if plain else _users_size(lexicon, variants)
        # the entries of the names the user gave, in a list of names known to be there
        # (the wider search of respell.match.find_matches)
        self.users = _users(lexicon, variants, plain) if self.known else np.zeros(0, np.int64)
        reduced = forms.reduced
        self.reduced = list(map(reduced.__getitem__, ids))
        self.masks = forms.masks_of(id_array)
        self._blocks: dict[str, Block] | None = None
        # form id -> entry, and the form ids heard by several entries; made on the first
        # exact match, which many short transcripts never have
        self._where: tuple[dict[int, int], dict[int, list[int]]] | None = None
        # entity -> its parts' entries, and its whole names'
        self._parts: dict[int, list[int]] | None = None
        self._wholes: dict[int, list[int]] = {}
        self._name_words: frozenset[str] | None = None

    def parts_of(self, entity: int) -> list[int]:
        """The entries of an entity's parts said alone (its surname, given name, a part of
        a longer name), made on the first call: a few transcripts ever ask."""
        return self._kinds()[0].get(entity, [])

    def wholes_of(self, entity: int) -> list[int]:
        """The entries of an entity's whole name (as listed, an alias, without its middle
        names), made on the first call."""
        return self._kinds()[1].get(entity, [])

    def _kinds(self) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
        if self._parts is None:
            variants = self.entries.variants
            self._parts, self._wholes = {}, {}
            if getattr(variants, "heard", None) is None:  # not one plain variant per name
                for k, v in enumerate(variants):
                    if v.kind in ONE_PART_KINDS:
                        self._parts.setdefault(v.entity, []).append(k)
                    elif v.kind in WHOLE_KINDS:
                        self._wholes.setdefault(v.entity, []).append(k)
        return self._parts, self._wholes

    @property
    def name_words(self) -> frozenset[str]:
        """The letters of every word of every listed name ("jorge", "gomez"), made on the
        first call."""
        if self._name_words is None:
            self._name_words = frozenset(
                letters(w) for ent in self.entities for w in ent.text.split() if letters(w)
            )
        return self._name_words

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
    def blocks(self) -> dict[str, Block]:
        """Blocking key -> its entries, grouped by sound classes and ordered by length;
        built when a big search first needs it."""
        if self._blocks is None:
            by_key: dict[str, list[int]] = defaultdict(list)
            keys = self.forms.keys
            for idx, f in enumerate(self.ids):
                for k in keys[f]:
                    by_key[k].append(idx)
            self._blocks = {k: Block.of(self.reduced, v) for k, v in by_key.items()}
        return self._blocks


class Block(NamedTuple):
    """Items (entries or spans) grouped by their distinct strings, shortest strings first:
    group ``g`` is ``strings[g]``, held by ``members[starts[g]:starts[g + 1]]``."""

    strings: list[str]
    lengths: np.ndarray
    starts: np.ndarray
    members: np.ndarray

    @classmethod
    def of(cls, texts: Sequence[str], items: list[int]) -> Block:
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

    def __init__(self, variants: list[Variant], forms: Forms, ids: list[int]):
        self._variants, self._forms, self._ids = variants, forms, ids
        self._made: dict[int, Entry] = {}

    def __len__(self) -> int:
        return len(self._variants)

    @property
    def variants(self) -> list[Variant]:
        return self._variants

    def __getitem__(self, i: int) -> Entry:
        entry = self._made.get(i)
        if entry is None:
            f, forms = self._ids[i], self._forms
            entry = self._made[i] = Entry(self._variants[i], forms.words[f], forms.codes[f],
                                          forms.reduced[f], forms.letters[f], forms.zipf[f])
        return entry


_KEY_CLASS = str.maketrans({"R": "L", "W": "L", "Y": "L", "M": "N", "F": "P", "H": "T", "C": "S"})


class Forms:
    """Every spoken form compiled so far, as columns indexed by a form id.

    Shared by all lexicons, so that building an index for a list of names already
    seen is a few list look-ups per name rather than Python work per name. When it
    holds ``limit`` forms a new table is started; indexes built on the old one keep it.
    """

    limit = 2_000_000
    _current: Forms | None = None  # process-wide: see respell.state

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
    def current(cls) -> Forms:
        with LOCK:
            if cls._current is None or len(cls._current.codes) >= cls.limit:
                cls._current = cls()
            return cls._current

    def ids_of(self, heard: list[str]) -> list[int]:
        ids = list(map(self.id_of.get, heard))
        if None in ids:
            with LOCK:  # one thread at a time adds forms: the columns stay aligned
                self._add_new(heard, ids)
        return ids

    def _add_new(self, heard: list[str], ids: list[int | None]) -> None:
        """Fill in the ids not yet known (None in ``ids``), adding the forms that are new.

        Only those are looked up again: in a big table each look-up is a cache miss.
        """
        missing = [k for k, f in enumerate(ids) if f is None]
        known = self.id_of.get  # another thread may have added some
        new = list(dict.fromkeys(heard[k] for k in missing if known(heard[k]) is None))
        plain = [h for h in new if phonetics.is_plain_word(stem(h))]
        if plain:
            self._add_words(plain)
        rest = [h for h in new if h not in self.id_of]
        if len(rest) > 1:  # their words converted in bulk first
            phonetics.word_phonemes([
                w for h in rest for w in phonetics.clean_text(stem(h)).lower().split()
                if phonetics.is_plain_word(w)
            ])
        for h in rest:
            self.id_of[h] = self._add(h)
        for k in missing:
            ids[k] = self.id_of[heard[k]]

    def _add_words(self, plain: list[str]) -> None:
        """Add forms that are one plain word each, perhaps possessive: :meth:`_add`, in bulk."""
        lower = [h.lower() for h in plain]
        all_codes = phonetics.word_phonemes([stem(h) for h in lower])  # "Bick's" sounds as "bick"
        if "" in all_codes:
            self.id_of.update((h, -1) for h, codes in zip(plain, all_codes) if not codes)
            kept = [k for k, codes in enumerate(all_codes) if codes]
            plain, lower, all_codes = ([col[k] for k in kept] for col in (plain, lower, all_codes))
        spelled = [low if low.isalnum() else letters(low) for low in lower]
        added = self._extend([(h,) for h in plain], all_codes, spelled, list(map(zipf, lower)), lower)
        self.id_of.update(zip(plain, added))

    def _add(self, heard: str) -> int:
        words = tuple(WORD.findall(heard))
        if not words:
            return -1
        stem_words = words[:-1] + (stem(words[-1]),)
        codes = phonetics.phonemes(" ".join(stem_words))
        if not codes:
            return -1
        mean_zipf = sum(zipf(w.lower()) for w in words) / len(words)
        (f,) = self._extend([words], [codes], [letters(heard)], [mean_zipf],
                            [" ".join(words).lower()])
        return f

    def _extend(self, words: list[tuple[str, ...]], codes: list[str], spelled: list[str],
                mean_zipf: list[float], exact: list[str]) -> range:
        """Append forms (one per item of the columns given); returns their ids."""
        first = len(self.codes)
        added = range(first, first + len(codes))
        keys = list(map(blocking_keys, map(phonetics.consonant_skeleton, codes)))
        self.words.extend(words)
        self.codes.extend(codes)
        self.reduced.extend(map(phonetics.reduce, codes))
        self.letters.extend(spelled)
        self.zipf.extend(mean_zipf)
        self.keys.extend(keys)
        by_exact = self.by_exact
        for f, text in zip(added, exact):
            by_exact[text] = by_exact.get(text, ()) + (f,)
        while added.stop > len(self._masks):
            self._masks = np.concatenate([self._masks, np.zeros_like(self._masks)])
            self._n_words = np.concatenate([self._n_words, np.zeros_like(self._n_words)])
        self._masks[first:added.stop] = np.fromiter(map(key_mask, keys), np.uint64, len(keys))
        self._n_words[first:added.stop] = np.fromiter(map(len, words), np.int32, len(words))
        return added

    def masks_of(self, ids: np.ndarray) -> np.ndarray:
        return self._masks[ids]

    def n_words_of(self, ids: np.ndarray) -> np.ndarray:
        return self._n_words[ids]


@memo(100_000)
def blocking_keys(skeleton: str) -> tuple[str, ...]:
    """Deletion neighbourhood of the first three consonant classes: tolerant to one error.

    Classes are merged further here (liquids, nasals, labials...) because ASR
    confuses them: "bay loop" (PLP) must meet "Beirut" (PRT).
    """
    head = skeleton.translate(_KEY_CLASS)[:3]
    if len(head) < 2:
        return (head,)
    return tuple(dict.fromkeys("".join(p) for p in combinations(head, 2)))


# process-wide (see respell.state): a key's bit, given once and kept
_KEY_BITS: dict[str, int] = {}
_KEY_MASKS: dict[tuple[str, ...], int] = {}


def key_mask(keys: tuple[str, ...]) -> int:
    """Blocking keys as a bit set (keys are class pairs: a few dozen exist)."""
    mask = _KEY_MASKS.get(keys)
    if mask is None:
        mask = 0
        for k in keys:
            bit = _KEY_BITS.get(k)
            if bit is None:
                with LOCK:  # past 64 keys bits are shared: still a superset
                    bit = _KEY_BITS.setdefault(k, len(_KEY_BITS) % 64)
            mask |= 1 << bit
        _KEY_MASKS[keys] = mask
    return mask
