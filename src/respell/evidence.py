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

And a name is said with the same words: the content words around a match ("the senator
from Arizona, cinema, voted") that also stand around the name where it is written right
in the transcript or in a related document ("Senator Kyrsten Sinema of Arizona voted")
make it more likely, and a name with such words known but none of them here ("we went
to the cinema") less (:func:`content_words`, :func:`name_context`).

>>> ev = measure_evidence([(0, 1, 7), (5, 6, 7), (9, 10, 3)], [0.95, 0.3, 0.2], {7: [20]})
>>> ev[1].present, ev[1].repaired, ev[1].near, ev[1].best
(1, 1, True, 0.95)
>>> ev[2].others
1
"""

from __future__ import annotations

import bisect
from collections.abc import Container, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import NamedTuple

from .features import Features
from .words import WORD, zipf

#: A first-pass score from which a match counts as a repair of its entity.
STRONG = 0.8
#: Tokens within which another mention counts as near (about a minute of speech).
NEAR_TOKENS = 150
#: Tokens on either side within which another listed name counts as beside (a sentence).
BESIDE_TOKENS = 12
#: Words on either side of a mention whose content words are what it is said with.
CONTEXT_WORDS = 8
#: A word this common (Zipf) is no content word ("the", "said", "think", "going").
CONTEXT_ZIPF = 5.0


class Evidence(NamedTuple):
    """What the rest of the transcript says about one match's entity."""

    present: int  # times the entity is already written right elsewhere in the transcript
    repaired: int  # other mentions of it scored at least STRONG in the first pass
    near: bool  # one of those is within NEAR_TOKENS tokens
    best: float  # the best first-pass score of another mention of it (0: none)
    others: int = 0  # other listed names written right or repaired within BESIDE_TOKENS
    said_with: int = 0  # content words around the match that are also around the name elsewhere
    context: bool = False  # whether any words around the name elsewhere are known
    words: tuple[str, ...] = ()  # those shared words, for the reason (not a model input)


#: The names of :class:`Evidence`'s measures, in order: the known-list model's inputs.
EVIDENCE = Evidence._fields[:-1]
NONE = Evidence(0, 0, False, 0.0)


def measure_evidence(
    spans: Sequence[tuple[int, int, int]],
    scores: Sequence[float],
    present: Mapping[int, Sequence[int]],
    typed: Container[int] | None = None,
    *,
    words: Sequence[str] | None = None,
    lengths: Mapping[int, int] | None = None,
    known_context: Mapping[int, Iterable[str]] | None = None,
) -> list[Evidence]:
    """The evidence of each match, given as (first token, end token, entity) with its
    first-pass score; ``present`` maps an entity to the first tokens of the places where
    it is already written right; ``typed`` holds the entities that count as other listed
    names beside a match (the user's; None: all).

    Another mention is a place or a match of the same entity that does not overlap the
    match (garbles of one mention compete; they are not evidence for each other).

    With the transcript's ``words``, what each match is said with is measured too: its
    content words that also stand around its entity's places written right (each
    ``lengths[entity]`` words long, by default one) farther than :data:`CONTEXT_WORDS`
    away, or in ``known_context[entity]`` (the words around it in related documents).
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
    if words is not None:
        out = [ev._replace(said_with=len(shared), context=known, words=shared)
               for ev, (shared, known) in zip(
                   out, _said_with(spans, places, words, lengths or {}, known_context or {},
                                   typed))]
    return out


def _said_with(spans, places, words, lengths, known_context, typed=None
               ) -> list[tuple[tuple[str, ...], bool]]:
    content = _contents(words)  # each word once
    around_places: dict[int, list[tuple[int, frozenset[str]]]] = {}
    for ent, at in places.items():
        n = lengths.get(ent, 1)
        around_places[ent] = [(k, _around(content, k, k + n)) for k in at]
    out = []
    for i, j, ent in spans:
        documents = set(known_context.get(ent, ()))
        known: set[str] = set()
        for k, near in around_places.get(ent, ()):
            if abs(k - i) > CONTEXT_WORDS:  # not the words around this match itself
                known |= near
        here = _around(content, i, j) if known or documents else frozenset()
        shared = here & (known | documents)
        if typed is not None and ent in typed:
            # the words a document says a typed name with speak for it where they are
            # said, but their absence says little: an article's words are rarely a
            # conversation's (it cost right repairs of typed names on both talk sets);
            # a document's own entry keeps that check (without it, ConEC's PDFs made 99
            # more wrong edits: "eleven" -> Elavon)
            out.append((tuple(sorted(shared)), bool(known or shared)))
        else:
            out.append((tuple(sorted(shared)), bool(known or documents)))
    return out


def content_words(words: Sequence[str], i: int, j: int) -> frozenset[str]:
    """The content words among the :data:`CONTEXT_WORDS` words on either side of
    ``words[i:j]``: in lower case, letters only, three or more, rarer than
    :data:`CONTEXT_ZIPF`.

    >>> sorted(content_words("the senator from Arizona , cinema , voted no".split(), 5, 6))
    ['arizona', 'senator', 'voted']
    """
    return _around(_contents(words), i, j)


def _contents(words: Sequence[str]) -> list[str]:
    """Each word in lower case if it is a content word, else ""."""
    lower = [w.lower() for w in words]
    return [w if _is_content(w) else "" for w in lower]


def _around(content: list[str], i: int, j: int) -> frozenset[str]:
    near = frozenset(content[max(0, i - CONTEXT_WORDS):i]) | frozenset(content[j:j + CONTEXT_WORDS])
    return near - {""}


@lru_cache(maxsize=65_536)
def _is_content(word: str) -> bool:
    return len(word) >= 3 and word.isalpha() and zipf(word) < CONTEXT_ZIPF


class Text(NamedTuple):
    """A text's words (:data:`~respell.words.WORD`'s matches) in lower case, each as a
    content word or "" (see :func:`content_words`), and where each word stands: for
    :func:`name_context`."""

    lower: list[str]
    content: list[str]
    at: dict[str, list[int]]

    @classmethod
    def of(cls, text: str) -> Text:
        lower = [w.lower() for w in WORD.findall(text)]
        at: dict[str, list[int]] = {}
        for k, w in enumerate(lower):
            at.setdefault(w, []).append(k)
        return cls(lower, _contents(lower), at)


def name_context(name: str, texts: Iterable[Text]) -> frozenset[str]:
    """The content words around each place where ``name`` is written (in any case) in
    ``texts``.

    >>> doc = Text.of("Senator Kyrsten Sinema of Arizona voted against it.")
    >>> sorted(name_context("Kyrsten Sinema", [doc]))
    ['arizona', 'senator', 'voted']
    """
    parts = [w.lower() for w in WORD.findall(name)]
    if not parts:
        return frozenset()
    out: set[str] = set()
    n = len(parts)
    for text in texts:
        for k in text.at.get(parts[0], ()):
            if text.lower[k:k + n] == parts:
                out |= _around(text.content, k, k + n)
    return frozenset(out)


def _near(sorted_at: list[int], i: int) -> bool:
    k = bisect.bisect_left(sorted_at, i - NEAR_TOKENS)
    return k < len(sorted_at) and sorted_at[k] <= i + NEAR_TOKENS


#: A phoneme similarity from which two spellings are one sound ("Chris", "Kris").
SAME_SOUND = 0.99


def same_sound(f: Features, cased: bool, ev: Evidence, next_word: str = "") -> bool:
    """Whether a match is one word of the user's list heard with exactly its sound and
    written another way, as a name (a capital, not at a sentence's start, in a cased
    transcript), where the name was repaired elsewhere with a high score; and no other
    capitalised word follows it (``next_word``, the word right after it: "Chris
    Wallace" is another Chris).

    One spelling per transcript: such a match is as sure as the best of those repairs
    ("Chris" is Kris where "Chris Douglas" was repaired to Kris Douglas; on ConEC's
    calls with the participants' names, 5 or 6 more right edits on Google, Amazon and
    Speechmatics, two more wrong). A transcript without capitals cannot tell the name from
    a word that sounds like it: on ConEC's lower-case recognizer "why" for Wai and "lee"
    for Lea came as often as the right ones.
    """
    return (cased and ev.repaired > 0 and f.psim >= SAME_SOUND and f.n_span == 1
            and f.n_ent == 1 and not f.same_letters and not f.from_document
            and not f.from_pattern and f.span_capital and not f.sentence_start
            and not next_word[:1].isupper())


def one_spelling(scores: Sequence[float], features: Sequence[Features], cased: bool,
                 evidence: Sequence[Evidence], next_words: Sequence[str]) -> list[float]:
    """The second pass's scores, each match heard with its name's very sound written
    another way (:func:`same_sound`) raised to the best repair of that name elsewhere."""
    return [max(s, ev.best) if same_sound(f, cased, ev, w) else s
            for s, f, ev, w in zip(scores, features, evidence, next_words)]


def describe(ev: Evidence) -> str:
    """The evidence in words, for a change's reason ("" when there is none).

    >>> describe(Evidence(2, 1, True, 0.93))
    'written right twice elsewhere, repaired once elsewhere (best 0.93), nearby'
    >>> describe(Evidence(0, 0, False, 0.0, said_with=2, context=True, words=("arizona", "voted")))
    "said with 'arizona', 'voted' as elsewhere"
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
    if ev.said_with:
        shown = ", ".join(repr(w) for w in ev.words[:_SHOWN])
        more = ev.said_with - min(len(ev.words), _SHOWN)
        shown += f" and {_count(more, 'other')}" if more > 0 else ""
        parts.append(f"said with {shown} as elsewhere")
    return ", ".join(parts)


_SHOWN = 3  # shared words a reason names


def _count(n: int, what: str) -> str:
    return f"{n} {what}" + ("s" if n > 1 else "")


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"
