"""Span search: which words of a transcript may be a garbled entity, and how alike they are.

A search runs in phases, one function each:

1. spans (:func:`find_spans`): every run of one to ``max_span_words`` words that
   one name could cover, with its phonemes, broad sound classes and consonant
   skeleton; and the listed names already present, which are protected;
2. the transcript's facts (:mod:`respell.transcript`), measured once;
3. shortlist (:mod:`respell.shortlist`): the entries that share a blocking key
   with a span and whose sound classes are alike, the best few per span;
4. per-span checks: protected names respected (:mod:`respell.written`), spans already
   right dropped, the phoneme similarity computed, the best ``per_span`` entries kept;
5. features (:class:`~respell.features.Features`) for each pair kept.

No decision is taken here: :mod:`respell.decide` scores the matches and
:mod:`respell.correct` chooses among them.

>>> from respell.index import LexiconIndex
>>> from respell.lexicon import Lexicon
>>> from respell.words import tokenize
>>> text = "General Sola money was killed."
>>> index = LexiconIndex.of(Lexicon.from_entries(["Qassem Soleimani"]))
>>> found = find_matches(text, tokenize(text), index)
>>> best = max(found.matches, key=lambda m: m.features.psim)
>>> text[found.spans.tokens[best.i].start:found.spans.tokens[best.j - 1].end]
'Sola money'
>>> index.entries[best.entry].variant.text, best.features.psim > 0.8, found.facts.cased
('Soleimani', True, True)
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from operator import itemgetter
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from . import context, phonetics
from .features import (
    SOUND_CLASS_CUTOFF,
    WIDE_SOUND_CLASS_CUTOFF,
    WIDE_ZIPF,
    Features,
    TranscriptFacts,
)
from .index import LexiconIndex
from .shortlist import alike_pairs, best_of, kept_pairs, prefilter
from .transcript import transcript_facts
from .variants import ONE_PART_KINDS, typed_person
from .wordforms import ORDINARY_ZIPF
from .words import FILLERS, Token, letters, sentence_start, stem, zipf
from .written import (
    edge_across_line,
    function_word,
    opened_by_function_word,
    read_out,
    respects_protected,
    respects_written,
)

# What may stand between two words of one span: spaces, hyphens, commas, quotes, &
# ("SG&A", "Procter & Gamble": the words of a name written with one).
_GAP_OK = re.compile(r"[\s\-,\"“”&]*")
# ... of which these are punctuation a name rarely holds: a span over one becomes only a
# name written with it ("Stifel, Nicolaus & Company"), never one written without it.
_PUNCTUATED = re.compile(r"[,\"“”]")
# Variants heard otherwise than written, as a list tells how the name is said: a listed
# misrecognition, an acronym's letters ("B Y D"); a span heard so is not the name written.
_SAID_KINDS = frozenset({"sounds_like", "letters"})


@dataclass(frozen=True)
class Match:
    """Transcript tokens [i, j) that may be the entity variant ``entry`` (an index into
    :attr:`LexiconIndex.entries <respell.index.LexiconIndex>`), and the evidence."""

    i: int
    j: int
    entry: int
    features: Features


@dataclass(frozen=True)
class SpanTable:
    """Phase 1 of a search: the spans worth comparing, as columns indexed by span number.

    ``spans[q]`` is ``(i, j, phonemes)`` for tokens [i, j); ``reduced[q]`` and
    ``skeletons[q]`` are its broad sound classes and its first three consonant classes.
    """

    text: str
    tokens: Sequence[Token]
    lower: list[str]  # each token, lower-case
    word_codes: list[str]  # each token's phonemes (a possessive 's left out)
    spans: list[tuple[int, int, str]]
    reduced: list[str]
    skeletons: list[str]
    covering: list[list[tuple[int, int]]]  # per token: the listed names present covering it
    written_right: set[int]  # tokens of listed names written exactly as listed
    present: dict[int, list[int]]  # entity -> first tokens of its places, written right
    # (any case: an uncased transcript cannot do better)
    written_by: dict[int, set[int]]  # token -> the entities written exactly right over it
    named_by: dict[int, set[int]]  # token -> the entities written over it, in any case
    punctuated: list[bool]  # per gap between tokens k and k + 1: a comma or quote in it


class Found(NamedTuple):
    """What a search found: its matches, its spans and the transcript's facts."""

    matches: list[Match]
    spans: SpanTable | None  # None when there was nothing to search
    facts: TranscriptFacts


