"""Correcting a transcript: the steps from text to :class:`~respell.result.Result`, and
choosing the changes.

:func:`fix` runs the steps, each in its own module:

1. words (:mod:`respell.words`): the tokens;
2. matching (:mod:`respell.match`): spans, the transcript's facts
   (:mod:`respell.transcript`), shortlist, per-span checks, features;
3. judging (:mod:`respell.decide`): a calibrated score for each match;
4. choosing (here): each match as the change it would write (:func:`proposals`),
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

from . import phonetics
from .choice import choose
from .errors import OptionError
from .lexicon import Entity, Lexicon
from .linebreaks import keep_all_line_breaks, keep_line_breaks, keeps_line_breaks
from .names import PLACES
from .people import other_person
from .result import (
    DEFAULT_MIN_SCORE,
    Change,
    FixOptions,
    Result,
    apply_changes,
    compose,
    sha256_text,
)
from .rules import (
    acronym_over_name,
    may_recase,
    number_only,
    other_form,
    out_of_place,
    unhyphenated,
    word_for_word,
    worth_respelling,
    written_as,
)
from .state import collector_paused
from .variants import ONE_PART_KINDS, looks_like_person
from .words import POSSESSIVE, Token, letters, tokenize

if TYPE_CHECKING:
    from .evidence import Evidence
    from .features import Features
    from .index import Entry, LexiconIndex
    from .lexicon import Variant
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
        after = [_next_word(text, tokens, m.j) for m in found.matches]
        scores = one_spelling(scores, features, found.facts.cased, evidence, after)
    return proposals(text, tokens, index, found.matches, scores, cased=found.facts.cased,
                     evidence=evidence), found.facts


def _reason(index: LexiconIndex, variant: Variant, f: Features, has_case: bool,
            evidence: Evidence | None, next_word: str) -> str:
    """Why a match (its ``variant`` written, its features ``f``) would be its change: what
    it sounds like, and what the whole transcript says of its name (a list of names known
    to be there)."""
    how = {"canonical": "", "alias": " (alias)", "surname": " (surname)", "given_name": " (given name)",
           "sounds_like": f" (listed as sounding like {variant.heard!r})",
           "part": f" (part of {index.entities[variant.entity].text!r})",
           "short": " (short given name)", "short_full": " (with a short given name)",
           "unmiddled": " (without the middle name)",
           "number": f" (plural or singular of {index.entities[variant.entity].text!r})"}[variant.kind]
    reason = (
        f"sounds like {variant.text!r}{how}: phonetic {f.psim:.2f}, spelling {f.csim:.2f}, "
        f"margin {f.margin:.2f}, word frequency {f.span_zipf_max:.1f}"
    )
    if evidence is not None:
        from .evidence import describe, same_sound

        said = describe(evidence)
        if said:
            reason += f"; in this transcript the name is {said}"
        if same_sound(f, has_case, evidence, next_word):
            reason += "; the same sound as those repairs, so the same spelling"
    return reason


def _with_possessive(replacement: str, name: str, last: str) -> str:
    """The name written with the possessive 's of the last word said, unless it has one, or
    holds that s already ("Albans"), or ends with an s sound of its own, which the
    recognizer wrote as a possessive ("Mayer's" is Meyers, "Corta's" Ocasio-Cortez)."""
    suffix = POSSESSIVE.search(last)
    if not suffix or POSSESSIVE.search(replacement) or letters(name).endswith(letters(last)) \
            or replacement[-1:] in ("s", "z", "x"):
        return replacement
    return replacement + suffix.group()


def _next_word(text: str, tokens: Sequence[Token], j: int) -> str:
    """The word right after token ``j - 1``, with nothing but a space between ("" if none)."""
    if j >= len(tokens) or text[tokens[j - 1].end:tokens[j].start] != " ":
        return ""
    return tokens[j].text


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


def proposals(
    text: str,
    tokens: Sequence[Token],
    index: LexiconIndex,
    matches: Sequence[Match],
    scores: Sequence[float],
    *,
    cased: bool,
    evidence: Sequence[Evidence] | None = None,
) -> list[tuple[Match, Change]]:
    """Each match scored high enough to matter, with the change it would write, in text
    order; matches that would change nothing worth changing are left out. The evidence
    from the whole transcript, when measured, is told in each change's reason."""
    proposed = []
    for k, (m, s) in enumerate(zip(matches, scores)):
        if s >= _RUNNER_UP_FLOOR:  # weaker ones can be neither changes nor runners-up
            p = _to_change(text, tokens, index, m, s, has_case=cased,
                           evidence=evidence[k] if evidence else None)
            if p is not None:
                proposed.append((m, p))
    proposed.sort(key=lambda mp: mp[1].start)
    return proposed


_RUNNER_UP_FLOOR = 0.01
# Kinds of variant that are a whole name; a part may sound this much less like one word
# said than the whole does, and still be what was said.
_WHOLE_KINDS = frozenset({"canonical", "alias", "unmiddled"})
_PART_SLACK = 0.15


