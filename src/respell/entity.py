"""One known name: the record every entity list, document and lexicon is made of.

The lowest floor of the entity side: :mod:`respell.extract` makes these from
documents and :mod:`respell.lexicon` builds its lists of them, so both import it
and neither imports the other at load time.

>>> Entity("Qassem Soleimani", label="PERSON").label in LABELS
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: spaCy entity labels respell knows; others are kept as given.
LABELS = (
    "PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW",
)

#: Where an entity came from, strongest evidence first: a list the user gave (typed,
#: or reviewed), spaCy's recognizer over a related document, a pattern mined from one
#: (an all-caps ticker, a CamelCase product, a capitalised term NER missed).
ORIGINS = ("user", "ner", "pattern")


@dataclass(frozen=True, slots=True)
class Entity:
    """One known name, spelled as it should appear in the transcript.

    ``aliases`` are other correct names for it (each written as given);
    ``sounds_like`` are known misrecognitions that map to ``text``.
    ``sources`` is its provenance: ``"KIND:WHERE"`` strings, KIND one of
    :data:`ORIGINS` and WHERE the list or document (``"user:names.txt"``,
    ``"ner:slides.pdf"``, ``"pattern:slides.pdf"``); empty for an entity given
    directly, which counts as the user's. :attr:`origin` is the strongest kind.

    >>> Entity("Qassem Soleimani", label="PERSON", sounds_like=("Sola money",)).text
    'Qassem Soleimani'
    >>> Entity("Quds Force", "ORG", sources=("pattern:a.pdf", "ner:b.pdf")).origin
    'ner'
    """

    text: str
    label: str | None = None
    aliases: tuple[str, ...] = ()
    sounds_like: tuple[str, ...] = ()
    count: int = 1
    sources: tuple[str, ...] = ()
    #: the content words around it in the related documents it was found in (see
    #: :func:`respell.evidence.name_context`): what it is said with
    context: frozenset[str] = field(default=frozenset(), repr=False, compare=False)

    @property
    def origin(self) -> str:
        """The strongest kind among :attr:`sources` (see :data:`ORIGINS`); ``"user"``
        when none is recorded. Document-mined entries are weaker evidence than typed ones."""
        return origin_of(self.sources)


def origin_of(sources: tuple[str, ...]) -> str:
    """The strongest kind among ``sources`` (see :data:`ORIGINS`); ``"user"`` when there
    are none, as for a :class:`~respell.result.Change`'s sources.

    >>> origin_of(()), origin_of(("ner:a.pdf", "pattern:a.pdf"))
    ('user', 'ner')
    """
    if not sources:
        return "user"
    kinds = {split_source(s)[0] for s in sources}
    return next((k for k in ORIGINS if k in kinds), "user")


def split_source(source: str) -> tuple[str, str | None]:
    """A source's kind and where it came from (None when it names no file).

    >>> split_source("ner:notes/a.pdf"), split_source("user")
    (('ner', 'notes/a.pdf'), ('user', None))
    """
    kind, _, where = source.partition(":")
    return kind, where or None