def joinable_gaps(text: str, tokens: Sequence[Token], barriers: Sequence[int]) -> list[bool]:
    """For each pair of neighbouring tokens, whether one span may cover both.

    Not across sentence punctuation, a blank line, or a barrier (a cue boundary).
    """
    cuts = sorted(barriers)
    out = []
    for k in range(len(tokens) - 1):
        a, b = tokens[k].end, tokens[k + 1].start
        gap = text[a:b]
        ok = bool(_GAP_OK.fullmatch(gap)) and gap.count("\n") <= 1
        if ok and cuts:
            n = bisect.bisect_right(cuts, tokens[k].start)
            ok = not (n < len(cuts) and cuts[n] < tokens[k + 1].end)
        out.append(ok)
    return out


def find_matches(
    text: str,
    tokens: Sequence[Token],
    index: LexiconIndex,
    *,
    max_span_words: int = 4,
    barriers: Sequence[int] = (),
    prefilter_cutoff: float = SOUND_CLASS_CUTOFF,  # sound-class similarity to be shortlisted
    min_psim: float = 0.5,
    per_span: int = 4,
    within: Sequence[tuple[int, int]] | None = None,
    cased: bool | None = None,
) -> Found:
    """Every plausible (span, entity variant) pair with its features; no decision is taken here.

    ``barriers`` are character offsets no span may cross (cue boundaries in subtitles);
    ``within``, when given, holds the token ranges [a, b) the spans must lie in (the
    transcript's facts are still measured on all of it). ``cased`` says whether the whole
    transcript is cased, when ``text`` is a window of a longer one (by default ``text`` is
    judged by itself).

    For a list of names known to be there (``index.known``) the search is wider: the
    names the user gave meet the spans of a rare word down to a sound-class similarity of
    WIDE_SOUND_CLASS_CUTOFF ("venetius" for Vinícius, "care badio" for Caravaggio), or
    where spelled nearly as typed ("Reina" for Raina, which espeak-ng reads "reena"),
    which a long list of mostly absent names could not afford.
    """
    if not index.entries or not tokens:
        return Found([], None, _facts(tokens, (), index))
    max_len = min(max_span_words, index.max_words + 2)
    table = find_spans(text, tokens, index, max_len, barriers, within)
    facts = _facts(tokens, table.written_right, index)
    if cased is not None:
        facts = facts._replace(cased=cased)
    shortlist = _shortlist(index, table, prefilter_cutoff, per_span)
    if index.known and len(index.users) and prefilter_cutoff > WIDE_SOUND_CLASS_CUTOFF:
        shortlist = _widened(index, table, shortlist, prefilter_cutoff, per_span)
    kept = _check_spans(index, table, facts, shortlist, min_psim, per_span)
    return Found(_measure(index, table, facts, kept), table, facts)


def _facts(tokens: Sequence[Token], written_right, index: LexiconIndex) -> TranscriptFacts:
    return transcript_facts(tokens, written_right, index.size, known=index.known,
                            n_entities=index.n_entities, users_size=index.users_size)


