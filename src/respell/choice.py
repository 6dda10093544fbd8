"""Choosing the changes: the best set of proposals that do not overlap, with runners-up.

The proposals (:func:`respell.correct.proposals`) are scored on their own; here they
meet: a part of a name gives way to the full name over the same words, the better of two
nested spans of one name wins, and weighted interval scheduling keeps the set whose
log-odds above the threshold add up to most.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import replace
from typing import TYPE_CHECKING

from . import phonetics
from .entity import origin_of
from .wordforms import ORDINARY_ZIPF
from .words import rarest_zipf

if TYPE_CHECKING:
    from .match import Match
    from .result import Change

_FULL_NAME_SLACK = 0.1  # a full name may sound this much less alike than its part alone
_SURER_PART = 0.5  # ... unless the part alone scores this much higher
_PART_CLEARER = 0.2  # ... and gives way to it over a function word when this much less alike
_MAX_SPAN_CHARS = 400  # no span of a match is longer: bounds the runner-up search


def choose(
    proposed: list[tuple[Match, Change]], min_score: float, *, widen: bool = False
) -> tuple[tuple[Change, ...], tuple[Change, ...]]:
    """The changes to make: the best set of non-overlapping proposals scoring ``min_score``
    or more, each with its runner-up; and the other proposals worth showing (down to
    ``min(min_score, 0.1)``), which become :attr:`Result.candidates`. A change takes in
    the neighbouring word that the name is written with, and with ``widen`` (a list of
    names known to be there) the function word before it that the name begins with (see
    :func:`_widened`)."""
    floor = min(min_score, 0.1)
    chosen = _select(proposed, min_score, widen)
    if widen:
        raised = as_sure_as_its_repairs(proposed, chosen, min_score)
        if raised is not proposed:
            proposed, chosen = raised, _select(raised, min_score, widen)
    starts = [p.start for _, p in proposed]
    changes = tuple(
        sorted((_with_runner_up(p, proposed, starts) for p in chosen), key=lambda c: c.start)
    )
    chosen_ids = {id(p) for p in chosen}
    made = {(p.start, p.end, p.replacement) for p in chosen}  # a widened change's own span
    others = tuple(
        sorted(
            (p for _, p in proposed if id(p) not in chosen_ids and p.score >= floor
             and (p.start, p.end, p.replacement) not in made),
            key=lambda c: (c.start, -c.score),
        )
    )
    return changes, others


def as_sure_as_its_repairs(
    proposed: list[tuple[Match, Change]], changes: list[Change], min_score: float
) -> list[tuple[Match, Change]]:
    """``proposed``, each proposal under the threshold over the very words (as written)
    that a change to the same name was made from nearby raised to that change's score;
    ``proposed`` itself when none is. For a list of names known to be there: one
    spelling per transcript, as the recognizer heard it ("Tariach" is Țiriac three times
    over where it was once, however the words around each differ).

    Only for words said that hold one rarer than an ordinary word: a common word is
    the name in one place and itself in another ("said" is Syed beside Adnan and a verb
    elsewhere). Only nearby (:data:`_NEAR_CHARS`): in an hour's call
    the same word may be another person.

    >>> from respell.result import Change
    >>> made = Change(0, 7, "Tariach", "Țiriac", "Ion Țiriac", "PERSON", 0.66)
    >>> weak = Change(40, 47, "Tariach", "Țiriac", "Ion Țiriac", "PERSON", 0.15)
    >>> [p.score for _, p in as_sure_as_its_repairs([(None, made), (None, weak)], [made], 0.35)]
    [0.66, 0.66]
    """
    made: dict[tuple[str, str, str], list[Change]] = {}
    for c in changes:
        if c.score >= _SURE_REPAIR:
            for said, name in _word_runs(c.original, c.replacement):
                made.setdefault((said, c.entity, name.lower()), []).append(c)
    out, raised = [], False
    for m, p in proposed:
        best = max((c.score for c in made.get((p.original, p.entity, p.replacement.lower()), ())
                    if abs(c.start - p.start) <= _NEAR_CHARS), default=0.0)
        if p.score < min_score and best > p.score and _holds_rare_word(p.original):
            p = replace(p, score=best, reason=f"{p.reason}; the same words repaired nearby "
                                              f"({best:.2f})")
            raised = True
        out.append((m, p))
    return out if raised else proposed


# A proposal is as sure as a change of the same words this near (about 150 words), one
# that is surer than not.
_NEAR_CHARS = 900
_SURE_REPAIR = 0.5


def _word_runs(said: str, name: str) -> list[tuple[str, str]]:
    """The words said and the name they were written as, and where both have as many
    words, each run of them that changed ("Ion Tariach" -> "Ion Țiriac": "Tariach" ->
    "Țiriac" too)."""
    out = [(said, name)]
    a, b = said.split(), name.split()
    if len(a) == len(b) > 1:
        out += [(" ".join(a[k:l]), " ".join(b[k:l])) for k in range(len(a))
                for l in range(k + 1, len(a) + 1) if l - k < len(a) and a[k:l] != b[k:l]]
    return out


def _holds_rare_word(said: str) -> bool:
    return rarest_zipf(said, default=ORDINARY_ZIPF) < ORDINARY_ZIPF


def _select(proposed: list[tuple[Match, Change]], min_score: float, widen: bool = False
            ) -> list[Change]:
    """Best non-overlapping set of changes: weighted interval scheduling on token spans."""

    def weight(s: float) -> float:
        s = min(max(s, 1e-6), 1 - 1e-6)
        t = min(max(min_score, 1e-6), 1 - 1e-6)
        return math.log(s / (1 - s)) - math.log(t / (1 - t))

    passing = [(m, p) for m, p in proposed if p.score >= min_score]
    passing = _widened(passing, proposed, widen)
    passing = _closer_sound(passing)
    passing = _parts_give_way(passing)
    passing = _typed_names_first(passing)
    # ... but a full name over a function word beside its part, which sounds clearly more
    # like the part alone, gives way to it: "Then mack ron" is "Then Macron", not
    # "Emmanuel Macron".
    parts = [(m.i, m.j, p.entity, m.features.psim) for m, p in passing if m.features.surname]
    passing = [
        (m, p) for m, p in passing
        if m.features.surname or not m.features.edge_function or not any(
            e == p.entity and j - i == m.j - m.i - 1 and m.i <= i and j <= m.j
            and psim >= m.features.psim + _PART_CLEARER
            for i, j, e, psim in parts
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


def _parts_give_way(passing: list[tuple[Match, Change]]) -> list[tuple[Match, Change]]:
    """The passing proposals without the parts of a name that give way to the whole name
    (or a longer part) passing over their words."""
    # A case-only fix of part of a name ("sly" -> "Sly") gives way to the full name over
    # the same words ("loop sly" -> "Liz Sly"), as it would on a second pass.
    # So does any other part taken alone (a surname, a given name) inside a passing full
    # name that sounds about as much like it: "Lee Kati Affairante" is Leocadia Ferrante,
    # not "Lee Kati" and the surname "Ferrante".
    # And so does a shorter part inside a longer one: "Artie" -> "Arti" inside "Artie del de
    # Segno" -> "Arti del Disegno" (of Accademia delle Arti del Disegno), which the
    # schedule would otherwise split into two changes with the words between left as said.
    # (Not where the part is far surer: "poll had Zaskowski" -> Rafał Trzaskowski, 0.39,
    # does not take "Zaskowski" -> Trzaskowski, 0.96.)
    full = [(m.i, m.j, p.entity, m.features.psim, m.features.surname, p.score)
            for m, p in passing]
    passing = [
        (m, p) for m, p in passing
        if not m.features.surname or not any(
            e == p.entity and i <= m.i and m.j <= j and (i, j) != (m.i, m.j)
            and (not part or j - i > m.j - m.i and m.features.part  # a longer part of it
                 and psim >= m.features.psim - _FULL_NAME_SLACK)
            and (m.features.same_letters or psim >= m.features.psim - _FULL_NAME_SLACK)
            and score >= p.score - _SURER_PART
            for i, j, e, psim, part, score in full
        )
    ]
    return passing


def _typed_names_first(passing: list[tuple[Match, Change]]) -> list[tuple[Match, Change]]:
    """The passing proposals without a document's name over words that a surer passing
    name the user gave covers with more: "Abdel Fadda Al-Bahin" is Abdel Fattah al-Burhan
    (typed, 0.96), not "Abdel Fattah" and the article's al-Bashir (0.56) beside it, which
    the schedule would prefer as two changes."""
    typed = [(m.i, m.j, p.score) for m, p in passing if origin_of(p.sources) == "user"]
    return [
        (m, p) for m, p in passing
        if origin_of(p.sources) == "user" or not any(
            i <= m.i and m.j <= j and (i, j) != (m.i, m.j) and score > p.score
            for i, j, score in typed
        )
    ]


_TIED_SCORE = 0.02  # two scores this close over the same words say nothing between them
_CLOSER_PSIM = 0.02  # ... and then a name that sounds this much more alike wins


def _closer_sound(passing: list[tuple[Match, Change]]) -> list[tuple[Match, Change]]:
    """Of two names passing over the same words with scores as good as tied, the one that
    sounds clearly more like them: "Navalnya said" is Navalnaya (0.82) rather than Navalny
    (0.79) where both score 0.99, the model's scores being flat so near certainty."""
    by_span: dict[tuple[int, int], list[tuple[Match, Change]]] = {}
    for m, p in passing:
        by_span.setdefault((m.i, m.j), []).append((m, p))
    if all(len(group) == 1 for group in by_span.values()):
        return passing
    beaten = set()
    for group in by_span.values():
        for m, p in group:
            if any(p2.entity != p.entity and p2.score >= p.score - _TIED_SCORE
                   and m2.features.psim >= m.features.psim + _CLOSER_PSIM for m2, p2 in group):
                beaten.add(id(p))
    return [(m, p) for m, p in passing if id(p) not in beaten]


