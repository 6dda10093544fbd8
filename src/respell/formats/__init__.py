"""Transcript formats: read a file into an editable text view, write corrections back.

Each format is one :class:`~respell.formats.base.Document` subclass. A
document's ``text`` is what :func:`respell.fix` corrects (pass its
``barriers`` too, so no correction crosses a cue); ``render(changes)`` writes
the file back with only the corrected words changed.

>>> doc = parse("1\\n00:00:01,000 --> 00:00:02,000\\nSola money\\n")
>>> doc.name, doc.text
('srt', 'Sola money')
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..errors import FormatError, InputError, OptionError
from ..textio import decode_bytes, read_bytes
from .base import BOM, Document, Timing
from .cues import NO_CUE, CueDocument, SubRip, WebVTT
from .nlp import NlpTokens
from .plain import PlainText
from .whisper_json import WhisperJSON

__all__ = [
    "FORMATS",
    "Document",
    "NlpTokens",
    "PlainText",
    "SubRip",
    "Timing",
    "WebVTT",
    "WhisperJSON",
    "detect",
    "parse",
    "read_document",
    "read_input",
]

#: formats by name, for ``--format``; also the order content sniffing tries them in
FORMATS: dict[str, type[Document]] = {
    cls.name: cls for cls in (WebVTT, SubRip, WhisperJSON, NlpTokens, PlainText)
}
_ALIASES = {"text": "txt", "plain": "txt", "json": "whisper-json", "whisper": "whisper-json",
            "webvtt": "vtt", "subrip": "srt"}


def format_class(name: str) -> type[Document]:
    """The Document class for a format name (``txt``, ``srt``, ``vtt``, ``whisper-json``, ``nlp``)."""
    key = _ALIASES.get(name.lower(), name.lower())
    if key not in FORMATS:
        raise OptionError(f"unknown format {name!r}: choose one of {', '.join(FORMATS)}")
    return FORMATS[key]


def detect(raw: str, path: str | os.PathLike | None = None) -> type[Document]:
    """Choose the format from the file extension, else from the content.

    >>> detect("WEBVTT\\n\\n00:01.000 --> 00:02.000\\nhi\\n").name
    'vtt'
    """
    suffix = Path(str(path)).suffix.lower() if path not in (None, "-") else ""
    for cls in FORMATS.values():
        if suffix in cls.extensions and cls is not PlainText:
            return cls
    for cls in FORMATS.values():
        if cls.sniff(raw):
            return cls
    return PlainText  # pragma: no cover - PlainText.sniff is always true


def parse(raw: str, *, format: str | None = None, path: str | os.PathLike | None = None) -> Document:
    """Parse a transcript's text (as read, BOM included) in the given or detected format.

    A transcript without words is refused the same way in every format (an empty
    file, a subtitle file without cues or with empty cues, Whisper JSON without
    segments, a token file with a header only): there is nothing to correct.
    """
    cls = format_class(format) if format else detect(raw, path)
    name = "<stdin>" if path in (None, "-") else str(path)
    doc = cls.parse(raw, source=name)
    if not doc.text.strip():
        if isinstance(doc, CueDocument) and not doc.times:
            raise FormatError(f"{name}: {NO_CUE}")
        raise FormatError(f"{name}: no words to correct: this {cls.name} transcript is empty")
    return doc


def read_input(path: str | os.PathLike) -> tuple[str, str]:
    """Read a transcript file (``-``: standard input) as ``(text, sha256 of its bytes)``.

    The text keeps a leading byte-order mark so documents write it back.
    Missing, unreadable, binary, undecodable or empty input raises :class:`InputError`.
    """
    data, name = read_bytes(path, what="transcript")
    text = decode_bytes(data, name)
    if not text.strip():
        raise InputError(f"transcript is empty: {name}")
    if data.startswith(BOM.encode()):
        text = BOM + text
    return text, hashlib.sha256(data).hexdigest()


def read_document(path: str | os.PathLike, *, format: str | None = None) -> Document:
    """Read and parse a transcript file; see :func:`read_input` and :func:`parse`."""
    raw, _ = read_input(path)
    try:
        return parse(raw, format=format, path=path)
    except FormatError:
        raise
    except (ValueError, IndexError) as exc:  # pragma: no cover - defensive
        raise FormatError(f"{path}: cannot parse as {format or 'detected format'}: {exc}") from None
