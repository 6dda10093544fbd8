"""Acoustic confirmation: let the audio judge the text matcher's proposals.

For each proposal (a change or a candidate above a floor), Whisper scores the
same stretch of audio twice by teacher forcing: once with the transcript's words,
once with the proposal applied, the surrounding words identical. Both are
scored under one prompt naming the entities proposed there, so the names are as
plausible to Whisper's language model in both readings and the difference comes
from the sound. The log-likelihood ratio decides: changes the audio does not
support are withdrawn, candidates it clearly supports are promoted. Each
proposal records ``acoustic`` = sigmoid(ratio), the probability the audio
prefers the correction, and the ratio in its reason.

The margins were measured (benchmarks/README.md, "Audio"): a right repair of a
recognizer's garble often scores a little below it (the recognizer chose the garble
because it sounded likelier), while a wrong one scores far below, so a change is
withdrawn only when the audio prefers the original by :data:`KEEP_MARGIN` nats. After
respell's own biased transcription, the same model already heard each window under a
prompt of these entities and still wrote the garble, so the ratio of a right repair
is below zero about half the time, as low as a wrong one's: there the check only
promotes candidates and withdraws nothing (``keep_margin=-inf``, what
:func:`~respell.audio.pipeline.transcribe_and_fix` passes).
"""

from __future__ import annotations

import difflib
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..errors import OptionError
from ..result import Change, Result
from .backends import BACKENDS, SAMPLE_RATE, load_audio, load_backend
from .progress import Progress, as_progress

log = logging.getLogger(__name__)

#: a change stays unless the audio prefers the original by more than this many nats
KEEP_MARGIN = -4.0
#: a candidate below the text threshold is made when the audio prefers it by this many
PROMOTE_MARGIN = 2.0

#: (char_start, char_end, t0, t1) over ``Result.source``
Times = Sequence[tuple[int, int, float, float]]


@dataclass(frozen=True)
class ConfirmOptions:
    """Options of :func:`confirm`.

    ``keep_margin``: a change stays if the audio's log-likelihood ratio (corrected
    over original, nats) is at least this. ``promote_margin``: a candidate below the
    text threshold is made if the ratio is at least this. ``min_candidate_score``:
    candidates scored lower by the text matcher are not judged. ``context_seconds``:
    audio and words kept each side of the proposal. ``model``: None is the default
    model (base when installed, else tiny.en).
    """

    model: str | None = None
    backend: str = "faster-whisper"
    device: str = "auto"
    keep_margin: float = KEEP_MARGIN
    promote_margin: float = PROMOTE_MARGIN
    min_candidate_score: float = 0.1
    context_seconds: float = 3.0
    prompt: bool = True

    def __post_init__(self) -> None:
        if self.backend not in BACKENDS:
            raise OptionError(f"backend must be one of {', '.join(BACKENDS)}, got {self.backend!r}")
        if self.promote_margin < self.keep_margin:
            raise OptionError(
                f"promote_margin ({self.promote_margin}) must not be below keep_margin "
                f"({self.keep_margin}): a candidate would need less evidence than a change"
            )
        if not 0.0 <= self.min_candidate_score <= 1.0:
            raise OptionError(
                f"min_candidate_score must be between 0 and 1, got {self.min_candidate_score}"
            )
        if not 0.5 <= self.context_seconds <= 12.0:
            raise OptionError(
                f"context_seconds must be between 0.5 and 12, got {self.context_seconds}"
            )


def confirm(
    result: Result,
    audio,
    *,
    times: Times | None = None,
    model: str | None = None,
    options: ConfirmOptions | None = None,
    progress: bool | Progress | None = None,
    **overrides,
) -> Result:
    """Judge ``result``'s changes and candidates by the audio; return the new Result.

    ``audio`` is a path or 16 kHz float32 samples. ``times`` maps stretches of
    ``result.source`` to seconds (from the transcript's word or cue timestamps); when
    absent, the transcript is aligned to a word-timestamped Whisper transcription.
    ``progress`` as in :func:`~respell.audio.transcribe` (a pass in audio seconds).

    >>> fixed = confirm(fix(text, names), "talk.wav")  # doctest: +SKIP
    >>> [(c.replacement, c.acoustic) for c in fixed.changes]  # doctest: +SKIP
    [('Soleimani', 0.998)]
    """
    if model is not None:
        overrides["model"] = model
    if options is None:
        options = ConfirmOptions(**overrides)
    elif overrides:
        options = replace(options, **overrides)
    judged = judge(result, audio, times=times, options=options, progress=progress)
    return result if judged is None else decide(result, judged, options)


