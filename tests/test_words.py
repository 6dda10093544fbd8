"""Words of a transcript: tokens, letters, word frequencies."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from respell.words import letters, stem, tokenize, zipf, zipf_table


@pytest.mark.parametrize(("text", "words"), [
    ("Sola money's car, in Beirut.", ["Sola", "money's", "car", "in", "Beirut"]),
    ("d'Houdetot and O’Neil", ["d'Houdetot", "and", "O’Neil"]),
    ("covid-19 in 2021", ["covid", "19", "in", "2021"]),
    ("  ?! ", []),
])
def test_tokens_and_their_offsets(text, words):
    tokens = tokenize(text)
    assert [t.text for t in tokens] == words
    assert all(text[t.start:t.end] == t.text for t in tokens)


@pytest.mark.parametrize("text", ["Beirut", "Tora-Bora's", "Procter & Gamble", "İstanbul", "Q3", ""])
def test_letters_are_the_lower_case_letters_and_digits(text):
    assert letters(text) == "".join(ch for ch in text.lower() if ch.isalnum())


@pytest.mark.parametrize(("word", "expected"), [
    ("Bick's", "Bick"), ("Bick’s", "Bick"), ("BICK'S", "BICK"), ("Bicks", "Bicks"), ("s", "s"),
])
def test_stem_drops_a_possessive(word, expected):
    assert stem(word) == expected


def test_zipf_table_matches_wordfreq():
    from wordfreq import zipf_frequency

    table = zipf_table()
    for word in ["the", "money", "beirut", "soleimani", "commentators", "zavier"]:
        assert table.get(word, 0.0) == pytest.approx(zipf_frequency(word, "en"), abs=0.011)
    assert math.isclose(table["the"], zipf_frequency("the", "en"), abs_tol=0.011)


def test_zipf_of_cases_numbers_and_compounds():
    table = zipf_table()
    assert zipf("NASA") == table["nasa"]
    assert zipf("q3") == table["q3"]  # kept as written when the list has it
    assert zipf("2021") == zipf("1999") == table["0000"]  # else by shape
    assert zipf("co-op") == min(table["co"], table["op"])
    assert zipf("25%") == table["00"]
    assert zipf("trefzger") == zipf("--") == 0.0


def test_word_frequencies_do_not_import_wordfreq():
    # importing wordfreq and building its own table costs about 0.35 s a process
    code = (
        "import sys, respell; "
        "respell.fix('in 2021 the co-op sold 25% to Sola money', ['Qassem Soleimani']); "
        "print('wordfreq' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
