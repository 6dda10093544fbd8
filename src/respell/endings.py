"""The s said at a name's end: a possessive, a plural, or the name's own sound.

A recognizer writes a name's last s as it hears it: "Kaksinskis" for Kaczyński's, "Mayer's"
for Meyers, "two Paters" for two Péters. These decide which it is, once a match has
passed the rules that judge the name itself (:mod:`respell.proposals`).
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from . import phonetics
from .diminutives import is_given_name
from .phoneset import symbol_of
from .words import COMMON_ZIPF, POSSESSIVE, letters, stem, zipf

if TYPE_CHECKING:
    from .variants import Variant

# How much better a plain s ending said must be heard with the name's possessive than
# without it to be kept (phoneme similarity; "footables" of Ufotable: 0.59 -> 0.76).
_S_SAID_GAIN = 0.08
# Words that follow a name said with its s far more often than they follow its possessive.
_PREPOSITIONS = frozenset(["of", "on", "from", "at", "with", "in", "for", "to", "by", "and", "or", "as"])


def with_possessive(replacement: str, name: str, last: str) -> str:
    """The name written with the possessive 's of the last word said, unless it has one, or
    holds that s already ("Albans"), or ends with an s sound of its own, which the
    recognizer wrote as a possessive ("Mayer's" is Meyers, "Corta's" Ocasio-Cortez,
    "Lewis R's" Luis Arce), unless the word said has the possessive's syllable too
    ("Choice's" is Joyce's); nor where the name sounds as much like the word said without
    the s as with it: the recognizer's s was then a sound of the name ("Mary R's" is Mari
    Arzak, its z)."""
    suffix = POSSESSIVE.search(last)
    if not suffix or POSSESSIVE.search(replacement) or letters(name).endswith(letters(last)) \
            or replacement[-1:] in ("s", "z", "x"):
        return replacement
    own = name.split()[-1] if name.split() else name
    codes = phonetics.phonemes.each([last, own, own + "'s"])
    bare, possessive = (phonetics.phoneme_similarity(codes[0], c) for c in codes[1:])
    if codes[1] and symbol_of(codes[1][-1]) in ("s", "z"):
        if possessive < bare + _S_SAID_GAIN:
            return replacement  # "Lewis R's" is Luis Arce, the s said the name's own
    elif possessive <= bare:
        return replacement  # "Mary R's" is Mari Arzak, the s said the z of the name
    return replacement + suffix.group()


#: What a change's reason says of the ending :func:`said_ending` gave it.
ENDING_REASONS = {"": "", "s": "; the s said after it kept as a plural",
                  "'s": "; the s said after it kept as a possessive"}


def said_ending(said: str, replacement: str, variant: Variant, label: str | None,
                before: str, after: str) -> str | None:
    """What to write after the name for an s said at the words' end: "s" (its plural, after
    a word that counts), "'s" (its possessive), "" (nothing more), or None where the words
    are an ordinary word's plural and no name at all (``before`` and ``after``: the word
    before the words, the text after them)."""
    if plural_said(said, replacement, variant, label, before):
        return "s"
    if s_said(said, replacement, variant, label, after):
        return "'s"
    if plural_of_a_word(said, replacement, variant, label):
        return None
    return ""


def s_said(said: str, replacement: str, variant: Variant, label: str | None,
           after: str = " ") -> bool:
    """Whether the last word said ends in an s the name lacks and the sound holds: the
    recognizer's plain s after a name ("footables" for Ufotable's, "Kaksinskis" for
    Kaczyński's, "Dakas" for Dhaka's), written back as the possessive it nearly always is
    (81 of 88 such endings in the talk episodes' texts; "Two Orbáns" is the rest). Asked
    once the ``replacement`` (the name as it will be written) has passed every other
    rule, so that they judge the name, not its possessive.

    Not where the last word is an ordinary word (Zipf >= 3: "Bishops", "birds", "ties",
    the recognizer's own word, its s as likely its own), nor where the name ends in an s
    sound of its own, nor for a demonym's number ("canyons" is Kenyans, written by the
    demonym's plural), nor for a given name, which the surname mostly follows, its first
    sound often heard as that s ("Vickers one banyama" is Victor Wembanyama). Nor where
    the text ``after`` the words gives a possessive no noun to go with: punctuation
    straight after ("Abby Goldsteins, senior vice president") or a preposition ("Hassan
    Mullins on Scotiabank" is Jason Mollin of Scotiabank). And only where the s is
    better heard with the name than without it ("Mathis" of Matisse, who ends in one),
    and only for a name written with a capital: a listed common word's plural is its
    plural or its "is" ("pecuniary decencies put away" is "decency is put away").

    >>> from respell.variants import Variant
    >>> v = Variant("Ufotable", "Ufotable", 0, "canonical")
    >>> s_said("footables", "Ufotable", v, "ORG"), s_said("footable", "Ufotable", v, "ORG")
    (True, False)
    >>> s_said("Mathis", "Matisse", Variant("Matisse", "Matisse", 0, "canonical"), "PERSON")
    False
    >>> s_said("decencies", "decency", Variant("decency", "decency", 0, "canonical"), None)
    False
    """
    last = said.split()[-1].lower() if said.split() else ""
    following = after.split()[0].lower() if after.split() else ""
    if (not _s_the_name_lacks(said, replacement, variant, label)
            or zipf(last) >= COMMON_ZIPF or variant.kind in ("given_name", "short")
            or not after[:1].isspace() or following in _PREPOSITIONS):
        return False
    return _better_heard_with(said, variant.heard, "'s")


# Words that count what follows them: a name said after one with an s is its plural.
_COUNTING = frozenset(["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                       "both", "several", "many", "few", "these", "those"])


def plural_said(said: str, replacement: str, variant: Variant, label: str | None,
                before: str) -> bool:
    """Whether the words said are the name's plural: after a word that counts ("two Paters"
    is "two Péters", "two painters" too, "So, two tall-gwa" no plural), the last word ends
    in an s the name lacks, and the name is better heard with it than without. Written
    as the plural, not left out (the number said is kept) and not as a possessive. Not
    for a demonym (its plural is its own variant) nor a name that ends in a hiss.

    >>> from respell.variants import Variant
    >>> v = Variant("Péter", "Péter", 0, "given_name")
    >>> plural_said("Paters", "Péter", v, "PERSON", "two"), plural_said("Paters", "Péter", v, "PERSON", "the")
    (True, False)
    """
    return (before.lower() in _COUNTING and _s_the_name_lacks(said, replacement, variant, label)
            and _better_heard_with(said, variant.heard, "s"))


def name_ends_at_possessive(said: str, name: str) -> bool:
    """Whether a word said before the last is one of the name's words, spelled right, with
    a possessive 's: the name ends there, what follows is what it owns ("Manny's barrio"
    is no Manny Pacquiao). Not where that s may be heard for the name's next word's first
    sound ("Antonio's in Bugeo" is António Zambujo) or the word's own last one ("Norges"),
    nor where the words after it sound like the rest of the name ("Randy's dirt" is
    Randy Dearth).

    >>> name_ends_at_possessive("Manny's barrio", "Manny Pacquiao")
    True
    >>> name_ends_at_possessive("Antonio's in Bugeo", "António Zambujo")
    False
    >>> name_ends_at_possessive("Jerry's law", "Jarosław")
    False
    >>> name_ends_at_possessive("Randy's dirt", "Randy Dearth")
    False
    """
    said_words, name_words = said.split(), name.split()
    for w, word in enumerate(said_words[:-1]):
        if not POSSESSIVE.search(word):
            continue
        base = _unaccented(letters(stem(word)))
        for k, own in enumerate(name_words[:-1]):
            own_letters = _unaccented(letters(own))
            if own_letters != base or own_letters[-1:] in ("s", "z", "x"):
                continue
            following = phonetics.phonemes(name_words[k + 1])
            if following and symbol_of(following[0]) in _HISSING:
                continue
            rest = phonetics.phonemes.each([" ".join(said_words[w + 1:]),
                                            " ".join(name_words[k + 1:])])
            if phonetics.phoneme_similarity(*rest) < _REST_HEARD:
                return True
    return False


#: How like the rest of the name the words after a possessive must sound for the
#: possessive to be the recognizer's ("Randy's dirt" is Randy Dearth, 0.73; "Alison's
#: addition" Alison Dean, 0.51; "Manny's barrio" no Manny Pacquiao, 0.43).
_REST_HEARD = 0.5


_HISSING = frozenset(["s", "z", "ʃ", "ʒ", "tʃ", "dʒ"])


def _unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def plural_of_a_word(said: str, replacement: str, variant: Variant, label: str | None) -> bool:
    """Whether the one word said is an ordinary word's plural whose singular is what sounds
    like the name: "tangents" is no Tangen ("tangent" is nearer the name than "tangents"),
    nor "spores" Støre. Writing the name would drop an s the recognizer heard and leave
    the plural of a word it knows unsaid. Not where the s is nearer the name than not
    ("Lies" is Lise), nor where the singular is rare ("Vickers" may be Victor), nor for a
    given name ("Rogers" may be Rodger), nor for the name and its s ("Michaels" for
    Michael, "Adams" for Adam: :func:`respell.wordforms.number_only` judges those).

    >>> from respell.variants import Variant
    >>> plural_of_a_word("tangents", "Tangen", Variant("Tangen", "Tangen", 0, "surname"), "PERSON")
    True
    >>> plural_of_a_word("Lies", "Lise", Variant("Lise", "Lise", 0, "given_name"), "PERSON")
    False
    """
    if len(said.split()) != 1 or variant.kind in ("given_name", "short") \
            or not _s_the_name_lacks(said, replacement, variant, label):
        return False
    singular = said.lower()[:-1]
    if zipf(singular) < COMMON_ZIPF or is_given_name(singular) \
            or letters(singular) == letters(replacement):
        return False
    codes = phonetics.phonemes.each([said, singular, variant.heard])
    return phonetics.phoneme_similarity(codes[1], codes[2]) > phonetics.phoneme_similarity(codes[0], codes[2])


def _s_the_name_lacks(said: str, replacement: str, variant: Variant, label: str | None) -> bool:
    """Whether the last word said ends in a plain s that the name, written with a capital,
    lacks: not a demonym (its number is its own variant) nor a name that ends in a hiss
    or is a possessive already."""
    last = said.split()[-1].lower() if said.split() else ""
    return (last.isalpha() and last.endswith("s") and not last.endswith(("ss", "us"))
            and replacement[:1].isupper() and label != "NORP" and variant.kind != "number"
            and not POSSESSIVE.search(replacement)
            and letters(replacement)[-1:] not in ("s", "z", "x"))


def _better_heard_with(said: str, heard: str, ending: str) -> bool:
    """Whether the words said sound more like the name with ``ending`` than without it."""
    codes = phonetics.phonemes(said)
    bare = phonetics.phoneme_similarity(codes, phonetics.phonemes(heard))
    return phonetics.phoneme_similarity(codes, phonetics.phonemes(heard + ending)) >= bare + _S_SAID_GAIN
