"""From a match to the change it would write: the name spelled as the transcript writes
it (its case, a possessive said with it, the part of a name said alone), the rules that
leave a change out whatever its score (:mod:`respell.rules`), and the reason told with it.

>>> from respell.correct import fix
>>> text = ("The boyfriend, Adnan Syed, was convicted. The witness was Jay Wilds. Anand always "
...         "said he was at the library.")
>>> [c.reason.split(":")[0] for c in fix(text, ["Adnan Syed", "Jay Wilds", "Baltimore"]).changes]
["sounds like 'Adnan' (given name)"]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from . import phonetics
from .context import before_other_name
from .diminutives import is_given_name
from .endings import ENDING_REASONS, name_ends_at_possessive, said_ending, with_possessive
from .evidence import STRONG
from .names import PLACES
from .people import (
    KNOWN_NAME_ZIPF,
    OTHER_SURNAME_LETTERS,
    OTHER_SURNAME_PSIM,
    SAME_GIVEN_PSIM,
    other_person,
)
from .result import Change
from .rules import (
    PERSON_PARTS,
    acronym_over_name,
    document_name_over_word,
    may_recase,
    out_of_place,
    worth_respelling,
    written_as,
)
from .variants import NAME_SUFFIXES, ONE_PART_KINDS, WHOLE_KINDS, looks_like_person
from .wordforms import (
    adds_to_word,
    drops_words,
    number_only,
    other_form,
    phrase_in_other_form,
    unhyphenated,
    word_beside_name,
    word_for_word,
)
from .words import POSSESSIVE, Token, letters, stem, zipf

if TYPE_CHECKING:
    from .entity import Entity
    from .evidence import Evidence
    from .features import Features
    from .index import Entry, LexiconIndex
    from .lexicon import Variant
    from .match import Match

__all__ = ["next_word", "proposals"]


def proposals(
    text: str,
    tokens: Sequence[Token],
    index: LexiconIndex,
    matches: Sequence[Match],
    scores: Sequence[float],
    *,
    cased: bool,
    evidence: Sequence[Evidence] | None = None,
) -> list[tuple[Match, Change]]:
    """Each match scored high enough to matter, with the change it would write, in text
    order; matches that would change nothing worth changing are left out. The evidence
    from the whole transcript, when measured, is told in each change's reason."""
    proposed = []
    for k, (m, s) in enumerate(zip(matches, scores)):
        if s >= _RUNNER_UP_FLOOR:  # weaker ones can be neither changes nor runners-up
            p = _to_change(text, tokens, index, m, s, has_case=cased,
                           evidence=evidence[k] if evidence else None)
            if p is not None:
                proposed.append((m, p))
    proposed.sort(key=lambda mp: mp[1].start)
    return proposed


_RUNNER_UP_FLOOR = 0.01
# A part may sound this much less like one word said than its whole name does, and still
# be what was said.
_PART_SLACK = 0.15
# A whole name run together into one word: it sounds at least this much like the word,
# and by this much more than the part matched ("Moabudu": Abudu 0.69, Mo Abudu 1.0).
_WHOLE_SAID, _WHOLE_GAIN = 0.9, 0.15


def _part_said(index: LexiconIndex, entry: Entry, psim: float, said: str
               ) -> tuple[Entry, float] | None:
    """The part of a name of several words (its given name, surname, a part said alone)
    that one word said is, when the word sounds about as much like it as like the whole
    name and is nearer its length: "Anand always said" is Adnan (0.49), not "Adnan Syed
    always said" (0.59, the d of Syed standing in for Adnan's): the part and how much the
    word sounds like it; None when no part is."""
    codes = phonetics.phonemes(said)
    best, best_psim = None, psim - _PART_SLACK
    for k in index.parts_of(entry.variant.entity):
        part = index.entries[k]
        if abs(len(codes) - len(part.codes)) >= abs(len(codes) - len(entry.codes)):
            continue
        part_psim = phonetics.phoneme_similarity(codes, part.codes)
        if part_psim >= best_psim:
            best, best_psim = part, part_psim
    return None if best is None else (best, best_psim)


