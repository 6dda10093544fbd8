"""Deciding which candidate corrections to make, applying them, and the Result.

>>> r = fix("General Sola money was killed.", entities=["Qassem Soleimani"])
>>> r.text
'General Soleimani was killed.'
"""

from __future__ import annotations

import bisect
import gc
import hashlib
import math
import re
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace

from .errors import OptionError
from .lexicon import Entity, Lexicon

#: Default decision threshold on the calibrated score, chosen on ../shared/bench dev data
#: (see benchmarks/README.md).
DEFAULT_MIN_SCORE = 0.35


@dataclass(frozen=True)
class FixOptions:
    """Options of :func:`fix`. ``min_score`` in [0, 1]: higher means fewer, surer edits."""

    min_score: float = DEFAULT_MIN_SCORE
    max_span_words: int = 4

    def __post_init__(self) -> None:
        if not 0.0 <= self.min_score <= 1.0:
            raise OptionError(f"min_score must be between 0 and 1, got {self.min_score}")
        if not 1 <= self.max_span_words <= 8:
            raise OptionError(f"max_span_words must be between 1 and 8, got {self.max_span_words}")


@dataclass(frozen=True)
class Change:
    """One correction: ``source[start:end]`` (``original``) becomes ``replacement``.

    ``score`` is the calibrated probability that the change is right;
    ``runner_up`` the best other entity for the same words, if any.
    ``acoustic`` is set when audio confirmed or judged the change.
    ``sources`` are the entity's (:attr:`respell.lexicon.Entity.sources`): where it came from.
    """

    start: int
    end: int
    original: str
    replacement: str
    entity: str
    label: str | None
    score: float
    runner_up: str | None = None
    runner_up_score: float | None = None
    reason: str = ""
    acoustic: float | None = None
    sources: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """The change as a JSON-ready dict (the report's record)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Change:
        """Inverse of :meth:`to_dict`; unknown keys are ignored."""
        names = cls.__dataclass_fields__.keys()
        data = {k: v for k, v in data.items() if k in names}
        if isinstance(data.get("sources"), list):
            data["sources"] = tuple(data["sources"])  # as JSON writes a tuple
        return cls(**data)


@dataclass(frozen=True)
class Result:
    """The outcome of :func:`fix`: corrected ``text``, the ``changes`` and the options used."""

    source: str = field(repr=False)
    text: str = field(repr=False)
    changes: tuple[Change, ...]
    options: FixOptions = field(default_factory=FixOptions)
    candidates: tuple[Change, ...] = field(default=(), repr=False)

    @property
    def source_sha256(self) -> str:
        """Hash of the input text, stored in reports so they are applied to the same input."""
        return sha256_text(self.source)

    def with_changes(self, changes: Iterable[Change]) -> Result:
        """A Result with another set of changes (e.g. a reviewed subset) applied to the source."""
        changes = tuple(sorted(changes, key=lambda c: c.start))
        return replace(self, changes=changes, text=apply_changes(self.source, changes))

    def __repr__(self) -> str:
        edits = ", ".join(f"{c.original!r}->{c.replacement!r}" for c in self.changes[:5])
        more = f", ... {len(self.changes) - 5} more" if len(self.changes) > 5 else ""
        return f"Result({len(self.changes)} changes: {edits}{more})"

    def _repr_html_(self) -> str:
        from .display import result_html

        return result_html(self, standalone=False)


def sha256_text(text: str) -> str:
    """SHA-256 of the UTF-8 bytes of ``text``, hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def apply_changes(source: str, changes: Sequence[Change]) -> str:
    """Apply non-overlapping changes to ``source``; bytes outside them are kept as they are.

    >>> apply_changes("so la money", [Change(0, 11, "so la money", "Soleimani", "Soleimani", None, 0.9)])
    'Soleimani'
    """
    out, pos = [], 0
    for ch in sorted(changes, key=lambda c: c.start):
        if ch.start < pos:
            raise OptionError(f"changes overlap at offset {ch.start}: {ch.original!r}")
        if source[ch.start:ch.end] != ch.original:
            raise OptionError(
                f"change at {ch.start}-{ch.end} expects {ch.original!r}, "
                f"found {source[ch.start:ch.end]!r}"
            )
        out.append(source[pos:ch.start])
        out.append(ch.replacement)
        pos = ch.end
    out.append(source[pos:])
    return "".join(out)


