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

Everything here is pure Python plus rapidfuzz (unit-cost alignment) and numpy
(weighted alignment), both imported only when an alignment is computed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .errors import OptionError

__all__ = [
    "PAPER_WEIGHTS",
    "UNIT_WEIGHTS",
    "AlignOp",
    "BiasedErrors",
    "EntityScores",
    "Mention",
    "SpanAligner",
    "Token",
    "WordErrors",
    "align",
    "biased_wer",
    "edit_labels",
    "edits_between",
    "entity_scores",
    "find_mentions",
    "judge_changes",
    "normalize",
    "score_mentions",
    "tokenize",
    "wer",
]

#: Alignment costs (substitution, insertion, deletion) of the LibriSpeech biasing paper
#: (Le et al., Interspeech 2021, ``is21_deep_bias/score.py``).
PAPER_WEIGHTS = (4, 3, 3)
#: Plain Levenshtein costs (substitution, insertion, deletion).
UNIT_WEIGHTS = (1, 1, 1)

# A weighted alignment keeps one int8 back-pointer per cell; refuse what will not fit.
_MAX_WEIGHTED_CELLS = 400_000_000
_SMALL_CELLS = 40_000

_EDGE = re.compile(r"^[^\w']+|[^\w']+$")
_WORD = re.compile(r"[^\s-]+")

MATCH, SUBSTITUTE, INSERT, DELETE = "match", "substitute", "insert", "delete"


