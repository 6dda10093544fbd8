"""One known name: the record every entity list, document and lexicon is made of.

The lowest floor of the entity side: :mod:`respell.extract` makes these from
documents and :mod:`respell.lexicon` builds its lists of them, so both import it
and neither imports the other at load time.

>>> Entity("Qassem Soleimani", label="PERSON").label in LABELS
True
"""

from __future__ import annotations

from dataclasses import dataclass

#: spaCy entity labels respell knows; others are kept as given.
LABELS = (
    "PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW",
)


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
