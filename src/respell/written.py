"""Spans over or beside the listed names already written in a transcript: what they may
become, before their sounds are compared (:mod:`respell.match`, phase 4).

A name already written is protected: a span may take it in only to extend it
(:func:`respects_protected`), and only with words that sound like the rest of that name
(:func:`respects_written`); a function word that opens a sentence is no given name before
a surname written right (:func:`opened_by_function_word`).

Two more guards read only the span's words: a function word at its edge on a line of its
own (:func:`edge_across_line`), and an acronym's letters said one by one (:func:`read_out`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from . import phonetics
from .words import FUNCTION_ZIPF, hyphened, stem, zipf

if TYPE_CHECKING:
    from .features import TranscriptFacts
    from .index import Entry
    from .match import SpanTable
    from .words import Token


def function_word(word: str) -> bool:
    """Whether a lower-case word is a short, very common one ("a", "and", "you", "the")."""
    return len(word) <= 4 and zipf(word) >= FUNCTION_ZIPF


def respects_written(
    i: int, j: int, entry: Entry, table: SpanTable, facts: TranscriptFacts
) -> bool:
    """A span that holds a listed name written right (in any case: "bin salman" in a
    cased transcript, or anything in an uncased one) and more words becomes only
    that name (a span that is all a listed name may still be another one that sounds
    alike: "Byrne" for Barnes, both listed, is the model's to judge), and only when its
    other words sound at all like the rest of the name or a person is introduced there.

    "from Kyiv Soleimani" never becomes Qassem Soleimani (Kyiv is written right and is
    another entity); "talked about Woodward" does not become "talked Bob Woodward" nor
    "Brandhuber would" "Brandhuber Logistik": a common word beside a name written right
    is taken into it only when it sounds like the missing words ("can Bowling" -> "Ken
    Bowling") or the words around call on someone ("question comes from Sebastian
    forward" -> Sebastian Vogel).
    """
    # in any case where the transcript has none, or as a name, capitalised ("Bin Salman"
    # for "bin Salman"); a cased transcript's lower-case word is no name ("energy")
    written = [k for k in range(i, j) if k in table.written_by or k in table.named_by and (
        not facts.cased or table.tokens[k].text[:1].isupper())]
    if not written:
        return True
    entity = entry.variant.entity
    own = {w.lower() for w in entry.words}
    whole = (i, j) in table.covering[i]  # the span is one listed name, written right
    if not whole and any(
        k in table.written_by and entity not in table.written_by[k] and stem(table.lower[k]) not in own
        for k in written
    ):
        return False  # another listed name inside a longer span: never taken into this one
    extra = [k for k in range(i, j) if k not in written]
    if extra and extra[0] == i > 0 and hyphened(table.text, table.tokens, i):
        return False  # the end of a hyphenated word is no part of a name: "anti-vaccine
        # ocasio-cortez said" is no Alexandria Ocasio-Cortez
    if not extra or max(zipf(table.lower[k]) for k in extra) < _EXTENSION_ZIPF:
        return True
    if (facts.cue_before[i] or facts.cue_after[j]) and not any(
        function_word(table.lower[k]) for k in extra
    ):  # (a cue makes a name of a word, not of "then": "Then Macron said" stays)
        return True
    have = {stem(table.lower[k]) for k in written}
    missing = [w for w in entry.words if w.lower() not in have]
    if not missing:
        return False
    said = "".join(table.word_codes[k] for k in extra)
    wanted = "".join(phonetics.phonemes.each(missing))
    # a function word after a name, ending the span, is more often the sentence's than a
    # garble's ("Kamala has been" is no "Kamala Harris been": 0.51; "Tora for a" is Tora
    # Bora: 0.65); inside a garble it is as likely as any word ("alexandra over gone")
    least = _FUNCTION_EXTENSION_PSIM if j - 1 in extra and j - 1 > min(written) and \
        function_word(table.lower[j - 1]) else _EXTENSION_PSIM
    return phonetics.phoneme_similarity(said, wanted) >= least


# A word at least this common beside a name written right joins it only if it sounds
# at least this much like the name's missing words.
_EXTENSION_ZIPF = 4.5
_EXTENSION_PSIM = 0.5
_FUNCTION_EXTENSION_PSIM = 0.6  # ... or this, where a function word after the name ends them


def opened_by_function_word(i: int, j: int, entry: Entry, table: SpanTable) -> bool:
    """Whether the span is a function word and then the rest of the name written right
    (a possessive aside), the function word no near sound of the name's first word.

    Where a sentence or a clause opens (the transcript's start, a line's, or after a
    mark), "So Biden said" is no "Joe Biden said", nor ", and Paul agreed" "Rand Paul
    agreed": people open sentences and clauses with such words before a surname all the
    time. A given name the recognizer heard as a function word of nearly its sound
    still is one ("can Bowling" for Ken Bowling), and so is one of another sound
    inside a sentence, where names are called on ("over to mr that Gugino" for Matt).
    """
    words = [w.lower() for w in entry.words]
    if len(words) != j - i or not function_word(table.lower[i]) or table.lower[i] == words[0]:
        return False
    if i and (not _PHRASE_MARK.search(table.text[table.tokens[i - 1].end:table.tokens[i].start])
              or table.lower[i - 1] in _ABBREVIATED):
        return False  # not where a sentence or clause opens: "questions then Isaacson",
        # "over to mr. That Gugino"
    rest = [stem(table.lower[k]) for k in range(i + 1, j)]
    if rest != words[1:]:
        return False
    first = phonetics.phonemes(words[0])
    return phonetics.phoneme_similarity(table.word_codes[i], first) < _FUNCTION_WORD_PSIM


_PHRASE_MARK = re.compile(r"[.,;:!?\n]")
_ABBREVIATED = frozenset({"mr", "mrs", "ms", "dr", "st", "prof", "sen", "rep", "gen", "gov"})
# A function word before the rest of a name is its first word only if it sounds at least
# this much like it ("can" for Ken 0.91; "so" for Joe 0.65, "and" for Rand 0.66).
_FUNCTION_WORD_PSIM = 0.8


def respects_protected(
    i: int, j: int, entry: Entry, covering: list[list[tuple[int, int]]], lower: list[str],
    span_letters: str,
) -> bool:
    """A candidate may touch a listed name already present (or its possessive) only to
    extend it.

    "Cassim Soleimani" -> "Qassem Soleimani" may cover the surname "Soleimani";
    "the European Parliament" may not swallow "European Parliament". A one-word
    listed name may be taken in only beside a part of the candidate's own name:
    "Quinn Freeland" -> "Clint Freeland" though "Quinn" is listed too.
    """
    if not any(covering[k] for k in range(i, j)):
        return True
    ent_words = [w.lower() for w in entry.words]
    anchored, foreign = False, False
    for k in range(i, j):
        for pi, pj in covering[k]:
            if (pi, pj) == (i, j):
                if span_letters != entry.letters:
                    return False
                continue
            inner = lower[pi:pj - 1] + [stem(lower[pj - 1])]  # a possessive is the name's
            if not (i <= pi and pj <= j):
                return False
            if len(ent_words) > len(inner) and any(
                ent_words[s:s + len(inner)] == inner for s in range(len(ent_words))
            ):
                anchored = True
            elif pj - pi == 1:
                foreign = True
            else:
                return False
    return anchored or not foreign


def edge_across_line(text: str, tokens: Sequence[Token], lower: Sequence[str], i: int, j: int,
                      words: Sequence[str]) -> bool:
    """Whether the span's first or last word is a function word the name does not begin or
    end with, on another line than the rest: a line ends an utterance or a segment, so the
    word belongs to its own line ("waste\nbut" is no "wasteful"; a name broken over two
    lines, "Lee Kati\nAffairante", is still one)."""
    if function_word(lower[i]) and lower[i] != words[0].lower() and (
            "\n" in text[tokens[i].end:tokens[i + 1].start]):
        return True
    return function_word(lower[j - 1]) and lower[j - 1] != words[-1].lower() and (
        "\n" in text[tokens[j - 2].end:tokens[j - 1].start])


def read_out(tokens: Sequence[Token], acronym: str) -> bool:
    """Whether ``tokens`` are the acronym's letters said one by one, each its own word
    ("B Y D", "r f i d"): no other letters, none missing, none changed ("U S" is no USA,
    "T S P" no GSP; a letter misheard is as often another acronym)."""
    return (len(tokens) == len(acronym)
            and all(t.text.upper() == a for t, a in zip(tokens, acronym)))
