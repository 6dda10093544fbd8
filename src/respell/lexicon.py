"""Known entities: loading lists, deriving spoken variants, reuse across transcripts.

>>> lex = Lexicon.from_entries(["Qassem Soleimani", "Beirut"])
>>> len(lex), [v.text for v in lex.variants][:3]
(2, ['Qassem Soleimani', 'Soleimani', 'Beirut'])
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from ._memo import memo
from .errors import EntityListError
from .textio import read_text

#: spaCy entity labels respell knows; others are kept as given.
LABELS = (
    "PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW",
)

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
#: Variant kinds that are one part of a longer name, taken alone.
ONE_PART_KINDS = frozenset({"surname", "given_name", "short", "part"})
#: the kinds of list (see :attr:`Lexicon.kind`)
LIST_KINDS = ("auto", "known", "catalog")
#: an ``auto`` list of at most this many entities is taken as known names
KNOWN_MAX = 50
_NAME_TOKEN = re.compile(r"^[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)*$")


@dataclass(frozen=True, slots=True)
class Entity:
    """One known name, spelled as it should appear in the transcript.

    ``aliases`` are other correct names for it (each written as given);
    ``sounds_like`` are known misrecognitions that map to ``text``.

    >>> Entity("Qassem Soleimani", label="PERSON", sounds_like=("Sola money",)).text
    'Qassem Soleimani'
    """

    text: str
    label: str | None = None
    aliases: tuple[str, ...] = ()
    sounds_like: tuple[str, ...] = ()
    count: int = 1


class Variant(NamedTuple):
    """A form an entity may be heard as, and what to write when it is.

    ``kind`` is one of ``canonical``, ``alias``, ``surname``, ``given_name``, ``short``
    (a short given name, "Ken" for Kenneth), ``short_full`` ("Ken Bowling"), ``part`` (a
    part of a longer name said alone, "Bagram" of Bagram Air Base), ``number`` (the
    plural or singular of a demonym), ``sounds_like``, or ``spelled``: a right spelling
    only (a short form that is an ordinary word too, "Will"), recognised where it stands
    and never written over other words.
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
    #: ``known``: names the user knows are in the transcript (a short, typed list);
    #: ``catalog``: names that may be (a biasing list, mostly absent); ``auto``: known
    #: when the list has at most :data:`KNOWN_MAX` entities.
    kind: str = "auto"

    def __post_init__(self) -> None:
        if self.kind not in LIST_KINDS:
            raise EntityListError(f"list kind must be one of {', '.join(LIST_KINDS)}, got {self.kind!r}")
        if not self.variants:
            ents = self.entities
            if all(not (e.aliases or e.sounds_like) and " " not in e.text and e.label != "NORP"
                   for e in ents):
                # one-word names only (texts are unique after _merge): one variant each
                variants = _Canonical([e.text for e in ents])
            else:
                variants = tuple(_derive_variants(ents, known=self.known))
            object.__setattr__(self, "variants", variants)

    @property
    def known(self) -> bool:
        """Whether the list is taken as names known to be in the transcript: with kind
        ``auto``, when the user gave at most :data:`KNOWN_MAX` of its entities (those
        found in documents do not count)."""
        if self.kind == "auto":
            return self.n_user <= KNOWN_MAX
        return self.kind == "known"

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
    def from_documents(cls, *paths: str | os.PathLike, labels: Iterable[str] = LABELS) -> Lexicon:
        """Extract named entities from related documents with spaCy (``pip install respell[ner]``)."""
        from .extract import extract_entities

        return cls(tuple(_merge(extract_entities(paths, labels=labels))))

    def __add__(self, other: Lexicon) -> Lexicon:
        kind = self.kind if self.kind == other.kind else "auto"
        return Lexicon(tuple(_merge([*self.entities, *other.entities])), kind=kind)

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


def _derive_variants(entities: Iterable[Entity], *, known: bool = False) -> Iterator[Variant]:
    seen: set[tuple[str, str]] = set()
    for i, ent in enumerate(entities):
        if not (ent.aliases or ent.sounds_like or " " in ent.text or ent.label == "NORP"):
            key = (ent.text, ent.text.lower())  # the common case, fast
            if key not in seen:
                seen.add(key)
                yield Variant(ent.text, ent.text, i, "canonical")
            continue
        text = _without_article(ent.text)
        forms = [(text, text, "canonical")]
        forms.extend((alias, alias, "alias") for alias in ent.aliases)
        if ent.label == "NORP" and " " not in text:
            forms.extend((other, other, "number") for other in _other_number(text))
        person = " " in ent.text and looks_like_person(ent)
        if known and not person and " " in text:
            forms.extend((part, part, "part") for part in name_parts(text))
        if person:
            words = ent.text.split()
            surname = words[-1]
            if surname.rstrip(".").lower() in ("jr", "sr", "ii", "iii", "iv"):
                surname = words[-2].rstrip(",")
            forms.append((surname, surname, "surname"))
            given = words[0]
            # "Thanks, Rainer.": only for names the user (or NER) labelled PERSON, or, in a
            # list of names known to be there, that look like a person's
            if (ent.label == "PERSON" or known and ent.label is None) and len(given) >= 3 \
                    and given.isalpha():
                forms.append((given, given, "given_name"))
                # "Ken" and "Ken Bowling" for Kenneth Bowling: right where said, and written
                # over garbles of themselves unless they are ordinary words too ("Will")
                from .diminutives import short_forms

                rest = " ".join(words[1:])
                for short, writable in short_forms(given):
                    forms.append((short, short, "short" if writable else "spelled"))
                    forms.append((f"{short} {rest}", f"{short} {rest}",
                                  "short_full" if writable else "spelled"))
        forms.extend((ent.text, heard, "sounds_like") for heard in ent.sounds_like)
        for text, heard, kind in forms:
            key = (text, heard.lower())
            if key not in seen and heard.strip():
                seen.add(key)
                yield Variant(text, heard, i, kind)