# -- words ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    """A normalized word and the character offsets ``[start, end)`` it came from."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Normalized words of ``text`` with their character offsets in ``text``.

    >>> [(t.text, t.start, t.end) for t in tokenize("Well, Jean-Luc's here.")]
    [('well', 0, 5), ('jean', 6, 10), ("luc's", 11, 16), ('here', 17, 22)]
    """
    out = []
    for m in _WORD.finditer(text):
        word = _EDGE.sub("", m.group().lower())
        if word:
            out.append(Token(word, m.start(), m.end()))
    return out


def normalize(text: str | Sequence[str]) -> list[str]:
    """Lowercase words of ``text``, hyphens split, edge punctuation stripped.

    A sequence of words is normalized word by word (and may split further).

    >>> normalize("Good day, Mr. O'Neil-Smith!")
    ['good', 'day', 'mr', "o'neil", 'smith']
    """
    if not isinstance(text, str):
        text = " ".join(text)
    return [t.text for t in tokenize(text)]


def _words(value: str | Sequence[str], normalized: bool) -> list[str]:
    if isinstance(value, str):
        return normalize(value) if normalized else value.split()
    return normalize(value) if normalized else list(value)


# -- alignment --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlignOp:
    """One step of an alignment: ``ref``/``hyp`` are word indices, ``None`` where absent."""

    op: str
    ref: int | None
    hyp: int | None


def align(
    ref: Sequence[str],
    hyp: Sequence[str],
    *,
    weights: tuple[float, float, float] = UNIT_WEIGHTS,
    by_spelling: bool = False,
) -> list[AlignOp]:
    """Word alignment of ``hyp`` against ``ref`` as a list of :class:`AlignOp`.

    ``weights`` are the (substitution, insertion, deletion) costs. Unit costs use
    rapidfuzz's Levenshtein (the alignment the Earnings-21 scorer uses); other costs
    a dynamic program with the tie-breaking of the LibriSpeech biasing paper's scorer
    (diagonal first, then insertion, then deletion, each only when strictly cheaper).

    With ``by_spelling`` each run of errors between matched words is aligned again
    so that words of similar spelling pair up ("on the bay loop" / "in beirut":
    on-in, bay-beirut); used to decide which reference words an edit replaced.

    >>> [(o.op, o.ref, o.hyp) for o in align(["a", "b"], ["a", "x", "b"])]
    [('match', 0, 0), ('insert', None, 1), ('match', 1, 2)]
    >>> [(o.op, o.ref, o.hyp) for o in align(["in", "beirut"], ["on", "the", "bay"],
    ...                                      by_spelling=True)]
    [('substitute', 0, 0), ('insert', None, 1), ('substitute', 1, 2)]
    """
    if len(weights) != 3 or any(w <= 0 for w in weights):
        raise OptionError(f"weights must be three positive costs (sub, ins, del), got {weights}")
    if by_spelling:
        return _by_spelling(ref, hyp, _align_unit(ref, hyp))
    if tuple(weights) == UNIT_WEIGHTS:
        return _align_unit(ref, hyp)
    return _align_weighted(ref, hyp, *weights)


# A run of errors larger than this (words x words) keeps its plain alignment.
_MAX_RUN_CELLS = 40_000
# Words of context either side of an edit when judging it.
_CONTEXT = 10


def _by_spelling(ref: Sequence[str], hyp: Sequence[str], ops: list[AlignOp]) -> list[AlignOp]:
    from rapidfuzz.fuzz import ratio

    def sub_cost(r: str, h: str) -> float:
        # in [1, 2]: never dearer than a deletion plus an insertion
        return 2.0 - ratio(r, h) / 100.0

    out: list[AlignOp] = []
    k = 0
    while k < len(ops):
        if ops[k].op == MATCH:
            out.append(ops[k])
            k += 1
            continue
        end = k
        while end < len(ops) and ops[end].op != MATCH:
            end += 1
        run = ops[k:end]
        r0 = next((o.ref for o in run if o.ref is not None), None)
        h0 = next((o.hyp for o in run if o.hyp is not None), None)
        rs = [o.ref for o in run if o.ref is not None]
        hs = [o.hyp for o in run if o.hyp is not None]
        if rs and hs and len(rs) * len(hs) <= _MAX_RUN_CELLS and (len(rs) > 1 or len(hs) > 1):
            sub_ref = [ref[i] for i in rs]
            sub_hyp = [hyp[j] for j in hs]
            for o in _align_weighted_py(sub_ref, sub_hyp, sub_cost, 1.0, 1.0):
                out.append(AlignOp(
                    o.op, None if o.ref is None else r0 + o.ref, None if o.hyp is None else h0 + o.hyp
                ))
        else:
            out.extend(run)
        k = end
    return out


def _align_unit(ref: Sequence[str], hyp: Sequence[str]) -> list[AlignOp]:
    from rapidfuzz.distance import Levenshtein

    ops: list[AlignOp] = []
    i = j = 0
    for edit in Levenshtein.editops(ref, hyp):
        while i < edit.src_pos:  # words between edits are matches
            ops.append(AlignOp(MATCH, i, j))
            i += 1
            j += 1
        if edit.tag == "replace":
            ops.append(AlignOp(SUBSTITUTE, i, j))
            i += 1
            j += 1
        elif edit.tag == "delete":
            ops.append(AlignOp(DELETE, i, None))
            i += 1
        else:
            ops.append(AlignOp(INSERT, None, j))
            j += 1
    while i < len(ref):
        ops.append(AlignOp(MATCH, i, j))
        i += 1
        j += 1
    return ops


def _align_weighted(ref: Sequence[str], hyp: Sequence[str], sub, ins, dele) -> list[AlignOp]:
    if len(ref) * len(hyp) <= _SMALL_CELLS:  # numpy's per-row overhead loses on short texts
        return _align_weighted_py(ref, hyp, sub, ins, dele)
    return _align_weighted_numpy(ref, hyp, sub, ins, dele)


def _align_weighted_numpy(ref: Sequence[str], hyp: Sequence[str], sub, ins, dele) -> list[AlignOp]:
    """The paper's dynamic program, one numpy vector operation per reference word."""
    import numpy as np

    n, m = len(ref), len(hyp)
    if (n + 1) * (m + 1) > _MAX_WEIGHTED_CELLS:
        raise OptionError(
            f"texts too long for a weighted alignment ({n} x {m} words): "
            "use unit weights or score shorter segments"
        )
    ids: dict[str, int] = {}
    r = np.array([ids.setdefault(w, len(ids)) for w in ref], dtype=np.int64)
    h = np.array([ids.setdefault(w, len(ids)) for w in hyp], dtype=np.int64)
    dtype = np.int64 if all(float(w).is_integer() for w in (sub, ins, dele)) else np.float64
    # back-pointers: 0 diagonal, 1 insertion (from the left), 2 deletion (from above)
    back = np.zeros((n + 1, m + 1), dtype=np.int8)
    back[0, 1:] = 1
    back[1:, 0] = 2
    ramp = np.arange(m + 1, dtype=dtype) * ins
    prev = ramp.copy()
    for i in range(1, n + 1):
        diag = prev[:-1] + np.where(h == r[i - 1], 0, sub).astype(dtype)
        up = prev[1:] + dele
        # row[j] = min(diag[j], up[j], row[j-1] + ins): the insertion chain is a running
        # minimum of (best without insertion - ramp), so each row is vectorised.
        base = np.empty(m + 1, dtype=dtype)
        base[0] = i * dele
        base[1:] = np.minimum(diag, up)
        row = np.minimum.accumulate(base - ramp) + ramp
        left = row[:-1] + ins
        take_left = left < diag
        best = np.where(take_left, left, diag)
        back[i, 1:] = np.where(up < best, 2, np.where(take_left, 1, 0))
        prev = row
    return _backtrace(ref, hyp, back)