def _whole_said(index: LexiconIndex, entry: Entry, psim: float, said: str
                ) -> tuple[Entry, float] | None:
    """The entry of the whole name a part matched one word with, and its similarity, where
    that word is the whole name run together ("Moabudu" is Mo Abudu, "Joebiden" Joe
    Biden, not Abudu or Biden with the given name dropped): the whole sounds nearly the
    same as the word, and much more like it than the part does. None otherwise."""
    codes = phonetics.phonemes(said)
    best, best_psim = None, max(psim + _WHOLE_GAIN, _WHOLE_SAID)
    for k in index.wholes_of(entry.variant.entity):
        whole = index.entries[k]
        if len(whole.words) < 2:
            continue
        whole_psim = phonetics.phoneme_similarity(codes, whole.codes)
        if whole_psim >= best_psim:
            best, best_psim = whole, whole_psim
    return None if best is None else (best, best_psim)


def _to_change(
    text: str, tokens: Sequence[Token], index: LexiconIndex, match: Match, score: float, *,
    has_case: bool, evidence: Evidence | None = None,
) -> Change | None:
    """The change a match proposes, as it would be written; None when it is no change."""
    entry = index.entries[match.entry]
    start, end = tokens[match.i].start, tokens[match.j - 1].end
    original = text[start:end]
    features = match.features
    if match.j - match.i == 1 and len(entry.words) >= 2 and entry.variant.kind in WHOLE_KINDS:
        part = _part_said(index, entry, features.psim, original)
        if part is not None:
            entry, features = part[0], features._replace(psim=part[1])
    elif match.j - match.i == 1 and entry.variant.kind in ("surname", "part"):
        whole = _whole_said(index, entry, features.psim, original)
        if whole is not None:
            entry, features = whole[0], features._replace(psim=whole[1])
    variant = entry.variant
    last = tokens[match.j - 1].text
    replacement = with_possessive(written_as(variant.text, original, has_case), variant.text, last)
    if replacement == original:
        return None
    if POSSESSIVE.search(variant.text) and not last.lower().endswith("s"):
        # a listed possessive ("general's") is matched by its sound without the s, which
        # the words here lack: writing it would add an s nobody said ("the general" ->
        # "the general's"; on LibriSpeech such edits were wrong 12 times out of 17)
        return None
    if (word_beside_name(original, variant.heard) or drops_words(original, replacement)
            or adds_to_word(original, replacement)
            or name_ends_at_possessive(original, variant.text)):
        # "Randy thank" is no "Randy Dearth", however sure Randy is; "Manny's barrio" no
        # Manny Pacquiao
        return None
    ent = index.entities[variant.entity]
    if out_of_place(text, tokens, match.i, variant.kind, original, variant.text, has_case,
                    match.j):
        return None
    if evidence is not None and looks_like_person(ent) and other_person(
        text, tokens, match.i, match.j, variant.kind, ent.text, has_case,
        repaired_elsewhere=evidence.best >= STRONG,
    ):
        # a name whose surname the recognizer wrote right elsewhere: a common given name
        # of its sound beside another surname it knows is another person ("Steven
        # Spielberg" is no Stephen Colbert, nor "John Oliver" Jon Oliver, where Colbert
        # and Stewart are written right; "Daniel Rush go" is still Daniel Roeska)
        return None
    if has_case and match.j - match.i == 1 and _before_another_surname(
        text, tokens, match.j, variant, ent, index
    ):
        # a given name (or a one-word name) written over the first of two capitalised
        # words the recognizer heard as someone else's name: "Silly Murphy" is Cillian
        # Murphy, not "Sally Murphy" for Sally Rooney; "Andhra Pradesh" no "Narendra
        # Pradesh"; "Temio Dola" no "Tems Dola"
        return None
    origin = getattr(ent, "origin", "user")
    if _said_in_another_form(original, replacement, variant.kind, ent, origin, has_case,
                             index.known):
        return None
    if (origin == "pattern" and has_case and acronym_over_name(
        original, replacement, bool(match.features.sentence_start))
            or origin != "user" and document_name_over_word(original, replacement, features.psim)):
        return None  # "Google" -> GOOGL: the ticker an article gave; "next" is no NextEra
    if letters(replacement) == letters(original) and not worth_respelling(
        original, replacement, has_case, ent.label
    ):
        return None
    if original.lower() == replacement.lower() and not may_recase(original, variant.kind, origin):
        return None
    ending = said_ending(original, replacement, variant, ent.label,
                         _previous_word(text, tokens, match.i), text[end:end + 40])
    if ending is None:
        return None
    reason = _reason(index, variant, features, has_case, evidence,
                     next_word(text, tokens, match.j)) + ENDING_REASONS[ending]
    replacement += ending
    if origin != "user":
        reason += "; from a related document" if origin == "ner" else "; mined from a document"
    return Change(start, end, original, replacement, ent.text, ent.label, round(float(score), 4),
                  reason=reason, sources=ent.sources)


