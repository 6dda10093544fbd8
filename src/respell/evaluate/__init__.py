"""Measuring a transcript against a reference: WER, B-WER/U-WER and entity-level figures.

Words are compared after :func:`normalize` (lowercase, hyphens to spaces, edge
punctuation stripped, as the Earnings-21 scorer in ``../shared/bench`` does).

>>> wer("General Soleimani was killed.", "general sola money was killed").errors
2
>>> round(wer("a b c d", "a x c d").wer, 2)
0.25
>>> scores = entity_scores("We met Liz Sly in Beirut.", "we met liz sly in bay loop",
...                        ["Liz Sly", "Beirut"])
>>> scores.mentions, scores.mentions_correct
(2, 1)

The package's modules follow the steps: :mod:`~respell.evaluate.text` (normalising),
:mod:`~respell.evaluate.alignment`, :mod:`~respell.evaluate.rates` (WER, B-WER),
:mod:`~respell.evaluate.mentions` (entity figures) and :mod:`~respell.evaluate.edits`
(judging edits); everything is importable from ``respell.evaluate``.

Everything here is pure Python plus rapidfuzz (unit-cost alignment) and numpy
(weighted alignment), both imported only when an alignment is computed.
"""

from __future__ import annotations

from .alignment import (
    DELETE,
    INSERT,
    MATCH,
    PAPER_WEIGHTS,
    SUBSTITUTE,
    UNIT_WEIGHTS,
    AlignOp,
    align,
)
from .edits import SpanAligner, edit_labels, edits_between, judge_changes
from .mentions import EntityScores, Mention, entity_scores, find_mentions, score_mentions
from .rates import BiasedErrors, WordErrors, biased_wer, wer
from .text import NormalizedToken, normalize, normalized_tokens

__all__ = [
    "DELETE",
    "INSERT",
    "MATCH",
    "PAPER_WEIGHTS",
    "SUBSTITUTE",
    "UNIT_WEIGHTS",
    "AlignOp",
    "BiasedErrors",
    "EntityScores",
    "Mention",
    "NormalizedToken",
    "SpanAligner",
    "WordErrors",
    "align",
    "biased_wer",
    "edit_labels",
    "edits_between",
    "entity_scores",
    "find_mentions",
    "judge_changes",
    "normalize",
    "normalized_tokens",
    "score_mentions",
    "wer",
]