def _align_weighted_py(ref: Sequence[str], hyp: Sequence[str], sub, ins, dele) -> list[AlignOp]:
    """The paper's dynamic program cell by cell: the reference for the numpy version.

    ``sub`` is a cost or a function ``(ref_word, hyp_word) -> cost``.
    """
    n, m = len(ref), len(hyp)
    sub_cost = sub if callable(sub) else (lambda r, h: sub)
    prev = [j * ins for j in range(m + 1)]
    back = [[1] * (m + 1) for _ in range(n + 1)]
    back[0][0] = 0
    for i in range(1, n + 1):
        row = [i * dele] + [0] * m
        brow = back[i]
        brow[0] = 2
        r = ref[i - 1]
        for j in range(1, m + 1):
            best = prev[j - 1] + (0 if r == hyp[j - 1] else sub_cost(r, hyp[j - 1]))
            b = 0
            left = row[j - 1] + ins
            if left < best:
                best, b = left, 1
            up = prev[j] + dele
            if up < best:
                best, b = up, 2
            row[j] = best
            brow[j] = b
        prev = row
    return _backtrace(ref, hyp, back)


def _backtrace(ref: Sequence[str], hyp: Sequence[str], back) -> list[AlignOp]:
    ops: list[AlignOp] = []
    i, j = len(ref), len(hyp)
    while i or j:
        b = back[i][j]
        if b == 0:
            i -= 1
            j -= 1
            ops.append(AlignOp(MATCH if ref[i] == hyp[j] else SUBSTITUTE, i, j))
        elif b == 1:
            j -= 1
            ops.append(AlignOp(INSERT, None, j))
        else:
            i -= 1
            ops.append(AlignOp(DELETE, i, None))
    ops.reverse()
    return ops


# -- word error rates -------------------------------------------------------------------------


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
    ref = _words(reference, normalized)
    hyp = _words(hypothesis, normalized)
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
    ref = _words(reference, normalized)
    hyp = _words(hypothesis, normalized)
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


# -- entity mentions --------------------------------------------------------------------------


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
    from .lexicon import Lexicon

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


def entity_scores(
    reference: str,
    hypothesis: str,
    entities: Iterable[object],
    *,
    original: str | None = None,
) -> EntityScores:
    """WER, entity-token WER, mention recall and, given the ``original`` (uncorrected)
    transcript, how many of the edits from ``original`` to ``hypothesis`` were right.

    An edit is right when the words it writes line up with the same reference
    words and it leaves fewer errors (see :func:`edit_labels`).

    >>> s = entity_scores("Liz Sly in Beirut", "Liz Sly on Beirut", ["Beirut"],
    ...                   original="Liz sly on the bay loop")
    >>> s.edits_right, s.edits_wrong
    (1, 0)
    """
    ref = normalize(reference)
    hyp = normalize(hypothesis)
    scores = score_mentions(ref, hyp, find_mentions(ref, entities))
    if original is None:
        return scores
    src = normalize(original)
    labels = edit_labels(src, ref, edits_between(src, hyp))
    right = sum(labels)
    return EntityScores(
        scores.words, scores.entity_words, scores.by_label, scores.mentions,
        scores.mentions_correct, right, len(labels) - right,
    )


# -- labelling edits --------------------------------------------------------------------------


class SpanAligner:
    """Maps spans of hypothesis words to the reference words aligned with them.

    Built once per (hypothesis, reference) pair; :meth:`ref_span` then answers in
    constant time. Reference words the hypothesis dropped next to a span count as
    part of that span, so an edit that puts them back is right.

    >>> a = SpanAligner("we met liz sly on the bay loop".split(),
    ...                 "we met liz sly in beirut".split())
    >>> a.ref_words(6, 8), a.ref_words(2, 4)
    (['beirut'], ['liz', 'sly'])
    """

    def __init__(self, hyp_words: Sequence[str], ref_words: Sequence[str]) -> None:
        self.hyp_words = list(hyp_words)
        self.ref = list(ref_words)
        self.ops = align(self.ref, self.hyp_words, by_spelling=True)
        n = len(self.hyp_words)
        self._before = [0] * n  # reference words consumed before hyp word k
        self._after = [0] * n  # ... and after it
        r = 0
        for o in self.ops:
            if o.hyp is None:
                r += 1
                continue
            self._before[o.hyp] = r
            if o.ref is not None:
                r += 1
            self._after[o.hyp] = r

    def ref_span(self, i: int, j: int) -> tuple[int, int]:
        """Reference word range ``[lo, hi)`` aligned with hypothesis words ``[i, j)``."""
        n = len(self.hyp_words)
        if not 0 <= i <= j <= n:
            raise OptionError(f"span [{i}, {j}) outside the {n} hypothesis words")
        lo = self._after[i - 1] if i > 0 else 0
        hi = self._before[j] if j < n else len(self.ref)
        return lo, hi

    def ref_words(self, i: int, j: int) -> list[str]:
        """The reference words aligned with hypothesis words ``[i, j)``."""
        lo, hi = self.ref_span(i, j)
        return self.ref[lo:hi]