def find_spans(
    text: str, tokens: Sequence[Token], index: LexiconIndex, max_len: int,
    barriers: Sequence[int], within: Sequence[tuple[int, int]] | None = None,
) -> SpanTable:
    """Phase 1: the spans of up to ``max_len`` words one name could cover (only inside the
    token ranges ``within``, when given), and the listed names already present (any case),
    which are protected."""
    stems = [stem(t.text) for t in tokens]
    phonetics.word_phonemes([w.lower() for w in dict.fromkeys(stems) if phonetics.is_plain_word(w)])
    word_codes = phonetics.phonemes.each(stems)
    lower = [t.text.lower() for t in tokens]

    # Words inside a listed name already present (any case) are never respelled, nor
    # absorbed into a longer correction ("the European Parliament", "Energy" + "Agency").
    protected: set[tuple[int, int]] = set()
    written_right: set[int] = set()  # tokens of names already written exactly as listed
    present: dict[int, list[tuple[int, int]]] = {}
    written_by: dict[int, set[int]] = {}  # token -> the entities written right over it
    named_by: dict[int, set[int]] = {}  # ... written over it in any case
    # Sound classes map phoneme by phoneme, so a span's are its words' joined.
    word_reduced = [phonetics.reduce(c) for c in word_codes]
    word_skeleton = [phonetics.consonant_skeleton(c) for c in word_codes]
    joinable = joinable_gaps(text, tokens, barriers)
    # letters of a dotted abbreviation ("C.O.P.29", "U.S."): one word, never cut into
    # (a web address is: "alumina.com" may be illumina.com)
    dotted = [text[a.end:b.start] == "." and min(a.end - a.start, b.end - b.start) == 1
              for a, b in pairwise(tokens)] + [False]
    spans: list[tuple[int, int, str]] = []
    reduced: list[str] = []
    skeletons: list[str] = []
    ends = [len(tokens)] * len(tokens)  # per first token: where its spans must end
    if within is not None:
        ends = [0] * len(tokens)
        for a, b in within:
            for k in range(max(a, 0), min(b, len(tokens))):
                ends[k] = max(ends[k], b)
    for i in range(len(tokens)):
        for j in range(i + 1, min(len(tokens), i + max_len) + 1):
            if j - i >= 2 and not joinable[j - 2] or lower[j - 1] in FILLERS:
                break  # a gap it may not cross, or a hesitation: "vj um" is no Vijay Kumar
            same = index.exact(" ".join(lower[i:j]))
            span_text = text[tokens[i].start:tokens[j - 1].end]
            if not same and stems[j - 1] != tokens[j - 1].text:
                # a listed name's possessive ("Navalny's") is that name written
                same = index.exact(" ".join(lower[i:j - 1] + [stems[j - 1].lower()]))
                span_text = stem(span_text)
            if same and j - i == 1 and zipf(lower[i]) >= ORDINARY_ZIPF:
                same = _written_as_entries(index, same, span_text)
            if same:
                protected.add((i, j))
                right = {index.entries[e].variant.entity for e in same
                         if index.entries[e].variant.text == span_text}
                if right:
                    written_right.update(range(i, j))
                    for k in range(i, j):
                        written_by.setdefault(k, set()).update(right)
                # the names written here in any case ("bin salman", or all of an uncased
                # transcript), each once per variant heard so: its places
                named = [index.entries[e].variant.entity for e in same
                         if index.entries[e].variant.kind != "sounds_like"]
                for k in range(i, j):
                    named_by.setdefault(k, set()).update(named)
                for ent in named:
                    present.setdefault(ent, []).append((i, j))
            codes = "".join(word_codes[i:j])
            if codes and j <= ends[i] and not dotted[j - 1] and not (i and dotted[i - 1]):
                spans.append((i, j, codes))
                reduced.append("".join(word_reduced[i:j]))
                skeletons.append("".join(word_skeleton[i:j])[:3])

    covering: list[list[tuple[int, int]]] = [[] for _ in tokens]
    for span in protected:
        for k in range(*span):
            covering[k].append(span)
    return SpanTable(text, tokens, lower, word_codes, spans, reduced, skeletons, covering,
                     written_right, {e: _mentions(at) for e, at in present.items()},
                     written_by, named_by, [bool(_PUNCTUATED.search(text[a.end:b.start]))
                                  for a, b in pairwise(tokens)])