def _before_another_surname(text: str, tokens: Sequence[Token], j: int, variant: Variant,
                            ent: Entity, index: LexiconIndex) -> bool:
    """Whether a person's given name said alone, or a one-word person's name, heard as
    another word (not of its own sound), is followed by another capitalised word of the
    sentence, one the recognizer knows (Zipf >= 3: a surname or a place), that is none of
    the name's other words nor any listed name's, nor a suffix, nor sounds or is spelled
    like them (:func:`respell.context.before_other_name`; the bounds are
    :func:`respell.people.other_person`'s)."""
    words, kind = ent.text.split(), variant.kind
    if kind not in ("given_name", "short") and not (
        kind == "canonical" and len(words) == 1 and looks_like_person(ent)
    ):
        return False
    if not before_other_name(text, tokens, j):
        return False
    after = tokens[j].text
    if zipf(after.lower()) < KNOWN_NAME_ZIPF:
        # a rare word may be the recognizer's try at the name's surname ("Marquess
        # Kaiba" for Markus Krebber): the whole name's match judges it
        return False
    if letters(after) in index.name_words:
        return False  # another listed name's word: "Donner Jorge" is "Don, Jorge"
    rest = [w for w in words[1:] if letters(w)]
    if letters(after) in NAME_SUFFIXES or any(letters(after) == letters(w) for w in rest):
        return False
    codes = phonetics.phonemes.each([tokens[j - 1].text, variant.text, after, *rest])
    if phonetics.phoneme_similarity(codes[0], codes[1]) >= SAME_GIVEN_PSIM:
        # the given name heard as said ("Carol Moore" for Karol Nawrocki): the whole
        # name's match, or another person's rule (respell.people), judges it
        return False
    return not any(
        phonetics.phoneme_similarity(codes[2], c) >= OTHER_SURNAME_PSIM
        or fuzz.ratio(after.lower(), w.lower()) >= OTHER_SURNAME_LETTERS
        for c, w in zip(codes[3:], rest)
    )


