"""The phoneme distance: Python, numpy and C give the same floats as the textbook recurrence."""

from __future__ import annotations

import random
from itertools import pairwise

import pytest

from respell import phoneset, phonetics, similarity


def test_vectorised_similarities_are_the_same_floats(sample_words):
    rng = random.Random(7)
    codes = [phonetics.phonemes(w) for w in sample_words]
    codes += [phonetics.phonemes(f"{a} {b}") for a, b in pairwise(sample_words)]
    pairs = list({(rng.choice(codes), rng.choice(codes)) for _ in range(600)})
    expected = [similarity.py_similarity(a, b) for a, b in pairs]
    got = similarity.similarities([p for p in pairs if p[0] and p[1]])
    assert got == [e for p, e in zip(pairs, expected) if p[0] and p[1]]


def test_warmed_cache_serves_phoneme_similarity(sample_words):
    pairs = [(phonetics.phonemes(a), phonetics.phonemes(b)) for a in sample_words for b in sample_words if a != b]
    phonetics.phoneme_similarity.cache_clear()
    phonetics.warm_similarities(pairs)
    assert len(phonetics.phoneme_similarity.cache) > 0
    for a, b in pairs[:50]:
        assert phonetics.phoneme_similarity(a, b) == phonetics.phoneme_similarity.__wrapped__(a, b)


def _textbook_similarity(a, b):
    """phoneme_similarity as the recurrence reads: a full table, min() of three moves."""
    ins, sub = similarity._indel_cost, similarity._sub_cost
    table = [[0.0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for j in range(1, len(b) + 1):
        table[0][j] = table[0][j - 1] + ins(b[j - 1])
    for i in range(1, len(a) + 1):
        table[i][0] = table[i - 1][0] + ins(a[i - 1])
        for j in range(1, len(b) + 1):
            table[i][j] = min(table[i - 1][j] + ins(a[i - 1]), table[i][j - 1] + ins(b[j - 1]),
                              table[i - 1][j - 1] + sub(a[i - 1], b[j - 1]))
    dist = table[-1][-1] if a != b else 0.0
    if not a and not b:
        return 1.0
    return max(0.0, 1.0 - dist / max(sum(ins(c) for c in a), sum(ins(c) for c in b)))


def test_phoneme_similarity_is_the_textbook_recurrence_to_the_bit(sample_words):
    rng = random.Random(11)
    codes = [phonetics.phonemes(w) for w in sample_words]
    codes += [phonetics.phonemes(f"{a} {b}") for a, b in pairwise(sample_words)]
    codes += ["", codes[0][:1]]
    pairs = {(rng.choice(codes), rng.choice(codes)) for _ in range(800)} | {(c, c) for c in codes}
    for a, b in pairs:
        assert similarity.py_similarity(a, b) == _textbook_similarity(a, b), (a, b)


@pytest.mark.skipif(similarity._phonedist is None, reason="the C distance was not built")
def test_c_similarity_gives_the_python_floats(sample_words):
    rng = random.Random(13)
    codes = [phonetics.phonemes(w) for w in sample_words]
    codes += [phonetics.phonemes(f"{a} {b}") for a, b in pairwise(sample_words)]
    codes += ["", codes[0][:1], "".join(codes)]  # the last is longer than the C stack buffers
    pairs = {(rng.choice(codes), rng.choice(codes)) for _ in range(1500)} | {(c, c) for c in codes}
    for a, b in pairs:
        assert phonetics.phoneme_similarity.__wrapped__(a, b) == similarity.py_similarity(a, b)
    # a phoneme the C costs do not have yet: they are set again
    fresh = phoneset.code_for("ʘ")  # a click: no English word has it
    word = codes[0] + fresh
    assert similarity.c_similarity(word, codes[1]) == similarity.py_similarity(word, codes[1])


def test_without_the_c_distance_python_and_numpy_serve(monkeypatch, sample_words):
    monkeypatch.setattr(similarity, "_phonedist", None)
    pairs = [(phonetics.phonemes(a), phonetics.phonemes(b)) for a in sample_words for b in sample_words if a != b]
    phonetics.phoneme_similarity.cache_clear()
    phonetics.warm_similarities(pairs)  # numpy's batches
    assert len(phonetics.phoneme_similarity.cache) > 0
    for a, b in pairs[:80]:
        assert phonetics.phoneme_similarity(a, b) == similarity.py_similarity(a, b)
    phonetics.phoneme_similarity.cache_clear()