def edits_between(
    original: Sequence[str], corrected: Sequence[str]
) -> list[tuple[int, int, list[str]]]:
    """The edits that turn word list ``original`` into ``corrected``, as
    ``(i, j, words)``: original words ``[i, j)`` became ``words``; adjacent
    changed words form one edit.

    >>> edits_between("on the bay loop today".split(), "on the beirut today".split())
    [(2, 4, ['beirut'])]
    """
    out: list[tuple[int, int, list[str]]] = []
    cur: list | None = None
    pos = 0  # original words consumed
    for o in align(list(original), list(corrected), by_spelling=True):
        if o.op == MATCH:
            if cur:
                out.append((cur[0], pos, cur[1]))
                cur = None
            pos += 1
            continue
        if cur is None:
            cur = [pos, []]
        if o.hyp is not None:
            cur[1].append(corrected[o.hyp])
        if o.ref is not None:
            pos += 1
    if cur:
        out.append((cur[0], pos, cur[1]))
    return out


def edit_labels(
    hyp_words: Sequence[str],
    ref_words: Sequence[str],
    edits: Iterable[tuple[int, int, str | Sequence[str]]],
) -> list[bool]:
    """For each edit ``(i, j, replacement)`` of the hypothesis words, whether it is right.

    An edit is right when, once it is made, every word it writes lines up with the
    same reference word and the text has fewer word errors than before (an edit
    that changes only case or punctuation is right when its words were already
    right). Alignments are local (the edit and ten words either side, against the
    reference words aligned with them), so labelling many candidate edits of a long
    transcript stays cheap. Use it to label candidate edits for training a decision
    model; hypothesis words must be normalized as the reference is (:func:`normalize`).

    Judging by the words written rather than by fixed span boundaries keeps the
    answer independent of how an alignment splits a run of errors: "cross wells"
    -> "cresswells" is right against "... some cresswells there" whichever of the
    neighbouring wrong words the aligner pairs with which.

    >>> hyp = "we met liz sly on the bay loop".split()
    >>> ref = "we met liz sly in beirut".split()
    >>> edit_labels(hyp, ref, [(6, 8, "Beirut"), (2, 3, "Lisa"), (4, 5, "in"), (2, 4, "Liz Sly")])
    [True, False, True, True]
    """
    aligner = SpanAligner(hyp_words, ref_words)
    hyp, ref, n = aligner.hyp_words, aligner.ref, len(aligner.hyp_words)
    out = []
    for i, j, rep in edits:
        new = normalize(rep)
        a, b = max(0, i - _CONTEXT), min(n, j + _CONTEXT)
        lo, hi = aligner.ref_span(a, b)
        window_ref = ref[lo:hi]
        before = hyp[a:b]
        after = hyp[a:i] + new + hyp[j:b]
        ops = align(window_ref, after)
        written = range(i - a, i - a + len(new))
        lined_up = all(o.op == MATCH for o in ops if o.hyp is not None and o.hyp in written)
        if new == hyp[i:j]:
            out.append(lined_up)
        else:
            errors = sum(o.op != MATCH for o in ops)
            out.append(lined_up and errors < sum(o.op != MATCH for o in align(window_ref, before)))
    return out


def judge_changes(source: str, changes: Iterable[object], reference: str) -> list[bool]:
    """Whether each change (:class:`~respell.correct.Change`, character offsets into
    ``source``) is right against the ``reference`` text, as :func:`edit_labels` judges.

    The words a change touches are rewritten with it, keeping any part of a touched
    word outside the change (such as a possessive).
    """
    from bisect import bisect_left, bisect_right

    tokens = tokenize(source)
    ends = [t.end for t in tokens]
    starts = [t.start for t in tokens]
    edits = []
    for ch in changes:
        i = bisect_right(ends, ch.start)  # first word ending after the change starts
        j = max(i, bisect_left(starts, max(ch.end, ch.start + 1)))  # words starting inside it
        lo = tokens[i].start if i < j else ch.start
        hi = tokens[j - 1].end if i < j else ch.end
        lo, hi = min(lo, ch.start), max(hi, ch.end)
        edits.append((i, j, source[lo:ch.start] + ch.replacement + source[ch.end:hi]))
    return edit_labels([t.text for t in tokens], normalize(reference), edits)