def _part_said(index: LexiconIndex, entry: Entry, psim: float, said: str
               ) -> tuple[Entry, float] | None:
    """The part of a name of several words (its given name, surname, a part said alone)
    that one word said is, when the word sounds about as much like it as like the whole
    name and is nearer its length: "Anand always said" is Adnan (0.49), not "Adnan Syed
    always said" (0.59, the d of Syed standing in for Adnan's): the part and how much the
    word sounds like it; None when no part is."""
    codes = phonetics.phonemes(said)
    best, best_psim = None, psim - _PART_SLACK
    for k in index.parts_of(entry.variant.entity):
        part = index.entries[k]
        if abs(len(codes) - len(part.codes)) >= abs(len(codes) - len(entry.codes)):
            continue
        part_psim = phonetics.phoneme_similarity(codes, part.codes)
        if part_psim >= best_psim:
            best, best_psim = part, part_psim
    return None if best is None else (best, best_psim)


def _to_change(
    text: str, tokens: Sequence[Token], index: LexiconIndex, match: Match, score: float, *,
    has_case: bool, evidence: Evidence | None = None,
) -> Change | None:
    """The change a match proposes, as it would be written; None when it is no change."""
    entry = index.entries[match.entry]
    start, end = tokens[match.i].start, tokens[match.j - 1].end
    original = text[start:end]
    features = match.features
    if match.j - match.i == 1 and len(entry.words) >= 2 and entry.variant.kind in _WHOLE_KINDS:
        part = _part_said(index, entry, features.psim, original)
        if part is not None:
            entry, features = part[0], features._replace(psim=part[1])
    variant = entry.variant
    last = tokens[match.j - 1].text
    replacement = _with_possessive(written_as(variant.text, original, has_case), variant.text, last)
    if replacement == original:
        return None
    if POSSESSIVE.search(variant.text) and not last.lower().endswith("s"):
        # a listed possessive ("general's") is matched by its sound without the s, which
        # the words here lack: writing it would add an s nobody said ("the general" ->
        # "the general's"; on LibriSpeech such edits were wrong 12 times out of 17)
        return None
    ent = index.entities[variant.entity]
    if out_of_place(text, tokens, match.i, variant.kind, original, variant.text, has_case,
                    match.j):
        return None
    if evidence is not None and looks_like_person(ent) and other_person(
        text, tokens, match.i, match.j, variant.kind, ent.text, has_case
    ):
        # a name whose surname the recognizer wrote right elsewhere: a common given name
        # of its sound beside another surname it knows is another person ("Steven
        # Spielberg" is no Stephen Colbert, nor "John Oliver" Jon Oliver, where Colbert
        # and Stewart are written right; "Daniel Rush go" is still Daniel Roeska)
        return None
    origin = getattr(ent, "origin", "user")
    if number_only(original, replacement) and (
        variant.kind in ONE_PART_KINDS
        or (has_case and original[:1].islower() and replacement[:1].isupper())
        or origin != "user"
    ):
        # A name that differs from the words here only by a plural s is more likely the
        # ordinary word when it is one word of a longer name taken alone ("diagnostic" ->
        # "Diagnostics" of Beckman Diagnostics), when a cased transcript wrote the word
        # in lower case ("genomic" -> "Genomics", "radiometers" -> "Radiometer"), or when
        # a document wrote it in the other number, as slides name things ("grails" ->
        # "GRAIL", "NPLs" -> "NPL", "backlogs" -> "Backlog": leaving them out took 70 wrong
        # edits and 13 right ones away over ConEC's six recognizers with the calls' PDFs).
        return None
    if origin != "user" and (
        word_for_word(original, replacement) and ent.label not in PLACES
        or unhyphenated(original, replacement)
    ):
        # a document's name that is an ordinary word, for another ordinary word: slides
        # capitalise their words ("Tonnes", "Margins", "Cuts"), and a word the recognizer
        # knows was heard as said ("margin" is no Martin, "tons" no "tonnes"); a place is
        # spelled as the document has it ("Columbia" is Colombia in Bancolombia's call).
        # Nor is a common hyphenated word written as slides brand it ("e-commerce" ->
        # "eCommerce").
        return None
    if origin == "pattern" and has_case and acronym_over_name(
        original, replacement, bool(match.features.sentence_start)
    ):
        return None  # "Google" -> GOOGL: the ticker an article gave, not what was said
    if letters(replacement) == letters(original) and not worth_respelling(
        original, replacement, has_case
    ):
        return None
    if original.lower() == replacement.lower() and not may_recase(original, variant.kind, origin):
        return None
    if (index.known or replacement[:1].isupper() and (origin != "user" or ent.label == "NORP")) \
            and other_form(original, replacement):
        # a word the recognizer got right, in another number or form than the listed name
        # ("Israelis" -> "Israeli", "Kurds" -> "Kurd", "Israel's is" -> "Israelis"), with
        # a short list of names (in any case: a list of the words a chapter says has
        # "remembers", not every "remembered" of it), a document's name or a demonym; in a
        # long list of every name of a call such words are as often the name the recognizer
        # mangled ("Adams" for Adam), and in a biasing list of lower-case rare words
        # endings are what recognizers drop ("ravish" for "ravished"): the model judges those
        return None
    reason = _reason(index, variant, features, has_case, evidence,
                     _next_word(text, tokens, match.j))
    if origin != "user":
        reason += "; from a related document" if origin == "ner" else "; mined from a document"
    return Change(start, end, original, replacement, ent.text, ent.label, round(float(score), 4),
                  reason=reason, sources=ent.sources)
