"""Evidence from the whole transcript: one spelling per transcript.

A name said ten times in an hour is garbled in ten different ways, and some of its
mentions come out right or nearly right. When the name is already written right
somewhere in the transcript, or one of its mentions was repaired with a high score,
the weaker garbles of the same name nearby are much more likely to be it. This step
runs between judging each match on its own (:mod:`respell.decide`, first pass) and
choosing the changes: it measures, for each match, what the rest of the transcript
says about its entity, and the known-list model reads it in a second pass.

Names also come together: a listed name written right (or repaired) a few words away
makes another listed name there more likely ("Liz Sly on the bay loop" for Beirut).

>>> ev = measure_evidence([(0, 1, 7), (5, 6, 7), (9, 10, 3)], [0.95, 0.3, 0.2], {7: [20]})
>>> ev[1].present, ev[1].repaired, ev[1].near, ev[1].best
(1, 1, True, 0.95)
>>> ev[2]
Evidence(present=0, repaired=0, near=False, best=0.0, others=1)
"""

from __future__ import annotations

import bisect
from collections.abc import Container, Mapping, Sequence
from typing import NamedTuple

#: A first-pass score from which a match counts as a repair of its entity.
STRONG = 0.8
#: Tokens within which another mention counts as near (about a minute of speech).
NEAR_TOKENS = 150
#: Tokens on either side within which another listed name counts as beside (a sentence).
BESIDE_TOKENS = 12


class Evidence(NamedTuple):
    """What the rest of the transcript says about one match's entity."""

    present: int  # times the entity is already written right elsewhere in the transcript
    repaired: int  # other mentions of it scored at least STRONG in the first pass
    near: bool  # one of those is within NEAR_TOKENS tokens
    best: float  # the best first-pass score of another mention of it (0: none)
    others: int = 0  # other listed names written right or repaired within BESIDE_TOKENS


#: The names of :class:`Evidence`, in order.
EVIDENCE = Evidence._fields
NONE = Evidence(0, 0, False, 0.0)


def measure_evidence(
    spans: Sequence[tuple[int, int, int]],
    scores: Sequence[float],
    present: Mapping[int, Sequence[int]],
    typed: Container[int] | None = None,
) -> list[Evidence]:
    """The evidence of each match, given as (first token, end token, entity) with its
    first-pass score; ``present`` maps an entity to the first tokens of the places where
    it is already written right; ``typed`` holds the entities that count as other listed
    names beside a match (the user's; None: all).

    Another mention is a place or a match of the same entity that does not overlap the
    match (garbles of one mention compete; they are not evidence for each other).
    """
    strong: dict[int, list[tuple[int, int]]] = {}
    best_of: dict[int, list[tuple[int, int, float]]] = {}
    for (i, j, ent), s in zip(spans, scores):
        best_of.setdefault(ent, []).append((i, j, s))
        if s >= STRONG:
            strong.setdefault(ent, []).append((i, j))
    places = {ent: sorted(at) for ent, at in present.items()}
    # every listed name written right or repaired, by where it starts and ends
    anchors = sorted([(k, k + 1, ent) for ent, at in places.items() for k in at]
                     + [(a, b, ent) for ent, found in strong.items() for a, b in found])
    if typed is not None:
        anchors = [a for a in anchors if a[2] in typed]
    starts = [a for a, _, _ in anchors]
    out = []
    for i, j, ent in spans:
        here = [k for k in places.get(ent, ()) if not i <= k < j]
        repairs = [a for a, b in strong.get(ent, ()) if b <= i or a >= j]
        others = [s for a, b, s in best_of.get(ent, ()) if b <= i or a >= j]
        near = _near(here, i) or any(abs(a - i) <= NEAR_TOKENS for a in repairs)
        lo = bisect.bisect_left(starts, i - BESIDE_TOKENS - 4)  # no name is longer than 4
        hi = bisect.bisect_right(starts, j + BESIDE_TOKENS)
        beside = {e for a, b, e in anchors[lo:hi]
                  if e != ent and (b <= i or a >= j) and b >= i - BESIDE_TOKENS}
        out.append(Evidence(len(here), len(repairs), near, max(others, default=0.0), len(beside)))
    return out


def _near(sorted_at: list[int], i: int) -> bool:
    k = bisect.bisect_left(sorted_at, i - NEAR_TOKENS)
    return k < len(sorted_at) and sorted_at[k] <= i + NEAR_TOKENS


def describe(ev: Evidence) -> str:
    """The evidence in words, for a change's reason ("" when there is none).

    >>> describe(Evidence(2, 1, True, 0.93))
    'written right twice elsewhere, repaired once elsewhere (best 0.93), nearby'
    """
    parts = []
    if ev.present:
        parts.append(f"written right {_times(ev.present)} elsewhere")
    if ev.repaired:
        parts.append(f"repaired {_times(ev.repaired)} elsewhere (best {ev.best:.2f})")
    if parts and ev.near:
        parts.append("nearby")
    if ev.others:
        parts.append(f"beside {_count(ev.others, 'other listed name')}")
    return ", ".join(parts)


def _count(n: int, what: str) -> str:
    return f"{n} {what}" + ("s" if n > 1 else "")


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"
