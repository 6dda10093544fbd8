"""The correctors the benchmarks run side by side, behind one protocol.

A *system* is a factory ``make(entities, *, min_score=None) -> correct`` where
``entities`` is a list of :class:`respell.Entity` (or strings) and
``correct(text) -> str`` returns the corrected text. The factory may index the
list once, so one corrector serves many transcripts with the same list.

* ``none``: returns the text unchanged (the recognizer's baseline).
* ``respell``: :func:`respell.fix` with a :class:`respell.Lexicon` built once.
* ``rapidfuzz``: the obvious fuzzy corrector: every 3-, 2- and 1-word span, left
  to right, longest first, through ``rapidfuzz.process.extractOne`` with
  ``fuzz.ratio`` (case-folded) and cutoff 85; the first span that matches is
  replaced by the entity and the scan continues after it (greedy).
* ``spaczz``: spaczz's ``FuzzyMatcher`` on a blank English spaCy pipeline with
  ``flex="max"`` so a pattern may match a span with more or fewer tokens
  ("Leo cadia" -> Leocadia), ``min_r=85`` as for rapidfuzz; overlapping matches
  are resolved best ratio first.

>>> fix = make("rapidfuzz", ["Tora Bora", "Beirut"])
>>> fix("fled to Torah Bora, then Beirut.")
'fled to Tora Bora, then Beirut.'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from respell.lexicon import Entity

Corrector = Callable[[str], str]

CUTOFF = 85
_TOKEN = re.compile(r"\S+")
_CORE = re.compile(r"^[^\w']*(.*?)[^\w']*$", re.DOTALL)


def _texts(entities: Iterable[Entity | str]) -> list[str]:
    out = [e.text if isinstance(e, Entity) else str(e) for e in entities]
    return list(dict.fromkeys(t for t in out if t.strip()))


def make_none(entities: Iterable[Entity | str], *, min_score: float | None = None) -> Corrector:
    """The identity: what the recognizer wrote."""
    return lambda text: text


def make_respell(entities: Iterable[Entity | str], *, min_score: float | None = None) -> Corrector:
    """respell itself; the lexicon (and its index) is built once per list."""
    import respell

    lexicon = respell.Lexicon.from_entries(list(entities))

    def correct(text: str) -> str:
        return respell.fix(text, lexicon, min_score=min_score).text

    return correct


def make_rapidfuzz(
    entities: Iterable[Entity | str], *, min_score: float | None = None
) -> Corrector:
    """Word 1-3-grams through ``process.extractOne`` (ratio >= 85), greedy left to right.

    ``min_score`` (0-1), if given, replaces the cutoff (as a ratio / 100).
    """
    from rapidfuzz import fuzz, process, utils

    choices = _texts(entities)
    processed = [utils.default_process(c) for c in choices]
    cutoff = CUTOFF if min_score is None else 100 * min_score

    def correct(text: str) -> str:
        if not choices:
            return text
        words = []  # (core start, core end, core text) of each whitespace token
        for m in _TOKEN.finditer(text):
            core = _CORE.match(m.group())
            words.append((m.start() + core.start(1), m.start() + core.end(1), core.group(1)))
        out, pos, i = [], 0, 0
        while i < len(words):
            for n in (3, 2, 1):
                if i + n > len(words):
                    continue
                span = " ".join(w[2] for w in words[i:i + n])
                query = utils.default_process(span)
                if not query:
                    continue
                hit = process.extractOne(
                    query, processed, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff
                )
                if hit is None:
                    continue
                if hit[0] != query:  # already spelled right (up to case): leave as is
                    start, end = words[i][0], words[i + n - 1][1]
                    out.append(text[pos:start])
                    out.append(choices[hit[2]])
                    pos = end
                i += n
                break
            else:
                i += 1
        out.append(text[pos:])
        return "".join(out)

    return correct


def make_spaczz(entities: Iterable[Entity | str], *, min_score: float | None = None) -> Corrector:
    """spaczz ``FuzzyMatcher`` (ratio >= 85, ``flex="max"``), best non-overlapping matches."""
    import spacy
    from spaczz.matcher import FuzzyMatcher

    nlp = _blank_english(spacy)
    choices = _texts(entities)
    matcher = FuzzyMatcher(
        nlp.vocab, min_r=CUTOFF if min_score is None else round(100 * min_score),
        flex="max", ignore_case=True, fuzzy_func="simple",
    )
    if choices:
        matcher.add("ENT", [_pattern(nlp, c) for c in choices])

    def correct(text: str) -> str:
        if not choices:
            return text
        doc = nlp.make_doc(text)
        taken = [False] * len(doc)
        chosen = []
        for _, start, end, ratio, pattern in sorted(
            matcher(doc), key=lambda m: (-m[3], -(m[2] - m[1]), m[1])
        ):
            if any(taken[start:end]):
                continue
            taken[start:end] = [True] * (end - start)
            span = doc[start:end]
            if span.text.lower() != pattern.lower():
                chosen.append((span.start_char, span.end_char, pattern))
        out, pos = [], 0
        for start, end, pattern in sorted(chosen):
            out.append(text[pos:start])
            out.append(pattern)
            pos = end
        out.append(text[pos:])
        return "".join(out)

    return correct


_NLP = {}
_PATTERNS: dict[str, object] = {}


def _blank_english(spacy):
    if "en" not in _NLP:
        _NLP["en"] = spacy.blank("en")
    return _NLP["en"]


def _pattern(nlp, text: str):
    # LibriSpeech builds a matcher per utterance from overlapping lists: tokenize each once
    doc = _PATTERNS.get(text)
    if doc is None:
        doc = _PATTERNS[text] = nlp.make_doc(text)
    return doc


SYSTEMS: dict[str, Callable[..., Corrector]] = {
    "none": make_none,
    "respell": make_respell,
    "rapidfuzz": make_rapidfuzz,
    "spaczz": make_spaczz,
}


def make(
    system: str, entities: Iterable[Entity | str], *, min_score: float | None = None
) -> Corrector:
    """A corrector for ``entities`` from the system named ``system`` (see :data:`SYSTEMS`)."""
    try:
        factory = SYSTEMS[system]
    except KeyError:
        raise SystemExit(f"unknown system {system!r}: choose from {', '.join(SYSTEMS)}") from None
    return factory(list(entities), min_score=min_score)