def judge(
    result: Result,
    audio,
    *,
    times: Times | None = None,
    options: ConfirmOptions | None = None,
    progress: bool | Progress | None = None,
) -> list[tuple[float, Change]] | None:
    """The audio's log-likelihood ratio (corrected over original, nats) of each of
    ``result``'s proposals, as (ratio, proposal); None when there is nothing to judge
    or no timing. :func:`confirm` is ``decide(result, judge(result, audio), options)``."""
    options = options or ConfirmOptions()
    proposals = _proposals(result, options.min_candidate_score)
    if not proposals:
        return None
    samples = load_audio(audio)
    backend = load_backend(options.model, options.backend, options.device)
    if times is None:
        times = align_times(result.source, samples, options)
    times = sorted((int(a), int(b), float(t0), float(t1)) for a, b, t0, t1 in times)
    if not times:
        log.warning("no timestamps for the transcript: audio confirmation skipped")
        return None
    duration = len(samples) / SAMPLE_RATE
    groups: dict[tuple, list[tuple[Change, str]]] = {}
    for p in proposals:
        key, corrected = _plan(p, result, proposals, times, duration, backend, options)
        groups.setdefault(key, []).append((p, corrected))
    judged: list[tuple[float, Change]] = []
    bar, own_bar = as_progress(progress, duration)
    bar.start("checking the changes against the audio")
    for (cs, ce, t0, t1, prompt), items in sorted(groups.items(), key=lambda g: g[0][2:4]):
        piece = samples[int(t0 * SAMPLE_RATE) : int(t1 * SAMPLE_RATE)]
        original = _squash(result.source[cs:ce])
        if len(piece) < SAMPLE_RATE // 10:
            scores = [0.0] * (len(items) + 1)
        else:
            scores = backend.score(piece, [original] + [c for _, c in items], prompt=prompt)
        for (p, corrected), s_new in zip(items, scores[1:]):
            log.debug("%r -> %r: %.2f vs %.2f", original, corrected, scores[0], s_new)
            judged.append((s_new - scores[0], p))
        bar.update_to(t1)
    bar.update_to(duration)
    if own_bar:
        bar.close()
    return judged


def _proposals(result: Result, floor: float) -> list[Change]:
    seen, out = set(), []
    for c in list(result.changes) + [c for c in result.candidates if c.score >= floor]:
        key = (c.start, c.end, c.replacement)
        if key not in seen and c.replacement != c.original:
            seen.add(key)
            out.append(c)
    return out


def _plan(p, result, proposals, times, duration, backend, options):
    """((char start, char end, t0, t1, prompt) of the stretch judging ``p``, corrected text)."""
    source = result.source
    inside = [t for t in times if t[0] < p.end and p.start < t[1]]
    if not inside:  # a proposal between timed stretches: take the nearest
        inside = [min(times, key=lambda t: min(abs(t[0] - p.start), abs(t[1] - p.end)))]
    ta, tb = min(t[2] for t in inside), max(t[3] for t in inside)
    ctx = options.context_seconds
    near = [t for t in times if t[3] >= ta - ctx and t[2] <= tb + ctx]
    near = [t for t in near if t[2] >= tb - 25 and t[3] <= ta + 25] or inside
    cs = min([t[0] for t in near] + [p.start])
    ce = max([t[1] for t in near] + [p.end])
    t0 = round(max(0.0, min(t[2] for t in near) - 0.25), 2)
    t1 = round(min(duration, max(t[3] for t in near) + 0.25), 2)
    corrected = _squash(source[cs : p.start] + p.replacement + source[p.end : ce])
    prompt = None
    if options.prompt:
        names = [
            q.entity
            for q in sorted(proposals, key=lambda q: q.start)
            if cs <= q.start and q.end <= ce
        ]
        prompt = ", ".join(dict.fromkeys(names))
        while len(backend.encode(" " + prompt)) > backend.max_prompt_tokens and ", " in prompt:
            prompt = prompt.rsplit(", ", 1)[0]
    return (cs, ce, t0, t1, prompt), corrected


