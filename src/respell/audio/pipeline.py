"""The whole audio path: biased transcription, text repair, acoustic confirmation,
then a transcript document in any of respell's formats.

>>> out = transcribe_and_fix("talk.wav", ["Qassem Soleimani"], format="srt")  # doctest: +SKIP
>>> print(out.render())  # doctest: +SKIP
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..errors import OptionError
from ..result import FixOptions, Result
from .segments import Transcription

#: output formats and the file extensions that choose them
OUTPUT_FORMATS = {"whisper-json": (".json",), "srt": (".srt",), "vtt": (".vtt",), "txt": (".txt",)}


@dataclass(frozen=True)
class Repaired:
    """A transcription, its transcript document and the repair made to it."""

    transcription: Transcription
    document: object  # respell.formats.Document
    result: Result

    def render(self) -> str:
        """The transcript file's text with the repair applied."""
        return self.document.render(self.result.changes)

    @property
    def text(self) -> str:
        """The repaired text view."""
        return self.result.text


def format_for(path: str | None, default: str = "txt") -> str:
    """The output format named by ``path``'s extension.

    >>> format_for("out.srt"), format_for(None), format_for("x.json")
    ('srt', 'txt', 'whisper-json')
    """
    if not path or path == "-":
        return default
    lower = path.lower()
    for name, exts in OUTPUT_FORMATS.items():
        if lower.endswith(exts):
            return name
    raise OptionError(
        f"cannot tell the output format of {path}: end it with .json, .srt, .vtt or .txt, "
        "or pass --format"
    )


def _stamp(t: float, sep: str) -> str:
    ms = round(t * 1000)
    h, ms = divmod(ms, 3600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def render_transcription(t: Transcription, format: str) -> str:
    """``t`` written as a file of ``format`` (one cue or line per segment).

    >>> from respell.audio.segments import Segment
    >>> print(render_transcription(Transcription((Segment(0, 0.5, 1.25, " Hi there."),)), "srt"))
    1
    00:00:00,500 --> 00:00:01,250
    Hi there.
    <BLANKLINE>
    """
    segs = [s for s in t.segments if s.text.strip()]
    if format == "whisper-json":
        return json.dumps(t.to_whisper_dict(), ensure_ascii=False, indent=1) + "\n"
    if format == "txt":
        return "".join(s.text.strip() + "\n" for s in segs)
    if format == "srt":
        return "\n".join(
            f"{i}\n{_stamp(s.start, ',')} --> {_stamp(s.end, ',')}\n{s.text.strip()}\n"
            for i, s in enumerate(segs, 1)
        )
    if format == "vtt":
        return "WEBVTT\n\n" + "\n".join(
            f"{_stamp(s.start, '.')} --> {_stamp(s.end, '.')}\n{s.text.strip()}\n" for s in segs
        )
    raise OptionError(f"unknown output format {format!r}: use one of {', '.join(OUTPUT_FORMATS)}")


def transcribe_and_fix(
    audio,
    entities=None,
    *,
    format: str = "whisper-json",
    fix_text: bool = True,
    acoustic: bool = True,
    fix_options: FixOptions | None = None,
    transcription: Transcription | None = None,
    progress: bool | None = None,
    **transcribe_options,
) -> Repaired:
    """Transcribe ``audio`` biased to ``entities``, repair the text with
    :func:`respell.fix`, and (``acoustic``) let the audio confirm each change."""
    from ..correct import fix
    from ..formats import format_class
    from .confirm import align_words, confirm
    from .models import load_audio
    from .transcribe import _as_lexicon, transcribe

    lexicon = _as_lexicon(entities)
    audio = load_audio(audio)
    if transcription is None:
        transcription = transcribe(audio, lexicon, progress=progress, **transcribe_options)
    doc = format_class(format).parse(render_transcription(transcription, format))
    result = Result(doc.text, doc.text, (), fix_options or FixOptions())
    if fix_text and lexicon:
        result = fix(doc.text, lexicon, barriers=doc.barriers, options=fix_options)
        if acoustic:
            keep = {k: v for k, v in transcribe_options.items() if k in ("backend", "device")}
            words = [(w.text, w.start, w.end) for s in transcription.segments for w in s.words]
            times = align_words(doc.text, words) or list(doc.times)
            result = confirm(
                result,
                audio,
                times=times,
                model=transcribe_options.get("model", "tiny.en"),
                progress=progress,
                **keep,
            )
    return Repaired(transcription, doc, result)
