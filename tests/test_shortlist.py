"""The shortlist of a span search: both prefilters find what comparing every pair finds."""

from __future__ import annotations

import random

import numpy as np
import pytest

from respell import phonetics, shortlist
from respell.index import LexiconIndex
from respell.lexicon import Lexicon
from respell.shortlist import prefilter
from respell.words import tokenize


def _pairs(qs, es, ss):
    return sorted(set(zip(np.asarray(qs).tolist(), np.asarray(es).tolist(), np.asarray(ss).tolist())))


def _every_pair(index, reduced, skeletons, cutoff):
    """The prefilter's pairs found the obvious way: each span against each entry."""
    from rapidfuzz.distance import Levenshtein

    from respell.index import blocking_keys, key_mask

    out = []
    for q, (text, skeleton) in enumerate(zip(reduced, skeletons)):
        mask = key_mask(blocking_keys(skeleton))
        for e, other in enumerate(index.reduced):
            sim = Levenshtein.normalized_similarity(text, other, score_cutoff=cutoff)
            if sim and mask & int(index.masks[e]):
                out.append((q, e, float(np.float32(sim))))
    return sorted(out)


def _spans(text, longest=3):
    codes = [phonetics.phonemes(t.text) for t in tokenize(text)]
    reduced, skeletons = [], []
    for i in range(len(codes)):
        for j in range(i + 1, min(len(codes), i + longest) + 1):
            c = "".join(codes[i:j])
            reduced.append(phonetics.reduce(c))
            skeletons.append(phonetics.consonant_skeleton(c)[:3])
    return reduced, skeletons


def test_brute_force_prefilter_finds_the_blocked_pairs(monkeypatch, sample_words):
    text = "we met liz sly on the bay loop with sola money and the torah for a caves"
    lex = Lexicon.from_entries(["Liz Sly", "Beirut", "Qassem Soleimani", "Tora Bora", *sample_words])
    index = LexiconIndex(lex)
    reduced, skeletons = _spans(text)
    brute = prefilter(index, reduced, skeletons, 0.6)
    monkeypatch.setattr(shortlist, "_BRUTE_FORCE_PAIRS", 0)
    blocked = prefilter(index, reduced, skeletons, 0.6)
    assert len(brute[0]) > 5
    assert _pairs(*brute) == _pairs(*blocked)


@pytest.mark.parametrize("cutoff", [0.599, 0.6, 0.75])
def test_both_prefilters_find_what_comparing_every_pair_finds(monkeypatch, cutoff, sample_words):
    # names and garbles of many lengths, several entries sounding alike (one string, many entries)
    names = ["Liz Sly", "Beirut", "Qassem Soleimani", "Tora Bora", "Tora", "Torah", "Bora",
             "Sola Money", *sample_words, *(w.capitalize() + "s" for w in sample_words)]
    text = ("we met liz sly on the bay loop with sola money and the torah for a caves, "
            "the commentator said gonzales and juan met a happy gardener in asia and bora bora")
    index = LexiconIndex(Lexicon.from_entries(names))
    reduced, skeletons = _spans(text, longest=4)
    expected = _every_pair(index, reduced, skeletons, cutoff)
    assert len(expected) > 20
    assert _pairs(*prefilter(index, reduced, skeletons, cutoff)) == expected
    monkeypatch.setattr(shortlist, "_BRUTE_FORCE_PAIRS", 0)
    assert _pairs(*prefilter(index, reduced, skeletons, cutoff)) == expected


@pytest.mark.parametrize(("first_entry", "one_key_from"), [
    (0, 0),  # one sort key
    (2**40, 0),  # too wide for one key: three
    (0, 10**9),  # few pairs: three
])
def test_best_of_keeps_the_best_pairs_of_each_span_once(monkeypatch, first_entry, one_key_from):
    monkeypatch.setattr(shortlist, "_ONE_KEY_PAIRS", one_key_from)

    rng = random.Random(3)
    sims = {}  # one similarity per (span, entry), ties common
    pairs = [(q, e, sims.setdefault((q, e), rng.choice([0.6, 0.7, 0.75, 0.8, 1.0])))
             for q, e in ((rng.randrange(20), first_entry + rng.randrange(50))
                          for _ in range(400))]
    pairs += pairs[:100]  # some given twice
    qs, es, ss = (np.array(col) for col in zip(*pairs))
    got = shortlist.best_of(qs, es, ss.astype(np.float32), 5)
    expected = {}
    for q, e, s in sorted(set(pairs), key=lambda p: (p[0], -p[2], p[1])):
        expected.setdefault(q, []).append((e, float(np.float32(s))))
    assert list(got) == sorted(expected)
    assert {q: v for q, v in got.items()} == {q: v[:5] for q, v in expected.items()}


def test_kept_pairs_are_what_nonzero_finds():
    rng = np.random.default_rng(5)
    for shape in [(7, 13), (1, 5), (0, 4), (30, 1)]:
        scores = np.where(rng.random(shape) < 0.2, rng.random(shape), 0.0).astype(np.float32)
        rows, cols, sims = shortlist.kept_pairs(scores)
        expected = np.nonzero(scores)
        assert rows.tolist() == expected[0].tolist() and cols.tolist() == expected[1].tolist()
        assert sims.tolist() == scores[expected].tolist()