def _squash(text: str) -> str:
    return " ".join(text.split())


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, x))))


def decide(result: Result, judged: list[tuple[float, Change]], options: ConfirmOptions) -> Result:
    """``result`` with the changes the audio's ratios in ``judged`` support (see
    :class:`ConfirmOptions` for the margins), each proposal's ``acoustic`` set."""
    is_change = {(c.start, c.end, c.replacement) for c in result.changes}
    scored = []
    for delta, p in judged:
        was = (p.start, p.end, p.replacement) in is_change
        need = options.keep_margin if was else options.promote_margin
        ok = delta >= need
        if ok:
            why = f"audio supports it (log-likelihood ratio {delta:+.1f})"
        else:
            why = f"audio prefers {p.original!r} (log-likelihood ratio {delta:+.1f})"
        reason = f"{p.reason}; {why}" if p.reason else why
        scored.append((ok, delta, replace(p, acoustic=round(_sigmoid(delta), 4), reason=reason)))
    accepted: list[Change] = []
    for ok, _delta, c in sorted(scored, key=lambda x: -x[1]):
        if ok and all(c.end <= a.start or a.end <= c.start for a in accepted):
            accepted.append(c)
    taken = {id(c) for c in accepted}
    others = [c for _, _, c in scored if id(c) not in taken]
    judged_keys = {(c.start, c.end, c.replacement) for _, _, c in scored}
    others += [c for c in result.candidates if (c.start, c.end, c.replacement) not in judged_keys]
    fixed = result.with_changes(accepted)
    return replace(fixed, candidates=tuple(sorted(others, key=lambda c: (c.start, -c.score))))


_TOKEN = re.compile(r"\S+")
_STRIP = re.compile(r"[^\w']+")


def _norm(word: str) -> str:
    return _STRIP.sub("", word.lower())


def align_times(source: str, samples: np.ndarray, options: ConfirmOptions) -> list:
    """Word times for ``source``: align its words to a plain Whisper transcription's
    timed words; words Whisper missed get times interpolated from their neighbours."""
    from .biasing import transcribe

    heard = transcribe(
        samples, model=options.model, backend=options.backend, device=options.device, bias="none"
    )
    hwords = [w for s in heard.segments for w in s.words if w.text.strip()]
    return align_words(source, [(w.text, w.start, w.end) for w in hwords])


def align_words(source: str, heard: Sequence[tuple[str, float, float]]) -> list:
    """(char_start, char_end, t0, t1) for each word of ``source``, by aligning it to
    ``heard`` (word, t0, t1) with difflib; unmatched words share the gap between
    matched neighbours.

    >>> align_words("so la money left", [("Sola", 0.0, 0.5), ("money", 0.5, 0.9), ("left", 1.0, 1.2)])
    [(0, 2, 0.0, 0.25), (3, 5, 0.25, 0.5), (6, 11, 0.5, 0.9), (12, 16, 1.0, 1.2)]
    """
    words = [(m.start(), m.end(), _norm(m.group())) for m in _TOKEN.finditer(source)]
    if not words or not heard:
        return []
    hnorm = [_norm(w) for w, _, _ in heard]
    sm = difflib.SequenceMatcher(None, [w[2] for w in words], hnorm, autojunk=False)
    at: list[tuple[float, float] | None] = [None] * len(words)
    for a, b, n in sm.get_matching_blocks():
        for k in range(n):
            at[a + k] = (heard[b + k][1], heard[b + k][2])
    end = heard[-1][2]
    i = 0
    while i < len(words):
        if at[i] is not None:
            i += 1
            continue
        j = i
        while j < len(words) and at[j] is None:
            j += 1
        lo = at[i - 1][1] if i > 0 else 0.0
        hi = at[j][0] if j < len(words) else end
        hi = max(hi, lo)
        step = (hi - lo) / (j - i)
        for k in range(i, j):
            at[k] = (round(lo + step * (k - i), 3), round(lo + step * (k - i + 1), 3))
        i = j
    return [(s, e, float(t[0]), float(t[1])) for (s, e, _), t in zip(words, at)]