# -- files ----------------------------------------------------------------------------------


# Words that make a part of a longer name generic rather than a name of its own: "Air
# Base", "Capital Markets", "Company". A part is never only these, nor begins or ends
# with a function word.
_GENERIC = _NOT_PERSON_WORDS | frozenset("""
air base research markets market securities associates bank banks holdings services
solutions technology technologies industries international corporation incorporated
inc corp ltd llc plc sa ag nv lp co company companies group partners capital management
investments investment financial global worldwide america americas american usa us
national federal general first united royal central
""".split())
_FUNCTION = frozenset("of the and & for de la le el al del da di du van von der den y e a an in on at to".split())
# Names whose leading "The" is written capitalised in running text too.
_CAPITAL_THE = frozenset({"the hague", "the gambia"})
_MAX_PART_WORDS = 6
_COMMONEST = 6.0  # "new", "one": never a name said alone


def _zipf(word: str) -> float:
    from .match import zipf

    return zipf(word)


def _without_article(text: str) -> str:
    """A name without its leading article, which running text writes in lower case ("for
    the New York Times"); kept for the few names that capitalise it everywhere."""
    words = text.split()
    if len(words) >= 2 and words[0].lower() == "the" and text.lower() not in _CAPITAL_THE:
        return " ".join(words[1:])
    return text


def name_parts(text: str) -> list[str]:
    """The parts of a longer name that speakers say alone: any run of its words that is
    itself name-like (not only generic words, no function word at either end).

    >>> name_parts("New York Times")
    ['New York', 'York Times', 'York', 'Times']
    >>> name_parts("Bagram Air Base")
    ['Bagram Air', 'Bagram']
    >>> name_parts("Bank of America")
    []
    """
    words = text.split()
    if len(words) < 2 or len(words) > _MAX_PART_WORDS:
        return []
    out = []
    for size in range(len(words) - 1, 0, -1):
        for a in range(len(words) - size + 1):
            part = words[a:a + size]
            low = [w.lower().strip(".,") for w in part]
            if low[0] in _FUNCTION or low[-1] in _FUNCTION:
                continue
            if all(w in _GENERIC or w in _FUNCTION for w in low):
                continue
            if not any(w[:1].isupper() or w[:1].isdigit() for w in part):
                continue
            if size == 1 and _zipf(low[0]) >= _COMMONEST:  # "New" of New York
                continue
            out.append(" ".join(part))
    return out


def _other_number(word: str) -> list[str]:
    """The plural of a singular demonym and the singular of a plural one ("Kenyan" <->
    "Kenyans", "Pakistani" <-> "Pakistanis"); nothing for other words."""
    if word.endswith(("ans", "is", "ers")) and len(word) > 4:
        return [word[:-1]]
    if word.endswith(("an", "i", "er")) and len(word) > 3:
        return [word + "s"]
    return []


def read_entity_file(path: str | os.PathLike) -> list[Entity]:
    """Read one entity list, choosing the parser from the extension and the content.

    * ``.txt`` (and anything else): one entity a line, ``#`` starts a comment.
    * ``.csv`` / ``.tsv``: a header with ``text`` (or ``name``/``entity``), optional
      ``label``, ``aliases``, ``sounds_like`` (several values separated by ``;`` or ``|``);
      without such a header the first column is the entity, the second its label.
    * ``.json``: a list of strings or objects; ``.jsonl``: one string or object a line.
    """
    name = str(path)
    text = read_text(path, what="entity list")
    suffix = Path(name).suffix.lower() if name != "-" else ""
    stripped = text.lstrip()
    if suffix == ".jsonl" or (suffix != ".json" and stripped.startswith("{")):
        entities = _read_jsonl(text, name)
    elif suffix == ".json" or stripped.startswith("["):
        entities = _read_json(text, name)
    elif suffix in (".csv", ".tsv"):
        entities = _read_table(text, name, "\t" if suffix == ".tsv" else ",")
    else:
        entities = _read_lines(text)
    entities = [e for e in entities if e.text.strip()]
    if not entities:
        raise EntityListError(f"entity list has no usable entry: {name}")
    return entities


def _read_lines(text: str) -> list[Entity]:
    """One name a line; "Name - role or firm" and "Name (firm)" as people paste them
    (see :mod:`respell.typed`): the firm is an entity too, the role is dropped."""
    from .typed import split_line

    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if not line:
            continue
        name, org, noted = split_line(line)
        person = noted and looks_like_person(Entity(name))
        out.append(Entity(name, "PERSON" if person else None))
        if org:
            out.append(Entity(org, "ORG"))
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
    except (TypeError, ValueError):
        raise EntityListError(f"{where}: count is not a number: {count!r}") from None
    return Entity(
        " ".join(text.split()),
        str(label).upper() if label else None,
        _split_multi(lower.get("aliases")),
        _split_multi(lower.get("sounds_like")),
        count,
    )


def _read_json(text: str, name: str) -> list[Entity]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise EntityListError(f"{name}: invalid JSON at line {exc.lineno}: {exc.msg}") from None
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
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EntityListError(f"{name}:{lineno}: invalid JSON: {exc.msg}") from None
        if isinstance(item, str):
            out.append(Entity(item))
        elif isinstance(item, dict):
            out.append(_entity_from_record(item, f"{name}:{lineno}"))
        else:
            raise EntityListError(f"{name}:{lineno}: expected a string or an object")
    return out


def _read_table(text: str, name: str, delimiter: str) -> list[Entity]:
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in r)]
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
