"""The s said at a name's end: a possessive, a plural, or the name's own sound.

A recognizer writes a name's last s as it hears it: "Kaksinskis" for Kaczyński's, "Mayer's"
for Meyers, "two Paters" for two Péters. These decide which it is, once a match has
passed the rules that judge the name itself (:mod:`respell.proposals`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import phonetics
from .words import COMMON_ZIPF, POSSESSIVE, letters, zipf

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
    recognizer wrote as a possessive ("Mayer's" is Meyers, "Corta's" Ocasio-Cortez)."""
    suffix = POSSESSIVE.search(last)
    if not suffix or POSSESSIVE.search(replacement) or letters(name).endswith(letters(last)) \
            or replacement[-1:] in ("s", "z", "x"):
        return replacement
    return replacement + suffix.group()


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
