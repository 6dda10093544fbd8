"""Known entities: loading lists, deriving spoken variants, reuse across transcripts.

:class:`~respell.entity.Entity` and :data:`~respell.entity.LABELS` live in
:mod:`respell.entity` (below :mod:`respell.extract`, which makes entities from
documents) and are importable from here as well.

>>> lex = Lexicon.from_entries(["Qassem Soleimani", "Beirut"])
>>> len(lex), [v.text for v in lex.variants][:3]
(2, ['Qassem Soleimani', 'Soleimani', 'Beirut'])
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from ._memo import memo
from .entity import LABELS, ORIGINS, Entity, split_source
from .errors import EntityListError, OptionError
from .textio import csv_rows, load_json, read_text

__all__ = ["LABELS", "ORIGINS", "Entity", "Lexicon", "Variant", "looks_like_person",
           "read_entity_file", "split_source"]

# Words that mark a multi-word name as an organisation or place, never a person,
# so no surname variant is derived from it.
_NOT_PERSON_WORDS = frozenset(
    """inc corp corporation co company ltd llc plc group bank holdings partners capital
    university college institute school hospital foundation association society council
    committee agency department ministry party army navy force fund trust airlines motors
    energy systems technologies international global of the and for de la le el al river
    lake mount mountain island street road city county state republic kingdom sea ocean
    gulf bay strait coast desert valley province region north south east west new san santa
    los las parliament senate congress court assembly union league federation prize award
    festival museum church mosque temple airport station""".split()  # noqa: SIM905
)
_HAS_ALNUM = re.compile(r"[^\W_]")
_NAME_TOKEN = re.compile(r"^[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)*$")


class Variant(NamedTuple):
    """A form an entity may be heard as, and what to write when it is.

    ``kind`` is one of ``canonical``, ``alias``, ``surname``, ``given_name``, ``sounds_like``.
    """

    text: str  # written in the output
    heard: str  # what the matcher compares with the transcript
    entity: int  # index into Lexicon.entities
    kind: str


@dataclass(frozen=True)
class Lexicon:
    """A deduplicated list of entities and their variants, reusable across transcripts.

    Build it with :meth:`from_entries`, :meth:`load` (files) or
    :meth:`from_documents` (spaCy NER); combine with ``+``.
    """

    entities: tuple[Entity, ...]
    variants: tuple[Variant, ...] = field(repr=False, compare=False, default=())

    def __post_init__(self) -> None:
        if not self.variants:
            ents = self.entities
            if all(not (e.aliases or e.sounds_like) and " " not in e.text for e in ents):
                # one-word names only (texts are unique after _merge): one variant each
                variants = _Canonical([e.text for e in ents])
            else:
                variants = tuple(_derive_variants(ents))
            object.__setattr__(self, "variants", variants)

    # -- construction -------------------------------------------------------------------

    @classmethod
    def from_entries(cls, entries: Iterable[str | Entity | dict]) -> Lexicon:
        """Build from strings, :class:`Entity` objects or dicts with an entity's fields."""
        if isinstance(entries, (list, tuple)) and set(map(type, entries)) <= {str}:
            # plain names, the common case: normalised once per distinct string, deduplicated in C
            names = [t if t.isalpha() else _normal_name(t) for t in entries]
            if "" in names:
                names = [t for t in names if t]
            texts = list(dict.fromkeys(names))
            if len(texts) == len(names):  # no duplicate to count
                if " " not in "".join(texts):  # one-word names only
                    return cls(_PlainEntities(texts), _Canonical(texts))
                return cls(tuple(_entity_of.each(texts)))
        return cls(tuple(_merge(_coerce(e) for e in entries)))

    @classmethod
    def load(cls, *paths: str | os.PathLike) -> Lexicon:
        """Read entity lists: plain text, CSV/TSV, JSON or JSONL (see :func:`read_entity_file`)."""
        entities: list[Entity] = []
        for path in paths:
            entities.extend(read_entity_file(path))
        return cls(tuple(_merge(entities)))

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
        return Lexicon(tuple(_merge([*self.entities, *other.entities])))

    def __len__(self) -> int:
        return len(self.entities)

    def __iter__(self) -> Iterator[Entity]:
        return iter(self.entities)

    def __bool__(self) -> bool:
        return bool(self.entities)


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
        return _entity_from_record(entry, where="entry")
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
                old.label or ent.label,
                tuple(dict.fromkeys(old.aliases + ent.aliases)),
                tuple(dict.fromkeys(old.sounds_like + ent.sounds_like)),
                old.count + ent.count,
                old.sources + tuple(s for s in ent.sources if s not in old.sources),
            )
    return list(merged.values())


def looks_like_person(ent: Entity) -> bool:
    """Whether a surname variant may be derived: a PERSON, or 2-3 capitalised name words."""
    words = ent.text.split()
    if not 2 <= len(words) <= 4:
        return False
    if ent.label is not None:
        return ent.label == "PERSON"
    if any(w.lower().strip(".,") in _NOT_PERSON_WORDS for w in words):
        return False
    return all(_NAME_TOKEN.match(w) or re.fullmatch(r"[A-Z]\.", w) for w in words)


