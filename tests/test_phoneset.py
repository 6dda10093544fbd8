"""The phoneme alphabet: one code per phoneme, and the broad classes blocking uses."""

from __future__ import annotations

import pytest

from respell.phoneset import (
    code_class,
    code_for,
    codes_of,
    consonant_skeleton,
    is_vowel,
    is_weak,
    reduce,
    symbol_of,
    symbols,
)


@pytest.mark.parametrize(("ipa", "expected"), [
    ("bˈɔːɹə", ["b", "ɔː", "ɹ", "ə"]),  # stress dropped, a long vowel is one phoneme
    ("tʃˈaɪ", ["tʃ", "aɪ"]),  # an affricate and a diphthong are one each
    ("fɚ", ["f", "ə", "ɹ"]),  # an r-coloured vowel's r made explicit...
    ("bˈɜːd", ["b", "ɜː", "ɹ", "d"]),
    ("bˈɜːɹd", ["b", "ɜː", "ɹ", "d"]),  # ... as espeak-ng writes it elsewhere
    ("a b", ["a", "b"]),
])
def test_codes_of_ipa(ipa, expected):
    assert symbols(codes_of(ipa)) == expected


def test_each_symbol_keeps_its_code():
    code = code_for("ʘ")  # a click: no English word has it
    assert len(code) == 1 and symbol_of(code) == "ʘ" and code_for("ʘ") == code


@pytest.mark.parametrize(("a", "b"), [("p", "b"), ("s", "z"), ("iː", "ɪ"), ("ʃ", "tʃ")])
def test_voicing_and_vowel_length_share_a_class(a, b):
    assert reduce(codes_of(a)) == reduce(codes_of(b))


def test_skeleton_keeps_the_consonants_in_order():
    codes = codes_of("sˌoʊlɪmˈɑːni")
    assert reduce(codes) == "SULIMUNI" and consonant_skeleton(codes) == "SLMN"
    assert [is_vowel(c) for c in codes] == [False, True, False, True, False, True, False, True]
    assert code_class(codes[0]) == "S"


@pytest.mark.parametrize(("symbol", "weak"), [("ə", True), ("h", True), ("ɪ", True), ("ɑː", False),
                                              ("t", False)])
def test_weak_sounds(symbol, weak):
    assert is_weak(code_for(symbol)) is weak
