"""The whole audio path: biased transcription, text repair, acoustic confirmation,
then a transcript document in any of respell's formats.

>>> out = transcribe_and_fix("talk.wav", ["Qassem Soleimani"], format="srt")  # doctest: +SKIP
>>> print(out.render())  # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
import math
import re
import time
from dataclasses import dataclass, field

from ..errors import OptionError
from ..result import FixOptions, Result
from .segments import Transcription

log = logging.getLogger(__name__)

#: output formats and the file extensions that choose them
OUTPUT_FORMATS = {"whisper-json": (".json",), "srt": (".srt",), "vtt": (".vtt",), "txt": (".txt",)}


@dataclass(frozen=True)
class Repaired:
    """A transcription, its transcript document and the repair made to it; ``names``
    the entities it was given, ``seconds`` the time all of it took."""

    transcription: Transcription
    document: object  # respell.formats.Document
    result: Result
    names: tuple[str, ...] = field(default=(), repr=False)
    seconds: float = 0.0

    @property
    def real_time_factor(self) -> float:
        """Processing seconds (transcription, repair, check) per second of audio."""
        t = self.transcription
        return (self.seconds or t.seconds) / t.duration if t.duration else 0.0

    def names_found(self) -> dict[str, int]:
        """How often each of ``names`` is written in the repaired text, as listed
        (whole words, case kept), for those written at least once.

        >>> from respell.audio.segments import Transcription
        >>> r = Result("Liz Sly met Sly.", "Liz Sly met Sly.", ())
        >>> Repaired(Transcription(()), None, r, names=("Liz Sly", "Sly", "Beirut")).names_found()
        {'Liz Sly': 1, 'Sly': 2}
        """
        text = self.result.text
        counts = {n: len(re.findall(rf"(?<!\w){re.escape(n)}(?!\w)", text)) for n in self.names}
        return {n: k for n, k in counts.items() if k}

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
    if format in ("srt", "vtt"):
        from ..formats import format_class

        return format_class(format).write((s.start, s.end, s.text) for s in segs)
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
    :func:`respell.fix`, and (``acoustic``) let the audio confirm each change.

    One progress bar (see :func:`~respell.audio.transcribe`) follows every pass."""
    from ..correct import fix
    from ..formats import format_class
    from ..lexicon import Lexicon
    from .backends import SAMPLE_RATE, load_audio
    from .biasing import transcribe
    from .confirm import align_words, confirm
    from .progress import as_progress

    started = time.perf_counter()
    lexicon = Lexicon.coerce(entities)
    audio = load_audio(audio)
    bar, _ = as_progress(progress, len(audio) / SAMPLE_RATE)
    try:
        if transcription is None:
            transcription = transcribe(audio, lexicon, progress=bar, **transcribe_options)
        doc = format_class(format).parse(render_transcription(transcription, format))
        result = Result(doc.text, doc.text, (), fix_options or FixOptions())
        if fix_text and lexicon:
            result = fix(doc.text, lexicon, barriers=doc.barriers, options=fix_options)
        if fix_text and lexicon and acoustic:
            keep = {k: v for k, v in transcribe_options.items() if k in ("backend", "device")}
            if getattr(transcription.options, "bias", "none") != "none":
                # the same model heard these windows under prompts of these entities and
                # still wrote the garbles: its ratio would withdraw right repairs as often
                # as wrong ones (see respell.audio.confirm), so it only promotes here
                keep["keep_margin"] = -math.inf
            words = [(w.text, w.start, w.end) for s in transcription.segments for w in s.words]
            times = align_words(doc.text, words) or list(doc.times)
            result = confirm(result, audio, times=times, model=transcription.model,
                             progress=bar, **keep)
    finally:
        bar.close()
    kept, refused = doc.writable(result.changes)  # a change the file cannot hold is left out
    for change, why in refused:
        log.warning("%r -> %r not made: %s", change.original, change.replacement, why)
    if refused:
        result = result.with_changes(kept)
    names = tuple(dict.fromkeys(e.text for e in lexicon))
    return Repaired(transcription, doc, result, names, time.perf_counter() - started)
