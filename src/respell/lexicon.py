"""Known entities: a deduplicated list with its spoken variants, reused across transcripts.

:class:`~respell.entity.Entity` and :data:`~respell.entity.LABELS` live in
:mod:`respell.entity` (below :mod:`respell.extract`, which makes entities from
documents), reading list files in :mod:`respell.lists` and deriving variants in
:mod:`respell.variants`; all are importable from here as well.

>>> lex = Lexicon.from_entries(["Qassem Soleimani", "Beirut"])
>>> len(lex), lex.known, [(v.text, v.kind) for v in lex.variants][:3]
(2, True, [('Qassem Soleimani', 'canonical'), ('Soleimani', 'surname'), ('Qassem', 'given_name')])
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from ._memo import memo
from .entity import LABELS, ORIGINS, Entity, split_source
from .errors import EntityListError, OptionError
from .lists import entity_from_record, read_entity_file
from .variants import (
    ONE_PART_KINDS,
    Variant,
    derive_variants,
    heard_as_written,
    looks_like_person,
    said_otherwise,
)

__all__ = [
    "KNOWN_MAX", "LABELS", "LIST_KINDS", "ONE_PART_KINDS", "ORIGINS", "Entity", "Lexicon",
    "Variant", "looks_like_person", "read_entity_file", "split_source",
]

_HAS_ALNUM = re.compile(r"[^\W_]")
#: the kinds of list (see :attr:`Lexicon.kind`)
LIST_KINDS = ("auto", "known", "catalog")
#: an ``auto`` list of at most this many entities is taken as known names
KNOWN_MAX = 30


@dataclass(frozen=True)
class Lexicon:
    """A deduplicated list of entities and their variants, reusable across transcripts.

    Build it with :meth:`from_entries`, :meth:`load` (files) or
    :meth:`from_documents` (spaCy NER); combine with ``+``.
    """

    entities: tuple[Entity, ...]
    variants: tuple[Variant, ...] = field(repr=False, compare=False, default=())
    #: ``known``: names the user knows are in the transcript (a short, typed list);
    #: ``catalog``: names that may be (a biasing list, mostly absent); ``auto``: known
    #: when the list has at most :data:`KNOWN_MAX` entities.
    kind: str = "auto"

    def __post_init__(self) -> None:
        if self.kind not in LIST_KINDS:
            raise EntityListError(f"list kind must be one of {', '.join(LIST_KINDS)}, got {self.kind!r}")
        if not self.variants:
            ents = self.entities
            known = self.known
            if all(heard_as_written(e, known) for e in ents):
                # one-word names only (texts are unique after _merge): one variant each
                variants = _Canonical([e.text for e in ents])
            else:
                variants = tuple(derive_variants(ents, known=known))
            object.__setattr__(self, "variants", variants)

    @property
    def known(self) -> bool:
        """Whether the list is taken as names known to be in the transcript: with kind
        ``auto``, when the user gave at most :data:`KNOWN_MAX` of its entities (those
        found in documents do not count)."""
        return _is_known(self.kind, self.n_user)

    @property
    def n_user(self) -> int:
        """How many of its entities the user gave (typed or listed, not found in documents)."""
        if isinstance(self.entities, _PlainEntities):
            return len(self.entities)
        return sum(getattr(e, "origin", "user") == "user" for e in self.entities)

    def with_kind(self, kind: str) -> Lexicon:
        """The same entities taken as another kind of list."""
        return self if kind == self.kind else Lexicon(self.entities, kind=kind)

    # -- construction -------------------------------------------------------------------

    @classmethod
    def from_entries(cls, entries: Iterable[str | Entity | dict], *, kind: str = "auto") -> Lexicon:
        """Build from strings, :class:`Entity` objects or dicts with an entity's fields;
        ``kind`` says what kind of list it is (see :attr:`kind`)."""
        if isinstance(entries, (list, tuple)) and set(map(type, entries)) <= {str}:
            # plain names, the common case: normalised once per distinct string, deduplicated in C
            names = [t if t.isalpha() else _normal_name(t) for t in entries]
            if "" in names:
                names = [t for t in names if t]
            texts = list(dict.fromkeys(names))
            if len(texts) == len(names):  # no duplicate to count
                # (heard_as_written for plain one-word names, without an Entity each)
                known = _is_known(kind, len(texts))
                if " " not in "".join(texts) and not (known and any(map(said_otherwise, texts))):
                    # one-word names only, each heard as spelled
                    return cls(_PlainEntities(texts), _Canonical(texts), kind)
                return cls(tuple(_entity_of.each(texts)), kind=kind)
        return cls(tuple(_merge(_coerce(e) for e in entries)), kind=kind)

    @classmethod
    def load(cls, *paths: str | os.PathLike, kind: str = "auto") -> Lexicon:
        """Read entity lists: plain text, CSV/TSV, JSON or JSONL (see :func:`read_entity_file`);
        ``kind`` says what kind of list they are (see :attr:`kind`)."""
        entities: list[Entity] = []
        for path in paths:
            entities.extend(read_entity_file(path))
        return cls(tuple(_merge(entities)), kind=kind)

    @classmethod
    def from_documents(cls, *paths: str | os.PathLike, labels: Iterable[str] = LABELS,
                       **options) -> Lexicon:
        """Extract named entities from related documents with spaCy (``pip install respell[ner]``);
        ``options`` go to :func:`respell.extract.extract_entities` (``on_error`` to skip a
        document that cannot be used, ``patterns``, ``clean``, ``min_count``)."""
        from .extract import extract_entities

        return cls(tuple(_merge(extract_entities(paths, labels=labels, **options))))

    @classmethod
    def coerce(cls, entities: Lexicon | Iterable[str | Entity | dict] | None) -> Lexicon:
        """A Lexicon from what the API accepts as ``entities``: a Lexicon (as it is), an
        iterable of names, :class:`Entity` objects or dicts, or None (empty).

        One string is refused rather than read as a list of its letters.

        >>> len(Lexicon.coerce(["Liz Sly", "Beirut"])), len(Lexicon.coerce(None))
        (2, 0)
        >>> Lexicon.coerce("Liz Sly")
        Traceback (most recent call last):
        ...
        respell.errors.OptionError: entities must be a list of names, not one string: wrap it in a list
        """
        if entities is None:
            return cls(())
        if isinstance(entities, Lexicon):
            return entities
        if isinstance(entities, str):
            raise OptionError("entities must be a list of names, not one string: wrap it in a list")
        return cls.from_entries(entities)

    def __add__(self, other: Lexicon) -> Lexicon:
        kind = self.kind if self.kind == other.kind else "auto"
        return Lexicon(tuple(_merge([*self.entities, *other.entities])), kind=kind)

    def __len__(self) -> int:
        return len(self.entities)

    def __iter__(self) -> Iterator[Entity]:
        return iter(self.entities)

    def __bool__(self) -> bool:
        return bool(self.entities)


def _is_known(kind: str, n_user: int) -> bool:
    """Whether a list of this kind, with ``n_user`` entities the user gave, holds names known
    to be in the transcript (see :attr:`Lexicon.known`)."""
    return n_user <= KNOWN_MAX if kind == "auto" else kind == "known"


class _Canonical(Sequence):
    """The variants of one-word names without aliases: each heard as written.

    Made on access, so that a big list of plain names costs no object per name.
    """

    __slots__ = ("heard",)

    def __init__(self, texts: list[str]):
        self.heard = texts

    def __len__(self) -> int:
        return len(self.heard)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self.heard)))]
        text = self.heard[i]
        return Variant(text, text, i if i >= 0 else i + len(self.heard), "canonical")


class _PlainEntities(Sequence):
    """Entities that are one-word names and nothing more, made on access."""

    __slots__ = ("_made", "texts")

    def __init__(self, texts: list[str]):
        self.texts = texts
        self._made: dict[int, Entity] = {}

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self.texts)))]
        ent = self._made.get(i)
        if ent is None:
            ent = self._made[i] = Entity(self.texts[i])
        return ent

    def __eq__(self, other) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))


def _coerce(entry: str | Entity | dict) -> Entity:
    if isinstance(entry, Entity):
        return entry
    if isinstance(entry, str):
        return _entity_of(entry)
    if isinstance(entry, dict):
        return entity_from_record(entry, where="entry")
    raise EntityListError(f"cannot use {type(entry).__name__} as an entity: give str, Entity or dict")


@memo(500_000)
def _entity_of(text: str) -> Entity:
    return Entity(" ".join(text.split()))


@memo(500_000)
def _normal_name(text: str) -> str:
    """A name with its whitespace normalised; empty if it has no letter or digit."""
    text = " ".join(text.split())
    return text if _HAS_ALNUM.search(text) else ""


def _merge(entities: Iterable[Entity]) -> list[Entity]:
    """Drop blanks and merge duplicates (same text, any case of label), summing counts."""
    merged: dict[str, Entity] = {}
    for ent in entities:
        text = _normal_name(ent.text)
        if not text:
            continue
        old = merged.get(text)
        if old is None:
            merged[text] = ent if text == ent.text else replace(ent, text=text)
        else:
            merged[text] = Entity(
                text,
                _merged_label(old, ent),
                tuple(dict.fromkeys(old.aliases + ent.aliases)),
                tuple(dict.fromkeys(old.sounds_like + ent.sounds_like)),
                old.count + ent.count,
                _merged_sources(old.sources, ent.sources),
                old.context | ent.context,
            )
    return list(merged.values())


def _merged_label(a: Entity, b: Entity) -> str | None:
    """The label of two entries of one name: the first one's, else the second one's;
    but a name the user typed without a label keeps none where a document's recogniser
    labels it against its look ("Emmanuelle Charpentier" as PRODUCT, "CRISPR" as PERSON):
    the typed name is read by its look (:func:`~respell.variants.looks_like_person`).
    """
    label = a.label or b.label
    typed, found = (a, b) if a.origin == "user" else (b, a)
    if (label is not None and typed.label is None and typed.origin == "user"
            and found.origin != "user" and (label == "PERSON") != looks_like_person(typed)):
        return None
    return label


def _merged_sources(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    """The provenance of two entries of one name. An entry without sources is one the
    user gave (:attr:`Entity.origin`), and stays so when a document names it too.

    >>> _merged_sources((), ("ner:a.pdf",))
    ('user', 'ner:a.pdf')
    """
    if not (a and b):
        if not (a or b):
            return ()
        a, b = a or ("user",), b or ("user",)
    return tuple(dict.fromkeys(a + b))
