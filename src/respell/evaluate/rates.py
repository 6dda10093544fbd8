"""Word error rates: WER, and the LibriSpeech biasing paper's U-WER and B-WER.

>>> wer("General Soleimani was killed.", "general sola money was killed").errors
2
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .alignment import DELETE, INSERT, PAPER_WEIGHTS, SUBSTITUTE, UNIT_WEIGHTS, AlignOp, align
from .text import normalize, words_of


@dataclass(frozen=True)
class WordErrors:
    """Counts of a word error rate; add them up over utterances with ``+``.

    >>> (WordErrors(10, 1, 0, 1) + WordErrors(10, 0, 1, 0)).wer
    0.15
    """

    ref_words: int = 0
    substitutions: int = 0
    insertions: int = 0
    deletions: int = 0

    @property
    def errors(self) -> int:
        return self.substitutions + self.insertions + self.deletions

    @property
    def wer(self) -> float:
        """Errors over reference words (a fraction; NaN when there is no reference word)."""
        if not self.ref_words:
            return 0.0 if not self.errors else math.nan
        return self.errors / self.ref_words

    @property
    def percent(self) -> float:
        """:attr:`wer` as a percentage rounded to two decimals, as benchmarks report it."""
        return round(100 * self.wer, 2)

    def __add__(self, other: WordErrors) -> WordErrors:
        return WordErrors(
            self.ref_words + other.ref_words,
            self.substitutions + other.substitutions,
            self.insertions + other.insertions,
            self.deletions + other.deletions,
        )

    def to_dict(self) -> dict:
        return {
            "wer": self.percent, "ref_words": self.ref_words, "substitutions": self.substitutions,
            "insertions": self.insertions, "deletions": self.deletions,
        }


def _count(ops: Iterable[AlignOp], n_ref: int) -> WordErrors:
    s = i = d = 0
    for o in ops:
        if o.op == SUBSTITUTE:
            s += 1
        elif o.op == INSERT:
            i += 1
        elif o.op == DELETE:
            d += 1
    return WordErrors(n_ref, s, i, d)


def wer(
    reference: str | Sequence[str],
    hypothesis: str | Sequence[str],
    *,
    normalized: bool = True,
    weights: tuple[float, float, float] = UNIT_WEIGHTS,
) -> WordErrors:
    """Word errors of ``hypothesis`` against ``reference`` (texts or word lists).

    With ``normalized=False`` words are compared exactly as split on whitespace.

    >>> wer("the cat sat", "the bat sat on").to_dict()["wer"]
    66.67
    """
    ref = words_of(reference, normalized)
    hyp = words_of(hypothesis, normalized)
    if tuple(weights) == UNIT_WEIGHTS:
        from rapidfuzz.distance import Levenshtein

        # the total does not depend on which optimal alignment is chosen
        counts = {"replace": 0, "insert": 0, "delete": 0}
        for op in Levenshtein.editops(ref, hyp):
            counts[op.tag] += 1
        return WordErrors(len(ref), counts["replace"], counts["insert"], counts["delete"])
    return _count(align(ref, hyp, weights=weights), len(ref))


@dataclass(frozen=True)
class BiasedErrors:
    """WER split as in the LibriSpeech biasing paper: ``biased`` counts the errors on
    reference words in the utterance's rare-word list plus insertions of such words,
    ``unbiased`` the same for all other words."""

    total: WordErrors = WordErrors()
    unbiased: WordErrors = WordErrors()
    biased: WordErrors = WordErrors()

    def __add__(self, other: BiasedErrors) -> BiasedErrors:
        return BiasedErrors(
            self.total + other.total, self.unbiased + other.unbiased, self.biased + other.biased
        )

    def to_dict(self) -> dict:
        return {
            "WER": self.total.percent, "U-WER": self.unbiased.percent,
            "B-WER": self.biased.percent, "ref_words": self.total.ref_words,
            "biased_ref_words": self.biased.ref_words,
        }

    def __str__(self) -> str:
        return f"{self.total.percent:.2f} ({self.unbiased.percent:.2f}/{self.biased.percent:.2f})"


def biased_wer(
    reference: str | Sequence[str],
    hypothesis: str | Sequence[str],
    rare_words: Iterable[str],
    *,
    normalized: bool = True,
    weights: tuple[float, float, float] = PAPER_WEIGHTS,
) -> BiasedErrors:
    """WER, U-WER and B-WER of one utterance; add the results up over a corpus.

    Defaults follow the paper: substitution 4, insertion 3, deletion 3.

    >>> str(biased_wer("the duke of wellington", "the duke of well in ton", ["wellington"]))
    '75.00 (66.67/100.00)'
    """
    ref = words_of(reference, normalized)
    hyp = words_of(hypothesis, normalized)
    rare = set(normalize(list(rare_words))) if normalized else set(rare_words)
    if not ref and not hyp:
        return BiasedErrors()
    counts = {True: [0, 0, 0, 0], False: [0, 0, 0, 0]}  # ref, sub, ins, del
    for o in align(ref, hyp, weights=weights):
        if o.op == INSERT:
            counts[hyp[o.hyp] in rare][2] += 1
            continue
        c = counts[ref[o.ref] in rare]
        c[0] += 1
        if o.op == SUBSTITUTE:
            c[1] += 1
        elif o.op == DELETE:
            c[3] += 1
    b, u = WordErrors(*counts[True]), WordErrors(*counts[False])
    return BiasedErrors(b + u, u, b)
