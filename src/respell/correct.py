"""Correcting a transcript: the steps from text to :class:`~respell.result.Result`, and
choosing the changes.

:func:`fix` runs the steps, each in its own module:

1. words (:mod:`respell.words`): the tokens;
2. matching (:mod:`respell.match`): spans, the transcript's facts
   (:mod:`respell.transcript`), shortlist, per-span checks, features;
3. judging (:mod:`respell.decide`): a calibrated score for each match;
4. choosing: each match as the change it would write (:mod:`respell.proposals`),
   then the best set of changes that do not overlap, each with its runner-up
   (:func:`~respell.choice.choose`).

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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from .choice import choose
from .errors import OptionError
from .lexicon import Entity, Lexicon
from .linebreaks import keep_all_line_breaks, keep_line_breaks, keeps_line_breaks
from .proposals import next_word, proposals
from .result import (
    DEFAULT_MIN_SCORE,
    Change,
    FixOptions,
    Result,
    apply_changes,
    compose,
    sha256_text,
)
from .state import collector_paused
from .words import Token, tokenize

if TYPE_CHECKING:
    from .index import LexiconIndex

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
        yield len(text), *_to_fixed_point(text, index, options, barriers)
        return
    parts = _windowed(text, index, options, barriers)
    # settled proposals come by their first token: choosing wants them by their start
    last = None  # the last change laid out, whose line the next may share
    held: list[Change] = []  # a part's last change waits for its neighbour, to be laid out
    for settled, proposed in parts:
        changes, others = choose(sorted(proposed, key=lambda mp: mp[1].start),
                                 options.min_score, widen=index.known)
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


def _chosen(text: str, proposed: list, min_score: float, *, widen: bool = False
            ) -> tuple[tuple, tuple]:
    """The changes chosen among ``proposed`` and laid out on ``text``'s lines (a name a
    line break cuts keeps the break, and a subtitle cue its part of the name; one that
    cannot is not made and stays a proposal), and the other proposals."""
    changes, others = choose(sorted(proposed, key=lambda mp: mp[1].start), min_score,
                             widen=widen)
    laid = keep_all_line_breaks(text, changes)
    kept = tuple(c for c in laid if keeps_line_breaks(c))
    if len(kept) < len(laid):
        ids = {id(c) for c in kept}
        others = tuple(sorted([*others, *(c for c in laid if id(c) not in ids)],
                              key=lambda c: (c.start, -c.score)))
    return kept, tuple(keep_line_breaks(text, c) for c in others)


def _to_fixed_point(
    text: str, index: LexiconIndex, options: FixOptions, barriers: Sequence[int]
) -> tuple[tuple[Change, ...], tuple[Change, ...]]:
    """The changes and other proposals of a transcript short enough to match whole.

    A change can make another: a given name repaired beside its surname makes the full
    name match ("Lee Kati Ferrante" -> "Leocadia Ferrante"). The corrected text is searched
    again, up to the fixed point, so that correcting the output changes nothing more; what
    is found is folded into the changes of the source. Only the words around each change
    need it, unless what holds for the whole transcript moved: whether it is cased (its
    only capitals were garbles), or, with a list of names known to be there, what the
    rest of it says about each name.
    """
    proposed, facts = _propose(text, tokenize(text), index, options, barriers)
    kept, others = _chosen(text, proposed, options.min_score, widen=index.known)
    result = Result(text, apply_changes(text, kept), kept, options, others)
    last = result.changes  # the words around these are new since the last search
    for _ in range(_MAX_PASSES - 1):
        if not last:
            break
        again_text = result.text
        tokens = tokenize(again_text)
        moved = _moved(barriers, result.changes)
        within = None if index.known else _token_windows(
            tokens, _around(last), options.max_span_words)
        proposed, now = _propose(again_text, tokens, index, options, moved, within=within)
        if within is not None and now.cased != facts.cased:
            proposed, now = _propose(again_text, tokens, index, options, moved)
        more, _ = _chosen(again_text, proposed, options.min_score, widen=index.known)
        if not more:
            break
        result = compose(result, Result(again_text, apply_changes(again_text, more), more,
                                        options))
        last = more
    return result.changes, result.candidates


_MAX_PASSES = 3


def _moved(barriers: Sequence[int], changes: Sequence[Change]) -> list[int]:
    """Offsets of the source where they are after ``changes`` (none crosses a barrier)."""
    return [b + sum(len(c.replacement) - (c.end - c.start) for c in changes if c.end <= b)
            for b in barriers]


def _around(changes: Sequence[Change]) -> list[tuple[int, int]]:
    """Where each change lies in the corrected text."""
    out, shift = [], 0
    for c in sorted(changes, key=lambda c: c.start):
        start = c.start + shift
        out.append((start, start + len(c.replacement)))
        shift += len(c.replacement) - (c.end - c.start)
    return out


def _token_windows(tokens: Sequence[Token], spans: Sequence[tuple[int, int]], words: int):
    """Token ranges [a, b) covering each character span and ``words`` tokens each side."""
    starts = [t.start for t in tokens]
    out = []
    for a, b in spans:
        first = max(0, bisect.bisect_right(starts, a) - 1 - words)
        last = min(len(tokens), bisect.bisect_left(starts, b) + words)
        out.append((first, last))
    return out




def _propose(text, tokens, index, options, barriers, cased=None, within=None):
    """The (match, change) proposals of ``text`` (only of spans inside the token ranges
    ``within``, when given), scored, in text order; and the transcript's facts."""
    from .decide import score_matches
    from .match import find_matches

    found = find_matches(text, tokens, index, max_span_words=options.max_span_words,
                         barriers=barriers, cased=cased, within=within)
    # judging: each match on its own evidence and the transcript's facts
    features = [m.features for m in found.matches]
    scores = score_matches(features, found.facts)
    evidence = None
    if found.facts.known and found.matches:
        # a list of names known to be here: what the rest of the transcript says about
        # each match's entity (one spelling per transcript), then a second judgement
        from .evidence import measure_evidence, one_spelling

        spans = [(m.i, m.j, index.entries[m.entry].variant.entity) for m in found.matches]
        ents = {e for _, _, e in spans}
        evidence = measure_evidence(
            spans, scores, found.spans.present, range(index.n_entities),  # the user's come first
            words=[t.text for t in tokens],
            lengths={e: len(index.entities[e].text.split()) for e in found.spans.present},
            known_context={e: index.entities[e].context for e in ents},
        )
        scores = score_matches(features, found.facts, evidence)
        # one spelling per transcript: "Chris" is Kris where Kris Douglas was repaired
        after = [next_word(text, tokens, m.j) for m in found.matches]
        scores = one_spelling(scores, features, found.facts.cased, evidence, after)
    return proposals(text, tokens, index, found.matches, scores, cased=found.facts.cased,
                     evidence=evidence), found.facts


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
        proposed, _ = _propose(part, tokens, index, options, local, cased=cased)
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