def _written_as_entries(index: LexiconIndex, same: list[int], said: str) -> list[int]:
    """Of the entries heard as an ordinary word (in any case), those it is written as: a
    document's entry only where written as it ("gallery" is no "Gallery" of the article's
    Apollo Gallery, to keep out of "gallery to pollen" -> Galerie d'Apollon), a typed
    name's words in any case ("sarah" of Sarah Koenig in a transcript without capitals)."""
    return [e for e in same if index.entries[e].variant.text == said or getattr(
        index.entities[index.entries[e].variant.entity], "origin", "user") == "user"]


def _mentions(spans: list[tuple[int, int]]) -> list[int]:
    """The first tokens of the mentions among ``spans``: those no other one contains
    ("Ken Bowling" is one mention, not three with "Ken" and "Bowling")."""
    return sorted({i for i, j in spans
                   if not any(a <= i and j <= b and (a, b) != (i, j) for a, b in spans)})


def _shortlist(
    index: LexiconIndex, table: SpanTable, cutoff: float, per_span: int
) -> dict[int, list[tuple[int, float]]]:
    """Phase 3: span -> its best few (entry, sound-class similarity) pairs."""
    found_q, found_e, found_s = prefilter(index, table.reduced, table.skeletons, cutoff)
    if not len(found_q):
        return {}
    best = best_of(found_q, found_e, found_s, per_span * 3)
    if len(found_q) >= 256:  # many pairs: their phonetic similarities in one vectorised pass
        form_codes, form_of = index.forms.codes, index.ids
        phonetics.warm_similarities(
            (table.spans[q][2], form_codes[form_of[e]]) for q, pairs in best.items() for e, _ in pairs
        )
    return best


