"""Whisper transcription biased towards known entities, window by window.

Whisper's initial prompt holds at most 223 tokens and by default conditions only
the first 30-second window. With ``bias="window"`` respell first transcribes
the audio plainly, cuts it into windows of at most 30 s at segment boundaries,
asks the text matcher which entities each window's words resemble, and decodes
each window again under its own prompt: those entities first, then the most
frequent others, up to the token budget. ``bias="prompt"`` keeps one prompt of
the most frequent entities on every window (one pass); ``bias="none"`` is plain
Whisper.

Segments that echo the prompt where the plain pass heard nothing, and segments
Whisper itself judges as silence (high no-speech probability, low log-probability)
or as repetition loops, are dropped and kept in :attr:`Transcription.dropped`.
"""

from __future__ import annotations

import itertools
import logging
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..errors import OptionError
from ..lexicon import Entity, Lexicon
from .models import (
    BACKENDS,
    MAX_PROMPT_TOKENS,
    SAMPLE_RATE,
    WINDOW_SECONDS,
    load_audio,
    load_backend,
)
from .segments import Segment, Transcription

log = logging.getLogger(__name__)

BIAS_MODES = ("none", "prompt", "window")


@dataclass(frozen=True)
class TranscribeOptions:
    """Options of :func:`transcribe`.

    ``bias``: ``none`` (plain Whisper), ``prompt`` (one prompt of the most frequent
    entities on every window) or ``window`` (each window's own entities, two passes).
    ``prompt_tokens``: token budget of a prompt (Whisper allows 223).
    """

    model: str = "tiny.en"
    backend: str = "faster-whisper"
    device: str = "auto"
    bias: str = "window"
    language: str | None = None
    beam_size: int = 5
    prompt_tokens: int = 200
    vad: bool = False
    no_speech_threshold: float = 0.6
    logprob_threshold: float = -1.0
    compression_ratio_threshold: float = 2.4

    def __post_init__(self) -> None:
        if self.bias not in BIAS_MODES:
            raise OptionError(f"bias must be one of {', '.join(BIAS_MODES)}, got {self.bias!r}")
        if self.backend not in BACKENDS:
            raise OptionError(f"backend must be one of {', '.join(BACKENDS)}, got {self.backend!r}")
        if not 1 <= self.prompt_tokens <= MAX_PROMPT_TOKENS:
            raise OptionError(
                f"prompt_tokens must be between 1 and {MAX_PROMPT_TOKENS} (Whisper's limit), "
                f"got {self.prompt_tokens}"
            )
        if self.beam_size < 1:
            raise OptionError(f"beam_size must be at least 1, got {self.beam_size}")


