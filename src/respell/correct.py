"""Correcting a transcript: the steps from text to :class:`~respell.result.Result`, and
choosing the changes.

:func:`fix` runs the steps, each in its own module:

1. words (:mod:`respell.words`): the tokens;
2. matching (:mod:`respell.match`): spans, the transcript's facts
   (:mod:`respell.transcript`), shortlist, per-span checks, features;
3. judging (:mod:`respell.decide`): a calibrated score for each match;
4. choosing (here): each match as the change it would write (:func:`proposals`),
   then the best set of changes that do not overlap, each with its runner-up
   (:func:`choose`).

Evidence from the whole transcript is a step of its own: what one pass over the
tokens can tell is measured in :mod:`respell.transcript` and read by the model;
evidence that needs every match (one spelling per transcript) belongs between
judging and choosing, as a function of the matches and their scores.

>>> r = fix("General Sola money was killed.", entities=["Qassem Soleimani"])
>>> r.text
'General Soleimani was killed.'
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from .errors import OptionError
from .lexicon import Entity, Lexicon
from .linebreaks import keep_all_line_breaks, keep_line_breaks, keeps_line_breaks
from .result import DEFAULT_MIN_SCORE, Change, FixOptions, Result, apply_changes, sha256_text
from .state import collector_paused
from .words import Token, letters, tokenize

if TYPE_CHECKING:
    from .index import LexiconIndex
    from .match import Match

__all__ = [
    "DEFAULT_MIN_SCORE", "Change", "FixOptions", "Result", "apply_changes", "as_lexicon", "choose",
    "fix", "lexicon_index", "proposals", "sha256_text",
]


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
    options = FixOptions.of(options, min_score)
    if not isinstance(text, str):
        raise OptionError(f"text must be a str, got {type(text).__name__}")
    with collector_paused():
        return _fix(text, entities, options, barriers)


def _fix(text: str, entities, options: FixOptions, barriers: Sequence[int]) -> Result:
    changes: list[Change] = []
    others: list[Change] = []
    for _, done, proposed in fix_in_parts(text, entities, options=options, barriers=barriers):
        changes.extend(done)
        others.extend(proposed)
    changes_t = tuple(changes)
    others.sort(key=lambda c: (c.start, -c.score))
    return Result(text, apply_changes(text, changes_t), changes_t, options, tuple(others))


def fix_in_parts(
    text: str,
    entities,
    *,
    options: FixOptions | None = None,
    barriers: Sequence[int] = (),
) -> Iterator[tuple[int, tuple[Change, ...], tuple[Change, ...]]]:
    """:func:`fix`'s changes and other proposals as they are settled, in text order:
    ``(settled, changes, proposals)``, where no change still to come starts before
    ``settled``. A transcript longer than :data:`~respell.windows.WINDOW_CHARS` is matched
    window by window (bounded memory, linear time, the same changes): a caller can write
    ``text`` up to ``settled`` at each step without holding every change.
    """
    options = FixOptions.of(options)
    lexicon = Lexicon.coerce(entities)
    if not lexicon or not text.strip():
        yield len(text), (), ()
        return
    from . import windows
    from .index import LexiconIndex

    index = LexiconIndex.of(lexicon)
    if len(text) <= windows.WINDOW_CHARS:
        parts = iter([(len(text), _propose(text, tokenize(text), index, options, barriers))])
    else:
        parts = _windowed(text, index, options, barriers)
    # settled proposals come by their first token: choosing wants them by their start
    last = None  # the last change laid out, whose line the next may share
    held: list[Change] = []  # a part's last change waits for its neighbour, to be laid out
    for settled, proposed in parts:
        changes, others = choose(sorted(proposed, key=lambda mp: mp[1].start),
                                 options.min_score)
        queue = [*held, *changes]
        final = settled >= len(text)
        ready, held = (queue, []) if final or not queue else (queue[:-1], queue[-1:])
        # A name a line break cuts keeps the break (and a subtitle cue its part of the
        # name); one that cannot (more lines than words, a name that is lines by itself)
        # is not made, and stays a proposal.
        laid = keep_all_line_breaks(text, ready, hi=held[0].start if held else len(text),
                                    before=last)
        kept = tuple(c for c in laid if keeps_line_breaks(c))
        if len(kept) < len(laid):
            ids = {id(c) for c in kept}
            others = tuple(sorted([*others, *(c for c in laid if id(c) not in ids)],
                                  key=lambda c: (c.start, -c.score)))
        last = laid[-1] if laid else last
        upto = held[0].start if held else settled
        yield upto, kept, tuple(keep_line_breaks(text, c) for c in others)


def _propose(text, tokens, index, options, barriers, cased=None) -> list:
    """The (match, change) proposals of ``text``, scored, in text order."""
    from .decide import score_matches
    from .match import find_matches

    found = find_matches(text, tokens, index, max_span_words=options.max_span_words,
                         barriers=barriers, cased=cased)
    scores = score_matches([m.features for m in found.matches], found.facts)
    return proposals(text, tokens, index, found.matches, scores, cased=found.facts.cased)


def _windowed(text: str, index, options: FixOptions, barriers: Sequence[int]):
    """``(settled, proposals)`` window by window (see :mod:`respell.windows`), the case of
    the whole transcript judged first."""
    from .windows import settle, windows

    cased = _cased_anywhere(text, index, options, barriers)
    pending: list = []
    base = 0  # the number of tokens before the current core
    for w in windows(text):
        part = text[w.start:w.end]
        tokens = tokenize(part)
        local = [b - w.start for b in barriers if w.start < b < w.end]
        proposed = _propose(part, tokens, index, options, local, cased=cased)
        first = sum(t.start < w.core_start - w.start for t in tokens)
        core = sum(t.start < w.core_end - w.start for t in tokens) - first
        for m, c in proposed:
            if w.core_start <= c.start + w.start < w.core_end:
                pending.append((replace(m, i=m.i + base - first, j=m.j + base - first),
                                replace(c, start=c.start + w.start, end=c.end + w.start)))
        base += core
        settled, pending = settle(pending, base)
        yield (pending[0][1].start if pending else w.core_end), settled
    yield len(text), pending


def _cased_anywhere(text: str, index, options: FixOptions, barriers: Sequence[int]) -> bool:
    """Whether a long transcript is cased, judged window by window as :func:`fix` would
    judge it whole: a capitalised ordinary word outside every listed name settles it at
    once; one that is a word of a listed name counts unless that name is written right."""
    from .match import find_spans
    from .transcript import is_cased
    from .windows import windows

    name_words = {w.text.lower() for e in index.entries for w in tokenize(e.variant.text)}
    for w in windows(text):
        part = text[w.start:w.end]
        tokens = tokenize(part)
        core = [k for k, t in enumerate(tokens) if w.core_start <= t.start + w.start < w.core_end]
        capitals = [k for k in core if is_cased([tokens[k]])]
        if any(tokens[k].text.lower() not in name_words for k in capitals):
            return True
        if capitals:
            local = [b - w.start for b in barriers if w.start < b < w.end]
            table = find_spans(part, tokens, index, min(options.max_span_words,
                                                        index.max_words + 2), local)
            if any(k not in table.written_right for k in capitals):
                return True
    return False


#: Lexicon.coerce, under the name it had here.
as_lexicon = Lexicon.coerce


def lexicon_index(lexicon: Lexicon):
    """The matching index of a lexicon: :meth:`respell.index.LexiconIndex.of`."""
    from .index import LexiconIndex

    return LexiconIndex.of(lexicon)


def proposals(
    text: str,
    tokens: Sequence[Token],
    index: LexiconIndex,
    matches: Sequence[Match],
    scores: Sequence[float],
    *,
    cased: bool,
) -> list[tuple[Match, Change]]:
    """Each match scored high enough to matter, with the change it would write, in text
    order; matches that would change nothing worth changing are left out."""
    proposed = []
    for m, s in zip(matches, scores):
        if s >= _RUNNER_UP_FLOOR:  # weaker ones can be neither changes nor runners-up
            p = _to_change(text, tokens, index, m, s, has_case=cased)
            if p is not None:
                proposed.append((m, p))
    proposed.sort(key=lambda mp: mp[1].start)
    return proposed


def choose(
    proposed: list[tuple[Match, Change]], min_score: float
) -> tuple[tuple[Change, ...], tuple[Change, ...]]:
    """The changes to make: the best set of non-overlapping proposals scoring ``min_score``
    or more, each with its runner-up; and the other proposals worth showing (down to
    ``min(min_score, 0.1)``), which become :attr:`Result.candidates`."""
    floor = min(min_score, 0.1)
    chosen = _select(proposed, min_score)
    starts = [p.start for _, p in proposed]
    changes = tuple(
        sorted((_with_runner_up(p, proposed, starts) for p in chosen), key=lambda c: c.start)
    )
    chosen_ids = {id(p) for p in chosen}
    others = tuple(
        sorted(
            (p for _, p in proposed if id(p) not in chosen_ids and p.score >= floor),
            key=lambda c: (c.start, -c.score),
        )
    )
    return changes, others


_RUNNER_UP_FLOOR = 0.01
_MAX_SPAN_CHARS = 400  # no span of a match is longer: bounds the runner-up search


def _number_only(original: str, replacement: str) -> bool:
    """Whether the two differ only by a final s ("diagnostic", "Diagnostics")."""
    a, b = letters(original), letters(replacement)
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


def _to_change(
    text: str, tokens: Sequence[Token], index: LexiconIndex, match: Match, score: float, *,
    has_case: bool,
) -> Change | None:
    """The change a match proposes, as it would be written; None when it is no change."""
    entry = index.entries[match.entry]
    variant = entry.variant
    start, end = tokens[match.i].start, tokens[match.j - 1].end
    original = text[start:end]
    replacement = _display(variant.text, original, has_case)
    last = tokens[match.j - 1].text
    suffix = re.search(r"['’]s$", last)
    if suffix and not re.search(r"['’]s$", replacement) and not (
        letters(variant.text).endswith(letters(last))  # "Albans" already holds the s
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
    if letters(replacement) == letters(original) and not _worth_respelling(
        original, replacement, has_case
    ):
        return None
    f = match.features
    ent = index.entities[variant.entity]
    how = {"canonical": "", "alias": " (alias)", "surname": " (surname)", "given_name": " (given name)",
           "sounds_like": f" (listed as sounding like {variant.heard!r})"}[variant.kind]
    reason = (
        f"sounds like {variant.text!r}{how}: phonetic {f.psim:.2f}, spelling {f.csim:.2f}, "
        f"margin {f.margin:.2f}, word frequency {f.span_zipf_max:.1f}"
    )
    return Change(start, end, original, replacement, ent.text, ent.label, round(float(score), 4),
                  reason=reason, sources=ent.sources)


def _select(proposed: list[tuple[Match, Change]], min_score: float) -> list[Change]:
    """Best non-overlapping set of changes: weighted interval scheduling on token spans."""

    def weight(s: float) -> float:
        s = min(max(s, 1e-6), 1 - 1e-6)
        t = min(max(min_score, 1e-6), 1 - 1e-6)
        return math.log(s / (1 - s)) - math.log(t / (1 - t))

    passing = [(m, p) for m, p in proposed if p.score >= min_score]
    # A case-only fix of part of a name ("sly" -> "Sly") gives way to the full name over
    # the same words ("loop sly" -> "Liz Sly"), as it would on a second pass.
    full = [(m.i, m.j, p.entity) for m, p in passing if not m.features.surname]
    passing = [
        (m, p) for m, p in passing
        if not (m.features.surname and m.features.same_letters) or not any(
            e == p.entity and i <= m.i and m.j <= j and (i, j) != (m.i, m.j) for i, j, e in full
        )
    ]
    # Of two passing spans for one entity, one inside the other, the one that sounds
    # clearly more like it wins ("Lee Katie Ferrante" over "Katie Ferrante").
    by_entity: dict[str, list] = {}
    for m, p in passing:
        by_entity.setdefault(p.entity, []).append(m)
    passing = [
        (m, p) for m, p in passing
        if not any(
            m2.i <= m.i and m.j <= m2.j and (m2.i, m2.j) != (m.i, m.j)
            and m2.features.psim > m.features.psim + 0.05
            for m2 in by_entity[p.entity]
        )
    ]
    items = sorted(((m.i, m.j, weight(p.score), p) for m, p in passing), key=lambda x: x[1])
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


def _with_runner_up(
    change: Change, proposed: list[tuple[Match, Change]], starts: list[int]
) -> Change:
    """The best proposal for another entity over the same words.

    ``proposed`` is sorted by start and ``starts`` holds those starts.
    """
    lo = bisect.bisect_left(starts, change.start - _MAX_SPAN_CHARS)
    hi = bisect.bisect_left(starts, change.end)
    rivals = [
        p for _, p in proposed[lo:hi]
        if p is not change and p.entity != change.entity and change.start < p.end
    ]
    if not rivals:
        return change
    best = max(rivals, key=lambda p: p.score)
    return replace(change, runner_up=best.replacement, runner_up_score=best.score)
