"""Entity mentions in a reference, and how many of them a hypothesis got right.

>>> scores = entity_scores("We met Liz Sly in Beirut.", "we met liz sly in bay loop",
...                        ["Liz Sly", "Beirut"])
>>> scores.mentions, scores.mentions_correct
(2, 1)
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .alignment import DELETE, INSERT, MATCH, SUBSTITUTE, align
from .edits import edit_labels, edits_between
from .rates import WordErrors
from .text import normalize


@dataclass(frozen=True)
class Mention:
    """Reference words ``[start, end)`` that name an entity of class ``label``.

    ``positions``, when given, lists the mention's word indices instead (annotations
    such as Earnings-21's may skip an untagged word inside a mention).
    """

    start: int
    end: int
    label: str | None = None
    positions: tuple[int, ...] = field(default=(), repr=False)

    @property
    def words(self) -> Sequence[int]:
        """Indices of the reference words of the mention."""
        return self.positions or range(self.start, self.end)


def find_mentions(
    ref_words: Sequence[str], entities: Iterable[object], *, variants: bool = True
) -> list[Mention]:
    """Mentions of the entities in normalized reference words, longest first, no overlaps.

    ``entities`` may be strings, :class:`~respell.lexicon.Entity` objects or a
    :class:`~respell.lexicon.Lexicon`; with ``variants`` a lexicon's aliases and
    derived surnames count as mentions too (never its ``sounds_like`` garbles).

    >>> [(m.start, m.end) for m in find_mentions("we met liz sly and sly".split(), ["Liz Sly"])]
    [(2, 4), (5, 6)]
    """
    from ..lexicon import Lexicon

    lexicon = entities if isinstance(entities, Lexicon) else Lexicon.from_entries(entities)
    forms: dict[tuple[str, ...], str | None] = {}
    if variants:
        for v in lexicon.variants:
            if v.kind != "sounds_like":
                key = tuple(normalize(v.heard))
                if key:
                    forms.setdefault(key, lexicon.entities[v.entity].label)
    else:
        for ent in lexicon:
            key = tuple(normalize(ent.text))
            if key:
                forms.setdefault(key, ent.label)
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for key in sorted(forms, key=len, reverse=True):
        by_first.setdefault(key[0], []).append(key)
    out, i = [], 0
    while i < len(ref_words):
        for key in by_first.get(ref_words[i], ()):
            if tuple(ref_words[i:i + len(key)]) == key:
                out.append(Mention(i, i + len(key), forms[key]))
                i += len(key)
                break
        else:
            i += 1
    return out


@dataclass(frozen=True)
class EntityScores:
    """Entity-level figures of a hypothesis against a reference with entity mentions.

    ``entity_words`` counts reference words inside mentions that the hypothesis got
    wrong (substituted or deleted; insertions belong to no reference word), so its
    ``percent`` is the entity-token WER ("NE-WER"); ``by_label`` splits it by class.
    A mention is recalled when all its words are right. ``edits_right`` and
    ``edits_wrong`` are set when the edits that produced the hypothesis are known.
    """

    words: WordErrors
    entity_words: WordErrors
    by_label: Mapping[str, WordErrors] = field(default_factory=dict)
    mentions: int = 0
    mentions_correct: int = 0
    edits_right: int | None = None
    edits_wrong: int | None = None

    @property
    def recall(self) -> float:
        """Share of mentions whose words are all right (NaN without mentions)."""
        return self.mentions_correct / self.mentions if self.mentions else math.nan

    def __add__(self, other: EntityScores) -> EntityScores:
        labels = dict(self.by_label)
        for k, v in other.by_label.items():
            labels[k] = labels.get(k, WordErrors()) + v

        def plus(a, b):
            return None if a is None and b is None else (a or 0) + (b or 0)

        return EntityScores(
            self.words + other.words, self.entity_words + other.entity_words, labels,
            self.mentions + other.mentions, self.mentions_correct + other.mentions_correct,
            plus(self.edits_right, other.edits_right), plus(self.edits_wrong, other.edits_wrong),
        )

    def to_dict(self) -> dict:
        out = {
            "WER": self.words.percent,
            "NE-WER": self.entity_words.percent,
            "mention_recall": round(100 * self.recall, 2) if self.mentions else None,
            "mentions": self.mentions,
            "mentions_correct": self.mentions_correct,
            "ne_tokens": self.entity_words.ref_words,
            "by_label": {k: v.percent for k, v in sorted(self.by_label.items())},
        }
        if self.edits_right is not None:
            out["edits_right"] = self.edits_right
            out["edits_wrong"] = self.edits_wrong
        return out


def score_mentions(
    ref_words: Sequence[str], hyp_words: Sequence[str], mentions: Iterable[Mention]
) -> EntityScores:
    """Entity figures for normalized word lists and known mention positions.

    Uses the unit-cost alignment of the Earnings-21 scorer, so per-class figures
    match ``e21.py score`` exactly.
    """
    wrong = [False] * len(ref_words)
    ins = subs = dels = 0
    for o in align(ref_words, hyp_words):
        if o.op == INSERT:
            ins += 1
        elif o.op != MATCH:
            wrong[o.ref] = True
            subs += o.op == SUBSTITUTE
            dels += o.op == DELETE
    by_label: dict[str, WordErrors] = {}
    ent = WordErrors()
    n = ok = 0
    for m in mentions:
        idx = m.words
        bad = sum(wrong[k] for k in idx)
        size = len(idx)
        counts = WordErrors(size, bad, 0, 0)
        ent += counts
        if m.label:
            by_label[m.label] = by_label.get(m.label, WordErrors()) + counts
        n += 1
        ok += bad == 0
    return EntityScores(WordErrors(len(ref_words), subs, ins, dels), ent, by_label, n, ok)


def written_mentions(reference: str, names: Iterable[str]) -> list[Mention]:
    """Mentions of ``names`` in a written ``reference``, found from its spelling and
    capitals alone, without respell's variants (so a change to them cannot move the
    figures): a run of the reference's words that is a contiguous part of a name,
    spelled as in the name (a possessive 's aside), each word capitalised or written in
    the name's own case, its last word not a lower-case particle the name writes so
    ("des Cars" is a mention of Laurence des Cars, "alla" alone none of Teatro alla
    Scala); longest first, no overlaps.

    >>> ref = "Head. It's always Head, the head of it. Bumrah's back, and Teatro alla Scala."
    >>> words = normalize(ref)
    >>> [" ".join(words[m.start:m.end]) for m in written_mentions(ref, ["Travis Head",
    ...  "Jasprit Bumrah", "Teatro alla Scala"])]
    ['head', 'head', "bumrah's", 'teatro alla scala']
    """
    cased = normalize(reference, keep_case=True)
    words = [w.lower() for w in cased]
    # a word's possessive taken off, but not a short word's ("he's" is no mention of He)
    bare = [_POSSESSIVE_END.sub("", w) if len(w) > 4 else w for w in words]
    forms = [normalize(name, keep_case=True) for name in names]
    forms = [(form, [w.lower() for w in form]) for form in forms if form]

    def written(k: int, as_in: str) -> bool:
        return any(c.isupper() or c.isdigit() for c in cased[k]) or (
            _POSSESSIVE_END.sub("", cased[k]) == as_in or cased[k] == as_in
        )

    def particle(word: str) -> bool:
        return not any(c.isupper() or c.isdigit() for c in word)

    out, i = [], 0
    while i < len(words):
        best = 0
        for form, lower in forms:
            for a in range(len(form)):
                n = 0
                while (a + n < len(form) and i + n < len(words)
                       and lower[a + n] in (words[i + n], bare[i + n])
                       and written(i + n, form[a + n])):
                    n += 1
                whole = n == len(form)  # a name the user typed in lower case is all particles
                while n and not whole and particle(form[a + n - 1]):
                    n -= 1
                best = max(best, n)
        if best:
            out.append(Mention(i, i + best))
            i += best
        else:
            i += 1
    return out


_POSSESSIVE_END = re.compile(r"'s?$")


def entity_scores(
    reference: str,
    hypothesis: str,
    entities: Iterable[object],
    *,
    original: str | None = None,
    case_sensitive: bool = False,
    mentions: Sequence[Mention] | None = None,
) -> EntityScores:
    """WER, entity-token WER, mention recall and, given the ``original`` (uncorrected)
    transcript, how many of the edits from ``original`` to ``hypothesis`` were right.

    An edit is right when the words it writes line up with the same reference
    words and it leaves fewer errors (see :func:`edit_labels`). With
    ``case_sensitive`` a word in the wrong case is an error, so a repair of case
    alone ("Liz sly" -> "Liz Sly") is an edit, judged like any other (mentions are
    still found whatever their case). ``mentions``, when given, are the reference's
    mentions, found beforehand (by :func:`written_mentions`, say); ``entities`` is then
    not read.

    >>> s = entity_scores("Liz Sly in Beirut", "Liz Sly on Beirut", ["Beirut"],
    ...                   original="Liz sly on the bay loop")
    >>> s.edits_right, s.edits_wrong
    (1, 0)
    >>> s = entity_scores("Liz Sly in Beirut", "Liz Sly on Beirut", ["Beirut"],
    ...                   original="Liz sly on the bay loop", case_sensitive=True)
    >>> s.edits_right, s.edits_wrong
    (2, 0)
    """
    ref = normalize(reference, keep_case=case_sensitive)
    hyp = normalize(hypothesis, keep_case=case_sensitive)
    found = mentions if mentions is not None else find_mentions(
        [w.lower() for w in ref] if case_sensitive else ref, entities
    )
    scores = score_mentions(ref, hyp, found)
    if original is None:
        return scores
    src = normalize(original, keep_case=case_sensitive)
    labels = edit_labels(src, ref, edits_between(src, hyp), keep_case=case_sensitive)
    right = sum(labels)
    return EntityScores(
        scores.words, scores.entity_words, scores.by_label, scores.mentions,
        scores.mentions_correct, right, len(labels) - right,
    )
