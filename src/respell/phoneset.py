"""The phoneme alphabet: each IPA symbol as one character, and its broad sound class.

A phoneme string holds one character (a code from :data:`FIRST_CODE` on) per
phoneme, so that rapidfuzz and the edit distance compare phonemes, not bytes.
Codes are given out as symbols are first seen, once per process. :func:`reduce`
maps a phoneme string to broad sound classes (voicing merged, vowels in five
groups), :func:`consonant_skeleton` to its consonant classes, for blocking.

>>> codes = codes_of("sˌoʊlɪmˈɑːni")
>>> len(codes), reduce(codes), consonant_skeleton(codes)
(8, 'SULIMUNI', 'SLMN')
"""

from __future__ import annotations

import re

# Multi-character IPA symbols that are one phoneme; longest first.
_MULTI = ("aɪə", "aʊə", "oʊ", "eɪ", "aɪ", "aʊ", "ɔɪ", "tʃ", "dʒ", "ɑː", "iː", "uː", "ɔː", "ɜː", "əʊ", "eə", "ɪə", "ʊə")
_MULTI_RE = re.compile("|".join(map(re.escape, _MULTI)) + r"|.", re.DOTALL)
_DROP = set("ˈˌ-‿ .,'") | {"ː"}

# Broad classes: (class char, group) per phoneme. Vowels share groups by quality,
# consonants by place/manner with voicing merged.
_CONSONANT_CLASSES = {
    "p": "P", "b": "P",
    "t": "T", "d": "T", "ɾ": "T", "ʔ": "T",
    "k": "K", "ɡ": "K", "g": "K", "x": "K",
    "f": "F", "v": "F",
    "θ": "H", "ð": "H",
    "s": "S", "z": "S",
    "ʃ": "C", "ʒ": "C", "tʃ": "C", "dʒ": "C",
    "m": "M", "n": "N", "ŋ": "N",
    "l": "L", "ɹ": "R", "r": "R",
    "w": "W", "j": "Y", "h": "",
}
_VOWEL_CLASSES = {
    # front/close
    "i": "I", "iː": "I", "ɪ": "I", "ᵻ": "I", "e": "I", "ɪə": "I", "i.": "I",
    # mid/central
    "ə": "A", "ɐ": "A", "ʌ": "A", "ɜː": "A", "ɚ": "A", "ɛ": "A", "æ": "A", "a": "A", "eə": "A", "ɜ": "A",
    # back/round
    "u": "U", "uː": "U", "ʊ": "U", "o": "U", "oʊ": "U", "ɔ": "U", "ɔː": "U", "ɑ": "U", "ɑː": "U",
    "ɒ": "U", "əʊ": "U", "ʊə": "U",
    # diphthongs
    "eɪ": "E", "aɪ": "Y", "aɪə": "Y", "aʊ": "W", "aʊə": "W", "ɔɪ": "U",
}
_WEAK = {"ə", "ɐ", "ᵻ", "ɪ", "h", "ʔ"}  # cheap to insert or delete

# process-wide (see respell.state): a code, once given to a symbol, stands for it for good
_symbol_to_code: dict[str, str] = {}
_code_to_symbol: dict[str, str] = {}


# str.translate tables from phoneme codes to broad classes and to consonant classes.
_TO_CLASS: dict[int, str] = {}
_TO_CONSONANT: dict[int, str] = {}


FIRST_CODE = 0x4E00


def _code(symbol: str) -> str:
    """The code of one IPA symbol, given the next free one when it is new."""
    code = _symbol_to_code.get(symbol)
    if code is None:
        code = chr(FIRST_CODE + len(_symbol_to_code))  # one char per phoneme
        _symbol_to_code[symbol] = code
        _code_to_symbol[code] = symbol
        klass = _class_of(symbol)
        _TO_CLASS[ord(code)] = klass
        _TO_CONSONANT[ord(code)] = "" if klass in ("I", "A", "U", "E", "Y", "W") else klass
    return code


# espeak-ng leaves the r of an r-coloured vowel implicit ("for" fɚ, "bird" bˈɜːd) but
# writes it out elsewhere ("Bora" bˈɔːɹə); made explicit, the two compare alike.
_R_COLOURED = re.compile("ɚɹ?|ɜː(?!ɹ)")


def _explicit_r(match: re.Match) -> str:
    return "ɜːɹ" if match.group().startswith("ɜ") else "əɹ"


def codes_of(ipa_text: str) -> str:
    """An IPA string as a phoneme string: one code per phoneme, stress and spaces dropped.

    >>> symbols(codes_of("bˈɔːɹə"))
    ['b', 'ɔː', 'ɹ', 'ə']
    """
    ipa_text = _R_COLOURED.sub(_explicit_r, ipa_text)
    code = _symbol_to_code.get
    return "".join([
        code(sym) or _code(sym) for sym in _MULTI_RE.findall(ipa_text)
        if sym not in _DROP and not sym.isspace()
    ])


def symbols(codes: str) -> list[str]:
    """The IPA symbols behind a phoneme string (for reports and debugging)."""
    return [_code_to_symbol[c] for c in codes]


def _class_of(symbol: str) -> str:
    if symbol in _CONSONANT_CLASSES:
        return _CONSONANT_CLASSES[symbol]
    if symbol in _VOWEL_CLASSES:
        return _VOWEL_CLASSES[symbol]
    base = symbol[:1]
    if base in "aeiouɑɔəɛɪʊʌæɐɜɚᵻɒ":
        return "A"
    return symbol.upper()[:1] or "?"


def code_class(code: str) -> str:
    """The broad sound class of one phoneme code ("P", "T", ... for consonants; "I", "A",
    "U", "E", "Y", "W" for vowels)."""
    return _TO_CLASS[ord(code)]


def reduce(codes: str) -> str:
    """Broad sound classes of a phoneme string (voicing merged, vowels in 5 groups, h dropped)."""
    return codes.translate(_TO_CLASS)


def consonant_skeleton(codes: str) -> str:
    """The consonant classes of a phoneme string, in order (used as index keys)."""
    return codes.translate(_TO_CONSONANT)


def is_vowel(code: str) -> bool:
    """Whether a phoneme code is a vowel (w and j, which share the glides' classes, are not)."""
    return code_class(code) in ("I", "A", "U", "E", "Y") and _code_to_symbol[code] not in ("w", "j")


def symbol_of(code: str) -> str:
    """The IPA symbol of one phoneme code."""
    return _code_to_symbol[code]


def is_weak(code: str) -> bool:
    """Whether a phoneme is cheap to insert or delete (schwa, a reduced vowel, h, a glottal stop)."""
    return _code_to_symbol[code] in _WEAK


def n_codes() -> int:
    """How many phoneme codes are given out so far (codes run from FIRST_CODE on)."""
    return len(_symbol_to_code)


def code_for(symbol: str) -> str:
    """The code of one IPA symbol, a new one when it is new (as :func:`codes_of` gives).

    >>> symbol_of(code_for("ʘ"))
    'ʘ'
    """
    return _symbol_to_code.get(symbol) or _code(symbol)