def _derive_variants(entities: Iterable[Entity]) -> Iterator[Variant]:
    seen: set[tuple[str, str]] = set()
    for i, ent in enumerate(entities):
        if not (ent.aliases or ent.sounds_like or " " in ent.text):  # the common case, fast
            key = (ent.text, ent.text.lower())
            if key not in seen:
                seen.add(key)
                yield Variant(ent.text, ent.text, i, "canonical")
            continue
        forms = [(ent.text, ent.text, "canonical")]
        forms.extend((alias, alias, "alias") for alias in ent.aliases)
        if " " in ent.text and looks_like_person(ent):
            words = ent.text.split()
            surname = words[-1]
            if surname.rstrip(".").lower() in ("jr", "sr", "ii", "iii", "iv"):
                surname = words[-2].rstrip(",")
            forms.append((surname, surname, "surname"))
            given = words[0]
            # "Thanks, Rainer.": only for names the user (or NER) labelled PERSON
            if ent.label == "PERSON" and len(given) >= 3 and given.isalpha():
                forms.append((given, given, "given_name"))
        forms.extend((ent.text, heard, "sounds_like") for heard in ent.sounds_like)
        for text, heard, kind in forms:
            key = (text, heard.lower())
            if key not in seen and heard.strip():
                seen.add(key)
                yield Variant(text, heard, i, kind)


# -- files ----------------------------------------------------------------------------------


def read_entity_file(path: str | os.PathLike) -> list[Entity]:
    """Read one entity list, choosing the parser from the extension and the content.

    * ``.txt`` (and anything else): one entity a line, ``#`` starts a comment.
    * ``.csv`` / ``.tsv``: a header with ``text`` (or ``name``/``entity``), optional
      ``label``, ``aliases``, ``sounds_like`` (several values separated by ``;`` or ``|``);
      without such a header the first column is the entity, the second its label.
    * ``.json``: a list of strings or objects; ``.jsonl``: one string or object a line.

    Entries without ``sources`` (a list ``respell entities`` wrote keeps them) are the
    user's: their source is ``user:PATH``.
    """
    name = str(path)
    text = read_text(path, what="entity list")
    mine = (f"user:{'<stdin>' if name == '-' else name}",)
    suffix = Path(name).suffix.lower() if name != "-" else ""
    stripped = text.lstrip()
    if suffix == ".jsonl" or (suffix != ".json" and stripped.startswith("{")):
        entities = _read_jsonl(text, name)
    elif suffix == ".json" or stripped.startswith("["):
        entities = _read_json(text, name)
    elif suffix in (".csv", ".tsv"):
        entities = _read_table(text, name, "\t" if suffix == ".tsv" else ",")
    else:
        entities = _read_lines(text, mine)
    entities = [e for e in entities if e.text.strip()]
    if not entities:
        raise EntityListError(f"entity list has no usable entry: {name}")
    return [e if e.sources else replace(e, sources=mine) for e in entities]


def _read_lines(text: str, sources: tuple[str, ...]) -> list[Entity]:
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if line:
            out.append(Entity(line, sources=sources))
    return out


def _split_multi(value) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        parts = re.split(r"[;|]", value)
    elif isinstance(value, list):
        parts = value
    else:
        raise EntityListError(f"expected a string or a list, got {value!r}")
    return tuple(str(p).strip() for p in parts if str(p).strip())


def _entity_from_record(rec: dict, where: str) -> Entity:
    lower = {str(k).lower(): v for k, v in rec.items()}
    text = next((lower[k] for k in ("text", "name", "entity", "phrase") if k in lower), None)
    if not isinstance(text, str) or not text.strip():
        raise EntityListError(f"{where}: record without a 'text' field: {json.dumps(rec)[:80]}")
    label = lower.get("label") or lower.get("type") or None
    count = lower.get("count") or 1  # an empty CSV cell counts once
    try:
        count = max(1, int(count))
    except (TypeError, ValueError, OverflowError):  # OverflowError: 1e999 is infinity
        raise EntityListError(f"{where}: count is not a number: {count!r}") from None
    return Entity(
        " ".join(text.split()),
        str(label).upper() if label else None,
        _split_multi(lower.get("aliases")),
        _split_multi(lower.get("sounds_like")),
        count,
        _split_multi(lower.get("sources")),
    )


def _read_json(text: str, name: str) -> list[Entity]:
    data = load_json(text, name, EntityListError)
    if isinstance(data, dict) and isinstance(data.get("entities"), list):
        data = data["entities"]
    if not isinstance(data, list):
        raise EntityListError(f"{name}: expected a JSON list of entities")
    return [
        Entity(item) if isinstance(item, str) else _entity_from_record(item, f"{name}[{i}]")
        if isinstance(item, dict) else _bad_item(name, i, item)
        for i, item in enumerate(data)
    ]


def _bad_item(name: str, i: int, item) -> Entity:
    raise EntityListError(f"{name}[{i}]: expected a string or an object, got {item!r}")


def _read_jsonl(text: str, name: str) -> list[Entity]:
    out = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        item = load_json(line, f"{name}:{lineno}", EntityListError)
        if isinstance(item, str):
            out.append(Entity(item))
        elif isinstance(item, dict):
            out.append(_entity_from_record(item, f"{name}:{lineno}"))
        else:
            raise EntityListError(f"{name}:{lineno}: expected a string or an object")
    return out


def _read_table(text: str, name: str, delimiter: str) -> list[Entity]:
    rows = [r for r in csv_rows(text, name, delimiter=delimiter, error=EntityListError)
            if any(c.strip() for c in r)]
    if not rows:
        return []
    header = [c.strip().lower() for c in rows[0]]
    if any(h in header for h in ("text", "name", "entity", "phrase")):
        return [
            _entity_from_record(dict(zip(header, row)), f"{name}:{i + 2}")
            for i, row in enumerate(rows[1:])
        ]
    return [
        Entity(row[0].strip(), row[1].strip().upper() if len(row) > 1 and row[1].strip() else None)
        for row in rows
    ]