def fix(
    text: str,
    entities: Lexicon | Iterable[str | Entity] | None = None,
    *,
    min_score: float | None = None,
    barriers: Sequence[int] = (),
    options: FixOptions | None = None,
) -> Result:
    """Find spans of ``text`` that are garbled entities and respell them.

    ``entities`` is a :class:`~respell.lexicon.Lexicon` (reuse one across
    transcripts: its index is built once) or an iterable of names.
    ``barriers`` are character offsets no correction may span (cue boundaries
    in subtitles). Returns a :class:`Result`; ``Result.candidates`` also holds
    the proposals below the threshold, for review or acoustic confirmation.

    >>> fix("Liz sly flew to Big Dad", entities=["Liz Sly", "Baghdad"]).text
    'Liz Sly flew to Baghdad'
    """
    if options is None:
        options = FixOptions() if min_score is None else FixOptions(min_score=min_score)
    elif min_score is not None:
        options = replace(options, min_score=min_score)
    if not isinstance(text, str):
        raise OptionError(f"text must be a str, got {type(text).__name__}")
    with _collector_paused():
        return _fix(text, entities, options, barriers)


@contextmanager
def _collector_paused():
    """Matching makes many short-lived objects without cycles, which reference counting
    frees; the cyclic collector would only walk the caches again and again (about 5 %
    of the time with big lists). It is paused for the call and set back as it was."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _fix(text: str, entities, options: FixOptions, barriers: Sequence[int]) -> Result:
    lexicon = as_lexicon(entities)
    if not lexicon or not text.strip():
        return Result(text, text, (), options)

    from .decide import score_candidates
    from .match import find_candidates, tokenize

    index = lexicon_index(lexicon)
    tokens = tokenize(text)
    cands = find_candidates(
        text, tokens, index, max_span_words=options.max_span_words, barriers=barriers
    )
    scores = score_candidates([c.features for c in cands])
    floor = min(options.min_score, 0.1)
    keep = []
    for c, s in zip(cands, scores):
        if s >= _RUNNER_UP_FLOOR:  # weaker ones can be neither changes nor runners-up
            p = _to_change(text, tokens, index, c, s, has_case=c.features["has_case"] > 0)
            if p is not None:
                keep.append((c, p))
    keep.sort(key=lambda cp: cp[1].start)
    chosen = _select(keep, options.min_score)
    starts = [p.start for _, p in keep]
    changes = tuple(
        sorted((_with_runner_up(p, keep, starts) for p in chosen), key=lambda c: c.start)
    )
    chosen_ids = {id(p) for p in chosen}
    others = tuple(
        sorted(
            (p for _, p in keep if id(p) not in chosen_ids and p.score >= floor),
            key=lambda c: (c.start, -c.score),
        )
    )
    return Result(text, apply_changes(text, changes), changes, options, others)


def as_lexicon(entities) -> Lexicon:
    """Accept a Lexicon, an iterable of names/Entity/dicts, or None (empty)."""
    if entities is None:
        return Lexicon(())
    if isinstance(entities, Lexicon):
        return entities
    if isinstance(entities, str):
        raise OptionError("entities must be a list of names, not one string: wrap it in a list")
    return Lexicon.from_entries(entities)


def lexicon_index(lexicon: Lexicon):
    """The matching index of a lexicon, built on first use and kept on the lexicon."""
    index = lexicon.__dict__.get("_index")
    if index is None:
        from .match import LexiconIndex

        index = LexiconIndex(lexicon)
        object.__setattr__(lexicon, "_index", index)
    return index


_RUNNER_UP_FLOOR = 0.01
_MAX_SPAN_CHARS = 400  # no candidate span is longer: bounds the runner-up search


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _number_only(original: str, replacement: str) -> bool:
    """Whether the two differ only by a final s ("diagnostic", "Diagnostics")."""
    a, b = _letters(original), _letters(replacement)
    return a + "s" == b or b + "s" == a


def _worth_respelling(original: str, replacement: str, has_case: bool) -> bool:
    """For a change that keeps every letter: is it more than punctuation noise?

    Capitalising a name in a cased transcript, joining or splitting a compound
    ("fire bugs" -> "firebugs") and an inner apostrophe ("robins" -> "robin's") are;
    "now" -> "now'" and "didn't" -> "didnt" are not.
    """
    if original.lower() == replacement.lower():
        return has_case and any(ch.isupper() for ch in replacement)
    if re.search(r"[\s-]", original) or re.search(r"[\s-]", replacement):
        # a compound joined or split, unless only apostrophes moved as well
        return original.lower().replace("'", "") != replacement.lower().replace("'", "")
    return bool(re.search(r"\w['’]\w", replacement)) and not re.search(r"['’]", original)


def _display(variant_text: str, span_text: str, has_case: bool) -> str:
    """The spelling to write: the entity's, with shouted lists calmed and sentence case kept."""
    out = variant_text
    if has_case and any(ch.islower() for ch in span_text) and not any(ch.islower() for ch in out):
        out = " ".join(
            w if len(w) <= 3 or not w.isalpha() else w.capitalize() for w in out.split()
        )
    if span_text[:1].isupper() and out[:1].islower():
        out = out[:1].upper() + out[1:]
    return out


