"""Cue-based subtitles (SubRip, WebVTT): numbering, timing and layout kept byte for byte.

The text view is the cues' text joined by line breaks, as one transcript whose
lines are the cues' lines: a name a cue boundary cuts in two is found like one a
line break cuts. Its repair keeps the line breaks (see :mod:`respell.linebreaks`), so
each cue gets its part of the replacement and no word, timing line or number
moves from one cue to another; a change across a cue boundary whose replacement
does not keep the break there is refused. A file without any cue (empty, or a WebVTT header alone, as written for silence)
parses to an empty document; reading one as a transcript is refused by
:func:`respell.formats.parse`. A replacement may not end a cue or start one (a
blank line, a timing line or ``-->`` in it is refused).
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from ..errors import FormatError
from ..linebreaks import LINE_BREAK
from ..result import Change
from .base import (
    Document,
    Timing,
    apply_local,
    check_changes,
    join_slots,
    strip_bom,
)

log = logging.getLogger(__name__)

_TIME = r"(?:\d+:)?\d{1,2}:\d{1,2}[,.]\d{1,3}"
_TIMING = re.compile(rf"^\s*({_TIME})\s*-->\s*({_TIME})")
_SEP = "\n"  # between cues in the view: a line break (see the module's docstring)
NO_CUE = "no cue with a timing line ('00:00:01,000 --> ...') found"


def parse_time(stamp: str) -> float:
    """Seconds of a subtitle time stamp.

    >>> parse_time("01:02:03,500"), parse_time("02:03.250")
    (3723.5, 123.25)
    """
    hms, frac = re.split(r"[,.]", stamp)
    seconds = 0.0
    for part in hms.split(":"):
        seconds = seconds * 60 + int(part)
    return seconds + int(frac) / 10 ** len(frac)


def format_time(seconds: float, sep: str = ",") -> str:
    """A subtitle time stamp, ``sep`` before the milliseconds (SRT ``,``, WebVTT ``.``).

    >>> format_time(3723.5), format_time(0.25, ".")
    ('01:02:03,500', '00:00:00.250')
    """
    ms = round(max(0.0, seconds) * 1000)
    h, ms = divmod(ms, 3600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


@dataclass(frozen=True)
class CueDocument(Document):
    """Shared parser and writer of SRT and WebVTT; subclasses differ in class attributes."""

    #: first words of blocks that are kept verbatim and never edited
    verbatim_blocks: ClassVar[tuple[str, ...]] = ()
    #: whether the first block is a header (WEBVTT) kept verbatim
    has_header: ClassVar[bool] = False
    #: what :meth:`write` puts before the cues, whether it numbers them, the
    #: separator of milliseconds in its time stamps
    header: ClassVar[str] = ""
    numbered: ClassVar[bool] = False
    time_sep: ClassVar[str] = ","

    @classmethod
    def write(cls, cues: Iterable[tuple[float, float, str]]) -> str:
        """A new file of ``cues`` (start and end in seconds, text), one cue each;
        blank texts are left out. :meth:`parse` reads it back.

        >>> print(SubRip.write([(0.5, 1.25, " Hi there."), (2.0, 2.5, " ")]), end="")
        1
        00:00:00,500 --> 00:00:01,250
        Hi there.
        >>> print(WebVTT.write([(61.0, 62.0, "Liz Sly.")]), end="")
        WEBVTT
        <BLANKLINE>
        00:01:01.000 --> 00:01:02.000
        Liz Sly.
        """
        blocks = []
        for t0, t1, text in cues:
            if not text.strip():
                continue
            number = f"{len(blocks) + 1}\n" if cls.numbered else ""
            stamp = f"{format_time(t0, cls.time_sep)} --> {format_time(t1, cls.time_sep)}"
            blocks.append(f"{number}{stamp}\n{text.strip()}\n")
        return cls.header + "\n".join(blocks)

    pieces: tuple[str, ...] = field(default=(), repr=False)
    slot_pieces: tuple[int, ...] = field(default=(), repr=False)
    slot_spans: tuple[tuple[int, int], ...] = field(default=(), repr=False)
    slot_lines: tuple[int, ...] = field(default=(), repr=False)  # file line of each cue's text

    @classmethod
    def parse(cls, raw: str, *, source: str = "<input>") -> CueDocument:
        raw, bom = strip_bom(raw)
        lines = raw.splitlines(keepends=True)
        pieces: list[str] = []
        slot_pieces: list[int] = []
        times: list[tuple[float, float]] = []
        verbatim: list[str] = []
        k = 0
        first_block = True
        stray: list[int] = []  # first lines of blocks without a timing line
        while k < len(lines):
            if not lines[k].strip():
                verbatim.append(lines[k])
                k += 1
                continue
            end = k
            while end < len(lines) and lines[end].strip():
                end += 1
            block = lines[k:end]
            timing = next((i for i, line in enumerate(block) if _TIMING.match(line)), None)
            head = block[0].strip()
            special = (first_block and cls.has_header) or any(
                head == w or head.startswith((w + " ", w + "\t")) for w in cls.verbatim_blocks
            )
            keep = special or timing is None
            if first_block and cls.has_header and not head.startswith("WEBVTT"):
                raise FormatError(f"{source}: a WebVTT file must start with 'WEBVTT', found {head[:40]!r}")
            if timing is None and not special:
                stray.append(k + 1)
            first_block = False
            if keep:
                verbatim.extend(block)
                k = end
                continue
            verbatim.extend(block[: timing + 1])
            text_lines = block[timing + 1:]
            m = _TIMING.match(block[timing])
            times.append((parse_time(m.group(1)), parse_time(m.group(2))))
            if text_lines:
                last = text_lines[-1]
                body = last.rstrip("\r\n")
                ending = last[len(body):]
                text = "".join(text_lines[:-1]) + body
            else:
                text, ending = "", ""
            pieces.append("".join(verbatim))
            verbatim = []
            slot_pieces.append(len(pieces))
            pieces.append(text)
            verbatim.append(ending)
            k = end
        pieces.append("".join(verbatim))
        if not slot_pieces and stray:  # words but no cue: not this format
            raise FormatError(f"{source}: {NO_CUE}")
        for line in stray:
            log.warning("%s: line %d: block without a timing line kept as is", source, line)
        view, spans, _ = join_slots([pieces[i] for i in slot_pieces], _SEP)
        timings = tuple(Timing(s, e, t0, t1) for (s, e), (t0, t1) in zip(spans, times))
        slot_lines, line, done = [], 1, 0
        for i in slot_pieces:
            line += sum(p.count("\n") for p in pieces[done:i])
            slot_lines.append(line)
            done = i
        return cls(view, (), timings, bom, tuple(pieces), tuple(slot_pieces), tuple(spans),
                   tuple(slot_lines))

    def _in_cues(self, ch: Change) -> list[tuple[int, tuple[int, int, str]]]:
        return _cue_parts(self, ch)

    def line_of(self, offset: int) -> int | None:
        import bisect

        k = max(0, bisect.bisect_right([s for s, _ in self.slot_spans], offset) - 1)
        start = self.slot_spans[k][0]
        return self.slot_lines[k] + self.text.count("\n", start, max(start, offset))

    def render(self, changes: Sequence[Change] = ()) -> str:
        changes = check_changes(self.text, changes)
        by_slot: dict[int, list[tuple[int, int, str]]] = {}
        for ch in changes:
            for k, edit in self._in_cues(ch):
                by_slot.setdefault(k, []).append(edit)
        pieces = list(self.pieces)
        for k, edits in by_slot.items():
            i = self.slot_pieces[k]
            pieces[i] = apply_local(pieces[i], edits)
            _check_cue_text(self.pieces[i], pieces[i], self.slot_lines[k])
        return self._with_bom("".join(pieces))


def _check_cue_text(old: str, new: str, line: int) -> None:
    """Refuse a cue text that would end its cue or start another once written: more
    blank lines, timing lines or ``-->`` than it had (a file may already hold some)."""

    def counts(text: str) -> tuple[int, int, int]:
        lines = text.splitlines()
        return (sum(not t.strip() for t in lines), sum(bool(_TIMING.match(t)) for t in lines),
                text.count("-->"))

    blank, timing, arrow = (n > o for n, o in zip(counts(new), counts(old)))
    if blank or timing or arrow:
        problem = ("a blank line, which would end the cue" if blank else
                   "a timing line" if timing else "'-->', which only a timing line may hold")
        raise FormatError(f"the changes to the cue at line {line} would put {problem} into it")


def _cue_parts(doc: CueDocument, ch: Change) -> list[tuple[int, tuple[int, int, str]]]:
    """``ch`` as edits of the cues it covers: ``[(cue, (local start, local end, text))]``.

    A change across cue boundaries is cut at the line break of its replacement that
    stands where the boundary stood (the n-th line break of the original is the n-th of
    the replacement, as :func:`respell.linebreaks.keep_line_breaks` lays it out).
    """
    import bisect

    starts = [s for s, _ in doc.slot_spans]
    k = max(0, bisect.bisect_right(starts, ch.start) - 1)
    out = []
    start, replacement = ch.start, ch.replacement
    while ch.end > doc.slot_spans[k][1]:
        boundary = doc.slot_spans[k][1]  # the separator's offset in the view
        nth = len(LINE_BREAK.findall(doc.text, start, boundary))
        breaks = list(LINE_BREAK.finditer(replacement))
        if nth >= len(breaks) or breaks[nth].group() != _SEP:
            raise FormatError(
                f"change at {ch.start}-{ch.end} ({ch.original!r}) crosses a cue boundary, "
                f"but its replacement {ch.replacement!r} does not keep the line break there"
            )
        cut = breaks[nth]
        s0 = doc.slot_spans[k][0]
        out.append((k, (start - s0, boundary - s0, replacement[:cut.start()])))
        start, replacement, k = boundary + len(_SEP), replacement[cut.end():], k + 1
    s0 = doc.slot_spans[k][0]
    out.append((k, (start - s0, ch.end - s0, replacement)))
    return out


@dataclass(frozen=True)
class SubRip(CueDocument):
    """SubRip subtitles (.srt).

    >>> doc = SubRip.parse("1\\n00:00:01,000 --> 00:00:02,500\\nGeneral Sola money\\n")
    >>> doc.text, doc.times[0].t1
    ('General Sola money', 2.5)
    """

    name = "srt"
    extensions = (".srt",)
    numbered = True

    @classmethod
    def sniff(cls, raw: str) -> bool:
        lines = strip_bom(raw)[0].splitlines()[:20]
        for a, b in itertools.pairwise(lines):
            if a.strip().isdigit() and _TIMING.match(b):
                return True
        return False


@dataclass(frozen=True)
class WebVTT(CueDocument):
    """WebVTT subtitles (.vtt): the header, NOTE, STYLE and REGION blocks, cue
    identifiers and cue settings are kept verbatim.

    >>> doc = WebVTT.parse("WEBVTT\\n\\n00:01.000 --> 00:02.000 align:start\\nbay loop\\n")
    >>> doc.text
    'bay loop'
    """

    name = "vtt"
    extensions = (".vtt",)
    verbatim_blocks = ("NOTE", "STYLE", "REGION")
    has_header = True
    header = "WEBVTT\n\n"
    time_sep = "."

    @classmethod
    def sniff(cls, raw: str) -> bool:
        return strip_bom(raw)[0].startswith("WEBVTT")