_WIDER_PSIM = 0.05  # how much more a span with the neighbour's function word must sound like it
_WIDER_FLOOR = 0.1  # ... and the least that span must score on its own
_BEGINS_LIKE = 0.5  # ... and how alike that word must sound to the name's first sounds
_VOWELS = frozenset("aeiou")


def _widened(
    passing: list[tuple[Match, Change]], proposed: list[tuple[Match, Change]], known: bool
) -> list[tuple[Match, Change]]:
    """Each passing change written over the neighbouring word too where the name took it
    in: a word boundary the recognizer moved.

    * The name is written with that word's letters ("mc carthy" -> McCarthy, not "mc
      McCarthy"): always.
    * With a list of names known to be there, a name beginning with a vowel clearly
      sounds more like it with the function word before it, and begins with that word's
      sounds ("because of and tropic" -> "because of Anthropic", not "and Anthropic";
      "you crane" -> Ukraine; but "And Erdeen's" is "And" and Erdene: a longer name
      sounds more like any span with one more syllable), or about as much with "a"
      before it, which before a vowel is no article. (In a long
      list of rare words the same rule took "to" and "a" away from words they stood
      before: LibriSpeech's 100-word lists lost two right edits.)

    The wider span need not pass on its own: that the name is there is the passing
    change's evidence (its score is kept); where it begins is the letters' or the sound's.
    """
    by_entity: dict[str, list[tuple[Match, Change]]] = {}
    for m, p in proposed:
        if (p.score >= _WIDER_FLOOR or _article(p)) and (
            m.features.same_letters or known and m.features.edge_function
        ):
            by_entity.setdefault(p.entity, []).append((m, p))
    if not by_entity:
        return passing
    out = []
    for m, p in passing:
        if not (m.features.same_letters or m.features.edge_function):
            wider = [(m2, p2) for m2, p2 in by_entity.get(p.entity, ()) if _wider(m, m2, p2, known)]
            if wider:
                m2, p2 = max(wider, key=lambda mp: mp[0].features.psim)
                said = (p2.original[:p.start - p2.start] or p2.original[p.end - p2.start:]).strip()
                why = "is written with" if m2.features.same_letters else "begins with"
                p = replace(p2, score=p.score,
                            reason=f"{p2.reason}; takes in {said!r}, which the name {why}")
                m = m2
        out.append((m, p))
    return out