def transcribe(
    audio,
    entities: Lexicon | Iterable[str | Entity] | None = None,
    *,
    options: TranscribeOptions | None = None,
    progress: bool | None = None,
    **overrides,
) -> Transcription:
    """Transcribe ``audio`` (a path or 16 kHz float32 samples) with Whisper, biased
    towards ``entities``. Keyword ``overrides`` set fields of :class:`TranscribeOptions`.

    A progress bar is shown when ``progress`` is true, or when it is None, stderr is
    a terminal and the audio is longer than a minute.

    >>> t = transcribe("talk.wav", ["Qassem Soleimani"], model="tiny.en")  # doctest: +SKIP
    >>> t.text  # doctest: +SKIP
    'The strike that killed General Qassem Soleimani ...'
    """
    if options is None:
        options = TranscribeOptions(**overrides)
    elif overrides:
        options = replace(options, **overrides)
    started = time.perf_counter()
    samples = load_audio(audio)
    duration = len(samples) / SAMPLE_RATE
    backend = load_backend(options.model, options.backend, options.device)
    lexicon = _as_lexicon(entities)
    show = progress if progress is not None else (sys.stderr.isatty() and duration > 60)
    bar = _Progress(duration, enabled=bool(show), passes=2 if options.bias == "window" else 1)

    kept: list[Segment] = []
    dropped: list[Segment] = []
    mode = options.bias if lexicon else "none"
    if mode in ("none", "prompt"):
        prompt = build_prompt(_by_frequency(lexicon), backend.encode, options.prompt_tokens)
        prompt = prompt if mode == "prompt" else ""
        segs = bar.follow(_decode(backend, samples, options, prompt, carry=True))
        kept, dropped = filter_segments(segs, options, prompt=prompt)
    else:
        first = bar.follow(_decode(backend, samples, options, ""))
        plain, dropped = filter_segments(first, options, prompt="")
        bar.next_pass()
        for t0, t1, seg_list in windows(plain, duration):
            text = " ".join(s.text.strip() for s in seg_list)
            chosen = entities_for(text, lexicon)
            prompt = build_prompt(chosen, backend.encode, options.prompt_tokens)
            piece = samples[int(t0 * SAMPLE_RATE) : int(t1 * SAMPLE_RATE)]
            log.debug("window %.1f-%.1f s, prompt %r", t0, t1, prompt)
            long = t1 - t0 > WINDOW_SECONDS  # only after a long pause: keep the prompt on
            segs = [s.shifted(t0) for s in _decode(backend, piece, options, prompt, long)]
            heard = [(s.start, s.end) for s in seg_list]
            good, bad = filter_segments(segs, options, prompt=prompt, heard=heard)
            kept += [s for s in good if s.start < t1]
            dropped += bad
            bar.update_to(t1)
    bar.close()
    kept = [replace(s, id=i) for i, s in enumerate(kept)]
    return Transcription(
        tuple(kept),
        language=options.language or "en",
        duration=duration,
        model=options.model,
        backend=backend.name,
        options=options,
        dropped=tuple(dropped),
        seconds=time.perf_counter() - started,
    )


def _decode(backend, samples: np.ndarray, options: TranscribeOptions, prompt: str, carry=False):
    return backend.transcribe(
        samples,
        prompt=prompt or None,
        carry_prompt=carry,
        language=options.language,
        beam_size=options.beam_size,
        vad=options.vad,
    )


def _as_lexicon(entities) -> Lexicon:
    if entities is None:
        return Lexicon(())
    if isinstance(entities, Lexicon):
        return entities
    return Lexicon.from_entries(entities)


def _by_frequency(lexicon: Lexicon) -> list[str]:
    ents = sorted(enumerate(lexicon), key=lambda p: (-p[1].count, p[0]))
    return [e.text for _, e in ents]


def entities_for(text: str, lexicon: Lexicon) -> list[str]:
    """Entities for a window's prompt, best first: those the text matcher proposes
    for ``text`` (changes, then candidates by score), those already spelled right in
    it, then the rest by frequency.

    >>> entities_for("we flew to bay root", ["Beirut", "Paris"])[:1]
    ['Beirut']
    """
    lexicon = _as_lexicon(lexicon)
    from ..correct import fix

    ranked: list[str] = []
    try:
        result = fix(text, lexicon, min_score=0.1)
        props = sorted(result.changes, key=lambda c: -c.score) + sorted(
            result.candidates, key=lambda c: -c.score
        )
        ranked = [c.entity for c in props]
    except NotImplementedError:  # matcher not available: frequency only
        pass
    lowered = text.lower()
    ranked += [e.text for e in lexicon if e.text.lower() in lowered]
    ranked += _by_frequency(lexicon)
    return list(dict.fromkeys(ranked))


def build_prompt(names: Sequence[str], encode, budget: int = 200) -> str:
    """Names joined by commas, as many as fit in ``budget`` tokens (``encode`` counts).

    >>> build_prompt(["Beirut", "Qassem Soleimani"], lambda s: s.split(), 2)
    'Beirut.'
    """
    out: list[str] = []
    used = 0
    for name in names:
        cost = len(encode(" " + name + ","))
        if used + cost > budget - 1:
            continue
        out.append(name)
        used += cost
    return ", ".join(out) + "." if out else ""


