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

Long recordings are decoded in blocks of at most five minutes cut at the quietest
half second near the limit, so memory stays flat in the duration (the 16 kHz
signal itself aside): the spectrogram and encoder states of an hour are never held.
"""

from __future__ import annotations

import itertools
import logging
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..errors import OptionError
from ..lexicon import Entity, Lexicon
from .backends import (
    BACKENDS,
    MAX_PROMPT_TOKENS,
    SAMPLE_RATE,
    WINDOW_SECONDS,
    WhisperBackend,
    load_audio,
    load_backend,
)
from .progress import Progress, as_progress
from .segments import Segment, Transcription
from .weights import default_model

log = logging.getLogger(__name__)

BIAS_MODES = ("none", "prompt", "window")
#: the longest stretch of audio decoded in one call (memory is bounded by it)
BLOCK_SECONDS = 300.0
#: what the progress bar calls each pass
PASS_NAMES = {"none": "transcribing", "prompt": "transcribing (prompted)",
              "plain": "pass 1/2: plain", "window": "pass 2/2: prompted by window"}


@dataclass(frozen=True)
class TranscribeOptions:
    """Options of :func:`transcribe`.

    ``bias``: ``none`` (plain Whisper), ``prompt`` (one prompt of the most frequent
    entities on every window) or ``window`` (each window's own entities, two passes).
    ``prompt_tokens``: token budget of a prompt (Whisper allows 223). ``model``: a
    Whisper model name, CTranslate2 folder or ``.pt`` file; None is
    :func:`~respell.audio.weights.default_model` (base when installed, else tiny.en).
    """

    model: str | None = None
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
    entities: Lexicon | Iterable[str | Entity] | str | None = None,
    *,
    options: TranscribeOptions | None = None,
    progress: bool | Progress | None = None,
    first_pass: Transcription | None = None,
    **overrides,
) -> Transcription:
    """Transcribe ``audio`` (a path or 16 kHz float32 samples) with Whisper, biased
    towards ``entities``. Keyword ``overrides`` set fields of :class:`TranscribeOptions`.

    A progress bar in audio seconds, naming the pass, is shown when ``progress`` is
    true, or when it is None and standard error is a terminal (a :class:`Progress`
    given is reported to and left open). ``first_pass``: a plain transcription of the
    same audio by the same model (``bias="none"``), reused as the window mode's first
    pass instead of decoding again; its time counts in :attr:`Transcription.seconds`.

    >>> t = transcribe("talk.wav", ["Qassem Soleimani"], model="tiny.en")  # doctest: +SKIP
    >>> t.text  # doctest: +SKIP
    'The strike that killed General Qassem Soleimani ...'
    """
    if options is None:
        options = TranscribeOptions(**overrides)
    elif overrides:
        options = replace(options, **overrides)
    lexicon = Lexicon.coerce(entities)  # a bad list fails before the model loads
    started = time.perf_counter()
    samples = load_audio(audio)
    duration = len(samples) / SAMPLE_RATE
    model = options.model or default_model()
    backend = load_backend(model, options.backend, options.device)
    bar, own_bar = as_progress(progress, duration)
    budget = min(options.prompt_tokens, backend.max_prompt_tokens)

    kept: list[Segment] = []
    dropped: list[Segment] = []
    mode = options.bias if lexicon else "none"
    try:
        if mode in ("none", "prompt"):
            prompt = build_prompt(_by_frequency(lexicon), backend.encode, budget)
            prompt = prompt if mode == "prompt" else ""
            bar.start(PASS_NAMES[mode])
            segs = _decode_blocks(backend, samples, options, prompt, bar)
            kept, dropped = filter_segments(segs, options, prompt=prompt)
        elif first_pass is not None:
            started -= first_pass.seconds
            plain, dropped = list(first_pass.segments), list(first_pass.dropped)
        else:
            bar.start(PASS_NAMES["plain"])
            first = _decode_blocks(backend, samples, options, "", bar)
            plain, dropped = filter_segments(first, options, prompt="")
        if mode == "window":
            bar.start(PASS_NAMES["window"])
            kept, more = _window_pass(backend, samples, options, lexicon, plain, budget, bar)
            dropped += more
    finally:
        if own_bar:
            bar.close()
    kept = [replace(s, id=i) for i, s in enumerate(kept)]
    return Transcription(
        tuple(kept),
        language=options.language or "en",
        duration=duration,
        model=model,
        backend=backend.name,
        options=options,
        dropped=tuple(dropped),
        seconds=time.perf_counter() - started,
    )


def _window_pass(backend, samples, options, lexicon, plain, budget, bar):
    """(kept, dropped) segments of the second pass: each window of ``plain`` decoded
    again under a prompt of the entities its words resemble."""
    kept: list[Segment] = []
    dropped: list[Segment] = []
    duration = len(samples) / SAMPLE_RATE
    for t0, t1, seg_list in windows(plain, duration):
        text = " ".join(s.text.strip() for s in seg_list)
        prompt = build_prompt(entities_for(text, lexicon), backend.encode, budget)
        piece = samples[int(t0 * SAMPLE_RATE) : int(t1 * SAMPLE_RATE)]
        log.debug("window %.1f-%.1f s, prompt %r", t0, t1, prompt)
        long = t1 - t0 > WINDOW_SECONDS  # only after a long pause: keep the prompt on
        segs = [s.shifted(t0) for s in _decode(backend, piece, options, prompt, long)]
        heard = [(s.start, s.end) for s in seg_list]
        good, bad = filter_segments(segs, options, prompt=prompt, heard=heard)
        kept += [s for s in good if s.start < t1]
        dropped += bad
        bar.update_to(t1)
    return kept, dropped


def _decode_blocks(
    backend: WhisperBackend,
    samples: np.ndarray,
    options: TranscribeOptions,
    prompt: str,
    bar: Progress,
) -> list[Segment]:
    """Segments of the whole of ``samples``, decoded block by block (see
    :func:`blocks`) with ``prompt`` on every window, reported to ``bar``."""
    out: list[Segment] = []
    for a, b in blocks(samples):
        t0 = a / SAMPLE_RATE
        for s in _decode(backend, samples[a:b], options, prompt, carry=True):
            s = s.shifted(t0) if t0 else s
            out.append(s)
            bar.update_to(s.end)
        bar.update_to(b / SAMPLE_RATE)
    return out


def blocks(samples: np.ndarray, limit: float | None = None, *, search: float = 30.0):
    """(start, end) sample indices of consecutive blocks of at most ``limit`` seconds
    covering ``samples``, each cut at the quietest half second of the last ``search``
    seconds before the limit (so that no word is cut in two).

    >>> quiet = np.zeros(16000, dtype=np.float32)
    >>> loud = np.ones(16000 * 9, dtype=np.float32)
    >>> list(blocks(np.concatenate([loud, quiet, loud, quiet, loud]), limit=15.0, search=8.0))
    [(0, 148000), (148000, 308800), (308800, 464000)]
    """
    limit = limit or BLOCK_SECONDS
    rate, n = SAMPLE_RATE, len(samples)
    step, size = rate // 10, rate // 2
    start = 0
    while n - start > limit * rate:
        lo, hi = start + int((limit - search) * rate), start + int(limit * rate)
        stretch = samples[lo:hi].astype(np.float64) ** 2
        energy = np.add.reduceat(stretch, np.arange(0, len(stretch), step))  # per 0.1 s
        window = np.convolve(energy, np.ones(size // step), mode="valid")  # per 0.5 s
        cut = lo + int(np.argmin(window)) * step + size // 2
        yield start, cut
        start = cut
    yield start, n


def _decode(backend, samples: np.ndarray, options: TranscribeOptions, prompt: str, carry=False):
    return backend.decode(
        samples,
        prompt=prompt or None,
        carry_prompt=carry,
        language=options.language,
        beam_size=options.beam_size,
        vad=options.vad,
    )


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
    lexicon = Lexicon.coerce(lexicon)
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