def _widened(
    index: LexiconIndex, table: SpanTable, shortlist: dict[int, list[tuple[int, float]]],
    cutoff: float, per_span: int,
) -> dict[int, list[tuple[int, float]]]:
    """A known list's shortlist with the wider search's pairs (:func:`find_matches`)
    after the others: the user's entries and the spans holding a rare word, sharing a
    blocking key, down to WIDE_SOUND_CLASS_CUTOFF."""
    users = index.users
    if len(users) > _WIDE_MAX_ENTRIES:
        return shortlist  # a list that long, whatever its kind, is searched as any other
    # the spans holding a rare word: a running count of the rare words, read at both ends
    rare = np.zeros(len(table.lower) + 1, dtype=np.int64)
    rare[1:] = np.cumsum(np.fromiter((zipf(w) < WIDE_ZIPF for w in table.lower), bool,
                                     len(table.lower)))
    n = len(table.spans)
    starts = np.fromiter(map(itemgetter(0), table.spans), np.int64, n)
    ends = np.fromiter(map(itemgetter(1), table.spans), np.int64, n)
    spans = np.flatnonzero(rare[ends] > rare[starts])
    names, masks = [index.reduced[e] for e in users], index.masks[users]
    spelled = [index.entries[e].letters for e in users.tolist()]
    found_q, found_e, found_s = [], [], []
    step = max(1, _WIDE_CELLS // len(users))  # spans per cdist: its matrix stays small
    for start in range(0, len(spans), step):
        chunk = spans[start:start + step].tolist()
        qs, es, ss = alike_pairs([table.reduced[q] for q in chunk],
                                 [table.skeletons[q] for q in chunk], names, masks,
                                 WIDE_SOUND_CLASS_CUTOFF)
        below = ss < cutoff  # the others are in the shortlist already
        found_q.append(np.asarray(chunk, dtype=np.int64)[qs[below]])
        found_e.append(users[es[below]])
        found_s.append(ss[below])
        seen = {(chunk[q], int(users[e])) for q, e in zip(qs.tolist(), es.tolist())}
        seen.update((q, e) for q in chunk for e, _ in shortlist.get(q, ()))
        qs, es, ss = _spelled_alike(index, table, chunk, users, spelled, seen)
        found_q.append(qs)
        found_e.append(es)
        found_s.append(ss)
    if not found_q:
        return shortlist
    qs, es, ss = np.concatenate(found_q), np.concatenate(found_e), np.concatenate(found_s)
    if not len(qs):
        return shortlist
    out = dict(shortlist)
    for q, pairs in best_of(qs, es, ss, per_span * 3).items():
        out[q] = (out.get(q, []) + pairs)[:per_span * 3]
    return out


def _spelled_alike(index: LexiconIndex, table: SpanTable, spans: list[int], users: np.ndarray,
                   spelled: list[str], seen: set[tuple[int, int]] = frozenset()
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(span, entry, sound-class similarity) of the spans of one or two words spelled
    nearly as one of the user's names (their letters ``spelled``, :data:`SPELLED_CUTOFF`
    alike) that the searches by sound did not find (the pairs ``seen``): espeak-ng reads a
    foreign name's letters as English ("Reina" as "reena", 0.4 alike "Raina"), and a name
    whose first sounds were lost is kept out by the blocking key of its first consonants
    ("Zaskowski" for Trzaskowski)."""
    short = [q for q in spans if table.spans[q][1] - table.spans[q][0] <= 2]
    if not short:
        return (np.zeros(0, np.int64),) * 2 + (np.zeros(0, np.float32),)
    said = ["".join(letters(w) for w in table.lower[slice(*table.spans[q][:2])]) for q in short]
    scores = process.cdist(said, spelled, scorer=Levenshtein.normalized_similarity,
                           score_cutoff=SPELLED_CUTOFF, dtype=np.float32)
    rows, cols, _ = kept_pairs(scores)
    q = np.asarray(short, dtype=np.int64)[rows]
    e = users[cols]
    sound = np.array([Levenshtein.normalized_similarity(table.reduced[a], index.reduced[b])
                      for a, b in zip(q.tolist(), e.tolist())], dtype=np.float32)
    keep = np.fromiter(((a, b) not in seen for a, b in zip(q.tolist(), e.tolist())), bool,
                       len(q))
    return q[keep], e[keep], sound[keep]


SPELLED_CUTOFF = 0.75

# The wider search is for lists of names a user knows are there: a few dozen names.
_WIDE_MAX_ENTRIES = 1_000
_WIDE_CELLS = 1_000_000


def _check_spans(
    index: LexiconIndex,
    table: SpanTable,
    facts: TranscriptFacts,
    shortlist: dict[int, list[tuple[int, float]]],
    min_psim: float,
    per_span: int,
) -> list[tuple[int, str, str, list[tuple[float, int, float]]]]:
    """Phase 4: per span, its best ``per_span`` (phoneme similarity, entry, sound-class
    similarity), best first, of the entries it may become; with the span's text and letters."""
    text, tokens = table.text, table.tokens
    kept: list[tuple[int, str, str, list[tuple[float, int, float]]]] = []
    for q, best in shortlist.items():
        i, j, codes = table.spans[q]
        span_text = text[tokens[i].start:tokens[j - 1].end]
        span_letters = letters(span_text)
        name_letters = letters(stem(span_text))  # a possessive's name
        scored = []
        crosses = any(table.punctuated[i:j - 1])
        for e, rsim in best:
            entry = index.entries[e]
            if entry.variant.kind == "spelled":
                continue  # recognised where it stands only
            if not respects_protected(i, j, entry, table.covering, table.lower, name_letters):
                continue
            if crosses and not _PUNCTUATED.search(entry.variant.text):
                continue  # "Kyiv, Soleimani" is never one name written without the comma
            if j - i >= 2 and edge_across_line(text, tokens, table.lower, i, j, entry.words):
                continue  # "of conspicuous waste\nbut it is" is no "wasteful\nit is"
            if not respects_written(i, j, entry, table, facts):
                continue
            if j - i >= 2 and opened_by_function_word(i, j, entry, table):
                continue  # "So Biden said" is no "Joe Biden said"
            if entry.variant.kind == "letters" and not read_out(tokens[i:j], entry.variant.text):
                continue
            if span_text == entry.variant.text or (
                span_text == entry.variant.heard and entry.variant.kind not in _SAID_KINDS
            ):
                continue  # already right
            psim = phonetics.phoneme_similarity(codes, entry.codes)
            if psim >= min_psim:
                scored.append((psim, e, rsim))
        scored.sort(reverse=True)
        if scored:
            kept.append((q, span_text, span_letters, scored[:per_span]))
    return kept


def _measure(
    index: LexiconIndex,
    table: SpanTable,
    facts: TranscriptFacts,
    kept: list[tuple[int, str, str, list[tuple[float, int, float]]]],
) -> list[Match]:
    """Phase 5: the features of every pair kept."""
    text, tokens, lower, word_codes = table.text, table.tokens, table.lower, table.word_codes
    if len(kept) >= 64:  # the trimmed spans' similarities (below) in one pass
        form_codes, form_of = index.forms.codes, index.ids
        phonetics.warm_similarities(
            (part, form_codes[form_of[e]])
            for q, _, _, scored in kept if table.spans[q][1] - table.spans[q][0] >= 2
            for part in ("".join(word_codes[table.spans[q][0] + 1:table.spans[q][1]]),
                         "".join(word_codes[table.spans[q][0]:table.spans[q][1] - 1]))
            for _, e, _ in scored
        )
    out: list[Match] = []
    for q, span_text, span_letters, scored in kept:
        i, j, codes = table.spans[q]
        for rank, (psim, e, rsim) in enumerate(scored):
            entry = index.entries[e]
            others = [s for s, e2, _ in scored if index.entries[e2].variant.entity != entry.variant.entity]
            runner = max(others) if others else 0.0
            zipfs = [zipf(w) for w in lower[i:j]]
            trim = 0.0
            if j - i >= 2:  # would the span do as well without its first or last word?
                trim = max(
                    phonetics.phoneme_similarity("".join(word_codes[i + 1:j]), entry.codes),
                    phonetics.phoneme_similarity("".join(word_codes[i:j - 1]), entry.codes),
                ) - psim
            ent = index.entities[entry.variant.entity]
            kind = entry.variant.kind
            origin = getattr(ent, "origin", "user")
            out.append(Match(i, j, e, Features(
                psim=psim,
                rsim=rsim,
                csim=fuzz.ratio(span_letters, entry.letters) / 100.0,
                margin=psim - runner,
                rank=rank,
                trim_gain=trim,
                span_zipf_max=max(zipfs),
                span_zipf_mean=sum(zipfs) / len(zipfs),
                span_zipf_min=min(zipfs),
                edge_zipf=max(zipfs[0], zipfs[-1]) if j - i >= 2 else 0.0,
                ent_zipf=entry.zipf,
                n_span=j - i,
                n_ent=len(entry.words),
                ent_phones=len(entry.codes),
                span_phones=len(codes),
                same_letters=span_letters == entry.letters,
                sounds_like=kind in _SAID_KINDS,
                surname=kind in ONE_PART_KINDS,
                span_capital=tokens[i].text[:1].isupper(),
                span_all_capital=all(t.text[:1].isupper() for t in tokens[i:j]),
                sentence_start=sentence_start(text, tokens, i),
                given_name=kind in ("given_name", "short"),
                ent_capital=entry.variant.text[:1].isupper(),
                name_cue=facts.cue_before[i] or facts.cue_after[j],
                anchor=context.anchored(tokens, i, j, entry.words, ent.text.split(), kind),
                ent_person=ent.label == "PERSON" or index.known and typed_person(ent),
                part=kind == "part",
                short_form=kind in ("short", "short_full"),
                from_document=origin == "ner",
                from_pattern=origin == "pattern",
                edge_function=j - i >= 2 and (
                    function_word(lower[i]) and lower[i] != entry.words[0].lower()
                    or function_word(lower[j - 1]) and lower[j - 1] != entry.words[-1].lower()
                ),
            )))
    return out