def windows(segments: Sequence[Segment], duration: float, limit: float = WINDOW_SECONDS):
    """Cut the audio into windows of at most ``limit`` seconds at pauses between
    ``segments``: yields (start, end, segments inside).

    >>> segs = [Segment(i, 10.0 * i, 10.0 * i + 8, "x") for i in range(5)]
    >>> [(a, b, len(s)) for a, b, s in windows(segs, 50.0)]
    [(0.0, 29.0, 3), (29.0, 50.0, 2)]
    """
    segs = sorted(segments, key=lambda s: s.start)
    if not segs:
        return
    cuts = [0.0]
    for a, b in itertools.pairwise(segs):
        cuts.append(max(a.end, min(b.start, (a.end + b.start) / 2)))
    cuts.append(duration)
    start = 0
    for i in range(1, len(segs)):
        if cuts[i + 1] - cuts[start] > limit:
            yield cuts[start], cuts[i], segs[start:i]
            start = i
    yield cuts[start], cuts[-1], segs[start:]


_WORD = re.compile(r"[\w']+")


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def is_echo(text: str, prompt: str) -> bool:
    """True if ``text`` reads like a piece of ``prompt`` (Whisper repeating its prompt).

    >>> is_echo("Qassem Soleimani, Mark Esper.", "Baghdad, Qassem Soleimani, Mark Esper.")
    True
    >>> is_echo("Mark Esper said so.", "Baghdad, Qassem Soleimani, Mark Esper.")
    False
    """
    from rapidfuzz import fuzz

    words, ptext = _norm(text), _norm(prompt)
    if not words or not ptext:
        return False
    pwords = set(ptext.split())
    inside = sum(w in pwords for w in words.split()) / len(words.split())
    return inside >= 0.75 and fuzz.partial_ratio(words, ptext) >= 85


def filter_segments(
    segments: Iterable[Segment],
    options: TranscribeOptions,
    *,
    prompt: str = "",
    heard: Sequence[tuple[float, float]] | None = None,
) -> tuple[list[Segment], list[Segment]]:
    """Split ``segments`` into (kept, dropped hallucinations).

    Dropped: Whisper's own silence rule (no-speech probability above the threshold
    and average log-probability below it; here also when the first word's probability
    is below 0.1 or the unprompted pass heard nothing there), repetition loops
    (compression ratio), and
    prompt echoes: segments that read like the prompt and either overlap nothing the
    unprompted pass ``heard`` or look unsure (no-speech > 0.3 or log-probability < -0.8).
    """
    kept, dropped = [], []
    for s in segments:
        unheard = heard is not None and not any(a < s.end and s.start < b for a, b in heard)
        first_word = min((w.probability for w in s.words[:1]), default=1.0)
        # Whisper's rule, plus its "Thank you." on silence: a window it thinks is silent
        # whose first word it barely believes, or that the unprompted pass heard nothing in
        silent = s.no_speech_prob > options.no_speech_threshold and (
            s.avg_logprob < options.logprob_threshold or first_word < 0.1 or unheard
        )
        loop = s.compression_ratio > options.compression_ratio_threshold
        echo = False
        if prompt and is_echo(s.text, prompt):
            echo = unheard or s.no_speech_prob > 0.3 or s.avg_logprob < -0.8
        if silent or loop or echo or not s.text.strip():
            if s.text.strip():
                log.info("dropped segment %.1f-%.1f s %r", s.start, s.end, s.text)
            dropped.append(s)
        else:
            kept.append(s)
    return kept, dropped


class _Progress:
    """A tqdm bar over audio seconds (times the number of passes), or nothing."""

    def __init__(self, duration: float, *, enabled: bool, passes: int = 1) -> None:
        self.bar = None
        self.offset = 0.0
        self.duration = duration
        if enabled:
            from tqdm.auto import tqdm

            self.bar = tqdm(
                total=round(duration * passes, 1), unit="s", desc="transcribing", leave=False
            )

    def update_to(self, t: float) -> None:
        if self.bar is not None:
            self.bar.n = round(min(self.offset + t, self.bar.total), 1)
            self.bar.refresh()

    def follow(self, segments: Iterable[Segment]) -> list[Segment]:
        out = []
        for s in segments:
            out.append(s)
            self.update_to(s.end)
        self.update_to(self.duration)
        return out

    def next_pass(self) -> None:
        self.offset += self.duration

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