def _said_in_another_form(original: str, replacement: str, kind: str, ent: Entity,
                          origin: str, has_case: bool, known: bool) -> bool:
    """Whether the change only writes the words said in another form or number, as the
    name has them (:mod:`respell.wordforms`), where that is the ordinary word."""
    if number_only(original, replacement) and (
        kind in ONE_PART_KINDS
        or (has_case and original[:1].islower() and replacement[:1].isupper())
        or origin != "user"
    ):
        # A name that differs from the words here only by a plural s is more likely the
        # ordinary word when it is one word of a longer name taken alone ("diagnostic" ->
        # "Diagnostics" of Beckman Diagnostics), when a cased transcript wrote the word
        # in lower case ("genomic" -> "Genomics", "radiometers" -> "Radiometer"), or when
        # a document wrote it in the other number, as slides name things ("grails" ->
        # "GRAIL", "NPLs" -> "NPL", "backlogs" -> "Backlog": leaving them out took 70 wrong
        # edits and 13 right ones away over ConEC's six recognizers with the calls' PDFs).
        return True
    if origin != "user" and (
        word_for_word(original, replacement) and ent.label not in PLACES
        or unhyphenated(original, replacement)
        or phrase_in_other_form(original, replacement)
    ):
        # a document's name that is an ordinary word, for another ordinary word: slides
        # capitalise their words ("Tonnes", "Margins", "Cuts"), and a word the recognizer
        # knows was heard as said ("margin" is no Martin, "tons" no "tonnes"); a place is
        # spelled as the document has it ("Columbia" is Colombia in Bancolombia's call).
        # Nor is a common hyphenated word written as slides brand it ("e-commerce" ->
        # "eCommerce").
        return True
    # A place's people said for a listed name's last word too, where it was typed without
    # a label ("Sri Lanka" looks like a given name and a surname): "Sri Lankans" is no
    # "Sri Lanka's"; but not a given name ("Landon" may be Lando), nor a word that would
    # be a surname's place ("pike" is Piken)
    people = kind not in PERSON_PARTS or (
        kind == "surname" and not is_given_name(stem(original))
        and len(letters(original)) > len(letters(replacement))
    )
    # a word the recognizer got right, in another number or form than the listed name
    # ("Israelis" -> "Israeli", "Kurds" -> "Kurd", "Israel's is" -> "Israelis"), with
    # a short list of names (in any case: a list of the words a chapter says has
    # "remembers", not every "remembered" of it), a document's name or a demonym; in a
    # long list of every name of a call such words are as often the name the recognizer
    # mangled ("Adams" for Adam), and in a biasing list of lower-case rare words
    # endings are what recognizers drop ("ravish" for "ravished"): the model judges those
    return bool(known or replacement[:1].isupper() and (origin != "user" or ent.label == "NORP")) \
        and other_form(original, replacement, people=people)


def _reason(index: LexiconIndex, variant: Variant, f: Features, has_case: bool,
            evidence: Evidence | None, next_word: str) -> str:
    """Why a match (its ``variant`` written, its features ``f``) would be its change: what
    it sounds like, and what the whole transcript says of its name (a list of names known
    to be there)."""
    how = {"canonical": "", "alias": " (alias)", "surname": " (surname)", "given_name": " (given name)",
           "sounds_like": f" (listed as sounding like {variant.heard!r})",
           "part": f" (part of {index.entities[variant.entity].text!r})",
           "short": " (short given name)", "short_full": " (with a short given name)",
           "unmiddled": " (without the middle name)", "letters": " (said letter by letter)",
           "number": f" (plural or singular of {index.entities[variant.entity].text!r})"}[variant.kind]
    reason = (
        f"sounds like {variant.text!r}{how}: phonetic {f.psim:.2f}, spelling {f.csim:.2f}, "
        f"margin {f.margin:.2f}, word frequency {f.span_zipf_max:.1f}"
    )
    if evidence is not None:
        from .evidence import describe, same_sound

        said = describe(evidence)
        if said:
            reason += f"; in this transcript the name is {said}"
        if same_sound(f, has_case, evidence, next_word):
            reason += "; the same sound as those repairs, so the same spelling"
    return reason


def _previous_word(text: str, tokens: Sequence[Token], i: int) -> str:
    """The word right before token ``i``, with nothing but a space between ("" if none)."""
    if i <= 0 or text[tokens[i - 1].end:tokens[i].start] != " ":
        return ""
    return tokens[i - 1].text


def next_word(text: str, tokens: Sequence[Token], j: int) -> str:
    """The word right after token ``j - 1``, with nothing but a space between ("" if none)."""
    if j >= len(tokens) or text[tokens[j - 1].end:tokens[j].start] != " ":
        return ""
    return tokens[j].text