def _wider(m: Match, m2: Match, p2: Change, known: bool) -> bool:
    """Whether ``m2`` is ``m`` and the word before or after it, written as the name's letters,
    or (``known``) the function word before a name that begins with a vowel and sounds
    clearly more like it."""
    if m2.features.same_letters:
        return (m2.i, m2.j) in ((m.i - 1, m.j), (m.i, m.j + 1))
    if not (known and (m2.i, m2.j) == (m.i - 1, m.j) and p2.replacement[:1].lower() in _VOWELS):
        return False
    # "a" before a vowel is no article ("an" would be): the name's first sound, unless the
    # name clearly sounds more like the words without it ("and a manual carpenter" is
    # "and Emmanuelle Charpentier", not "and a Emmanuelle Charpentier")
    article = _article(p2)
    least = m.features.psim - _WIDER_PSIM if article else m.features.psim + _WIDER_PSIM
    return m2.features.psim >= least and (
        article or _begins_like(p2.original.split(maxsplit=1)[0], p2.replacement)
    )


def _begins_like(word: str, name: str) -> bool:
    """Whether ``word`` sounds like the first sounds of ``name`` (as many phonemes, or one
    fewer or more).

    >>> _begins_like("and", "Angola"), _begins_like("you", "Ukraine")
    (True, True)
    >>> _begins_like("and", "Oyun-Erdene")
    False
    """
    said, whole = phonetics.phonemes(word), phonetics.phonemes(name)
    return bool(said) and max(
        phonetics.phoneme_similarity(said, whole[:n]) for n in range(max(1, len(said) - 1), len(said) + 2)
    ) >= _BEGINS_LIKE


def _article(p: Change) -> bool:
    """Whether the words said open with "a" (which needs no floor of its own: before a
    vowel it is no article, see :func:`_wider`)."""
    return p.original.split(maxsplit=1)[:1] in (["a"], ["A"])


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