def _to_change(text, tokens, index, cand, score, *, has_case) -> Change | None:
    entry = index.entries[cand.entry]
    variant = entry.variant
    start, end = tokens[cand.i].start, tokens[cand.j - 1].end
    original = text[start:end]
    replacement = _display(variant.text, original, has_case)
    last = tokens[cand.j - 1].text
    suffix = re.search(r"['’]s$", last)
    if suffix and not re.search(r"['’]s$", replacement) and not (
        _letters(variant.text).endswith(_letters(last))  # "Albans" already holds the s
    ):
        replacement += suffix.group()
    if replacement == original:
        return None
    if re.search(r"['’]s$", variant.text) and not last.lower().endswith("s"):
        # a listed possessive ("general's") is matched by its sound without the s, which
        # the words here lack: writing it would add an s nobody said ("the general" ->
        # "the general's"; on LibriSpeech such edits were wrong 12 times out of 17)
        return None
    if _number_only(original, replacement) and (
        variant.kind in ("surname", "given_name")
        or (has_case and original[:1].islower() and replacement[:1].isupper())
    ):
        # A name that differs from the words here only by a plural s is more likely the
        # ordinary word when it is one word of a longer name taken alone ("diagnostic" ->
        # "Diagnostics" of Beckman Diagnostics) or when a cased transcript wrote the word
        # in lower case ("genomic" -> "Genomics", "radiometers" -> "Radiometer").
        return None
    if _letters(replacement) == _letters(original) and not _worth_respelling(
        original, replacement, has_case
    ):
        return None
    f = cand.features
    ent = index.entities[variant.entity]
    how = {"canonical": "", "alias": " (alias)", "surname": " (surname)", "given_name": " (given name)",
           "sounds_like": f" (listed as sounding like {variant.heard!r})"}[variant.kind]
    reason = (
        f"sounds like {variant.text!r}{how}: phonetic {f['psim']:.2f}, spelling {f['csim']:.2f}, "
        f"margin {f['margin']:.2f}, word frequency {f['span_zipf_max']:.1f}"
    )
    return Change(start, end, original, replacement, ent.text, ent.label, round(float(score), 4),
                  reason=reason, sources=ent.sources)


def _select(keep, min_score: float) -> list[Change]:
    """Best non-overlapping set of changes: weighted interval scheduling on token spans."""

    def weight(s: float) -> float:
        s = min(max(s, 1e-6), 1 - 1e-6)
        t = min(max(min_score, 1e-6), 1 - 1e-6)
        return math.log(s / (1 - s)) - math.log(t / (1 - t))

    passing = [(c, p) for c, p in keep if p.score >= min_score]
    # A case-only fix of part of a name ("sly" -> "Sly") gives way to the full name over
    # the same words ("loop sly" -> "Liz Sly"), as it would on a second pass.
    full = [(c.i, c.j, p.entity) for c, p in passing if not c.features["surname"]]
    passing = [
        (c, p) for c, p in passing
        if not (c.features["surname"] and c.features["same_letters"]) or not any(
            e == p.entity and i <= c.i and c.j <= j and (i, j) != (c.i, c.j) for i, j, e in full
        )
    ]
    # Of two passing spans for one entity, one inside the other, the one that sounds
    # clearly more like it wins ("Lee Katie Ferrante" over "Katie Ferrante").
    by_entity: dict[str, list] = {}
    for c, p in passing:
        by_entity.setdefault(p.entity, []).append(c)
    passing = [
        (c, p) for c, p in passing
        if not any(
            c2.i <= c.i and c.j <= c2.j and (c2.i, c2.j) != (c.i, c.j)
            and c2.features["psim"] > c.features["psim"] + 0.05
            for c2 in by_entity[p.entity]
        )
    ]
    items = sorted(((c.i, c.j, weight(p.score), p) for c, p in passing), key=lambda x: x[1])
    if not items:
        return []
    ends = [it[1] for it in items]

    best = [0.0] * (len(items) + 1)
    take = [False] * len(items)
    prev_idx = []
    for k, (i, j, w, _) in enumerate(items):
        p = bisect.bisect_right(ends, i, 0, k)  # items ending at or before i
        prev_idx.append(p)
        with_it = best[p] + w
        if with_it > best[k]:
            best[k + 1], take[k] = with_it, True
        else:
            best[k + 1] = best[k]
    chosen, k = [], len(items)
    while k > 0:
        if take[k - 1]:
            chosen.append(items[k - 1][3])
            k = prev_idx[k - 1]
        else:
            k -= 1
    return chosen


def _with_runner_up(change: Change, keep, starts: list[int]) -> Change:
    """The best proposal for another entity over the same words.

    ``keep`` is sorted by start and ``starts`` holds those starts.
    """
    lo = bisect.bisect_left(starts, change.start - _MAX_SPAN_CHARS)
    hi = bisect.bisect_left(starts, change.end)
    rivals = [
        p for _, p in keep[lo:hi]
        if p is not change and p.entity != change.entity and change.start < p.end
    ]
    if not rivals:
        return change
    best = max(rivals, key=lambda p: p.score)
    return replace(change, runner_up=best.replacement, runner_up_score=best.score)
