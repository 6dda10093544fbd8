"""Whose name a span can be, beside the name it sounds like: a part of the name written
right and said alone (:func:`own_part`), or another person who shares the name's given
name (:func:`other_person`). :func:`respell.rules.out_of_place` and
:func:`respell.correct.proposals` ask these before a match becomes a change.

>>> own_part("Robert Kennedy", "Robert F. Kennedy Jr.")
True
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz

from . import phonetics
from .variants import NAME_SUFFIXES, surname_of
from .words import POSSESSIVE, Token, letters, spaced, stem, zipf


def own_part(original: str, name: str) -> bool:
    """Whether ``original`` is a run of fewer words of ``name`` spelled right (any case or
    spacing, a possessive aside): a part of the name said alone.

    >>> own_part("Soleimani's", "Qassem Soleimani"), own_part("can Bowling", "Ken Bowling")
    (True, False)
    >>> own_part("JP Morgan", "JPMorgan Chase")
    True

    Initials and a suffix are left out of what was said ("Robert Kennedy" is a part of
    Robert F. Kennedy Jr.: no editor writes in the "F." nobody said):

    >>> own_part("Robert Kennedy", "Robert F. Kennedy Jr."), own_part("JK Rowling", "J. K. Rowling")
    (True, False)
    """
    said = "".join(letters(POSSESSIVE.sub("", w)) for w in original.split())
    words = [letters(w) for w in name.split()]
    core = [w for w in words if len(w) > 1 and w not in NAME_SUFFIXES]
    return bool(said) and any(
        "".join(run[a:b]) == said
        for run in (words, core) for a in range(len(run)) for b in range(a + 1, len(run) + 1)
        if b - a < len(words)
    )


def other_person(text: str, tokens: Sequence[Token], i: int, j: int, kind: str, name: str,
                 has_case: bool = True, *, repaired_elsewhere: bool = False) -> bool:
    """Whether the given name said, and the surname said with it (the span's second word,
    or the word right after a given name alone), are another person than the listed
    person ``name``, whose surname the transcript writes right elsewhere, or whose name
    was ``repaired_elsewhere`` with a strong score (see :func:`another_person`): the
    recognizer heard that name as other words there, so a surname it knows, sounding
    little like it, beside the given name is another person's ("Mitchell Marsh" where
    "Mitchell Stark" was repaired to Mitchell Starc).

    >>> from .words import tokenize
    >>> t = "Stephen Colbert is out. Steven Spielberg was a guest on Colbert."
    >>> other_person(t, tokenize(t), 4, 6, "canonical", "Stephen Colbert")
    True
    """
    if kind in ("canonical", "alias", "unmiddled") and j - i == 2:
        said = tokens[i].text, tokens[i + 1].text
    elif kind in ("given_name", "short") and j - i == 1 and j < len(tokens) and spaced(
        text, tokens, j
    ):
        said = tokens[i].text, tokens[j].text
    else:
        return False
    # (asked last: the transcript is searched for the name's surname written right)
    if not another_person(*said, name, has_case=has_case):
        return False
    surname = surname_of(name)
    if _written_in(tokens, surname, has_case):
        return True
    # repaired elsewhere, the surname said must be spelled little like the name's too:
    # espeak-ng's guess at a rare surname's sound may be far from the recognizer's ("sam
    # ari" is still Sam Arie, 0.86 alike in letters)
    return repaired_elsewhere and (
        fuzz.ratio(stem(said[1]).lower(), surname.lower()) < OTHER_SURNAME_LETTERS
    )


def _written_in(tokens: Sequence[Token], word: str, has_case: bool) -> bool:
    """Whether ``word`` is written right (in any case without capitals), as a word or its
    possessive, among ``tokens``."""
    if not has_case:
        word = word.lower()
        return any(t.text.lower() == word or stem(t.text.lower()) == word for t in tokens)
    return any(t.text == word or stem(t.text) == word for t in tokens)


def another_person(given: str, surname: str, name: str, *, has_case: bool = True) -> bool:
    """Whether a given name and a surname said, both capitalised, are another person than
    ``name``: the given name a common one with the sound of the name's, the surname a
    word the recognizer knows that sounds little like the name's. Without capitals, where
    any word may follow a given name ("mark clearly" is Mark Connelly, "chris uh" Kris),
    the surname must be a word rarer than ordinary ones ("steven spielberg").

    A caller asks only where the recognizer wrote the listed name right elsewhere: it
    knows that name, so another surname beside the given name is another person's
    (where it never wrote it, "Jason Smith" is its Jaeson Schmidt).

    >>> another_person("Steven", "Spielberg", "Stephen Colbert")
    True
    >>> another_person("Jensen", "Wong", "Jensen Huang")  # a rare given name: a garble
    False
    >>> another_person("Seth", "Myers", "Seth Meyers")
    False
    """
    words = name.split()
    if len(words) < 2 or has_case and not (given[:1].isupper() and surname[:1].isupper()):
        return False
    known = zipf(stem(surname).lower())
    most = _COMMON_CAPITAL_ZIPF if has_case else _UNCASED_NAME_ZIPF
    if zipf(given.lower()) < _COMMON_GIVEN_ZIPF or not KNOWN_NAME_ZIPF <= known < most:
        return False  # (a word more common than that is the sentence's: "Chris I'll touch on")
    codes = phonetics.phonemes.each([given, stem(surname), words[0], surname_of(name)])
    return (phonetics.phoneme_similarity(codes[0], codes[2]) >= SAME_GIVEN_PSIM
            and phonetics.phoneme_similarity(codes[1], codes[3]) < OTHER_SURNAME_PSIM)


_COMMON_GIVEN_ZIPF = 4.0  # "Steven" 4.2, "Chris" 4.8; "Jensen" 3.6, "Pierre" 4.0
KNOWN_NAME_ZIPF = 3.0  # "Spielberg" 3.1, "Wallace" 4.1
_COMMON_CAPITAL_ZIPF = 5.0  # "I'll", "And": no surname
_UNCASED_NAME_ZIPF = 4.0  # without capitals, a surname is rarer: "spielberg" 3.1, "clearly" 4.6
SAME_GIVEN_PSIM = 0.9
OTHER_SURNAME_PSIM = 0.6  # "Spielberg" for Colbert 0.55; "Rodriguez" for Rodrigo 0.67
#: rapidfuzz's ratio: "Marsh" for Starc 40; "ari" for Arie 86, "Smith" for Schmidt 67
OTHER_SURNAME_LETTERS = 60
