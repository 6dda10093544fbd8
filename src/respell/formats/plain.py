"""Plain text: the whole file is the text view."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..result import Change
from .base import Document, apply_local, check_changes, strip_bom


@dataclass(frozen=True)
class PlainText(Document):
    """A plain-text transcript; every byte outside the changes is kept.

    >>> doc = PlainText.parse("General Sola money.\\n")
    >>> doc.render([Change(8, 18, "Sola money", "Soleimani", "Qassem Soleimani", None, 0.9)])
    'General Soleimani.\\n'
    """

    name = "txt"
    extensions = (".txt", ".text", ".md")
    unit = "text"

    @classmethod
    def parse(cls, raw: str, *, source: str = "<input>") -> PlainText:
        raw, bom = strip_bom(raw)
        return cls(raw, bom=bom)

    @classmethod
    def sniff(cls, raw: str) -> bool:
        return True

    def render(self, changes: Sequence[Change] = ()) -> str:
        changes = check_changes(self.text, changes)
        return self._with_bom(
            apply_local(self.text, [(c.start, c.end, c.replacement) for c in changes])
        )
