"""Words to phonemes: bulk conversion as one by one, the shipped table as espeak-ng."""

from __future__ import annotations

import random

from respell import phoneset, phonetics


def test_bulk_word_phonemes_equal_one_by_one(sample_words):
    fresh = [w + "ian" for w in sample_words]  # words no other test has converted
    bulk = phonetics.word_phonemes(fresh)
    phonetics._word_phonemes.cache_clear()
    phonetics.ipa.cache_clear()
    assert bulk == [phonetics._word_phonemes(w) for w in fresh]


def test_bulk_conversion_keeps_words_apart():
    # in "happier asia" espeak-ng links an r into the next word; the batches must not
    words = ["happier", "asia", "gardener", "operator"] * 3
    phonetics._word_phonemes.cache_clear()
    phonetics.ipa.cache_clear()
    bulk = phonetics.word_phonemes(words)
    alone = [phoneset.codes_of(" ".join(phonetics._espeak_clauses(w))) for w in words]
    assert bulk == alone
    linked = phonetics._espeak_clauses("happier asia")[0].split()[0]
    assert linked != phonetics._espeak_clauses("happier")[0].strip()  # the trap is real


def test_phoneme_table_gives_what_espeak_gives():
    table = phonetics._common_ipa()
    assert len(table) > 200_000, "the shipped table is missing or was made by another espeak-ng"
    sample = random.Random(0).sample(sorted(table), 300) + ["its", "outdated", "soleimani"]
    sample = [w for w in sample if w in table]
    assert [table[w] for w in sample] == [phonetics.ipa.__wrapped__(w) for w in sample]


def test_phoneme_table_is_used_only_after_many_new_words(monkeypatch):
    words = ["zanzibar", "quixotic", "marmalade"]
    phonetics._word_phonemes.cache_clear()
    monkeypatch.setattr(phonetics, "_converted", 0)
    monkeypatch.setattr(phonetics, "_table", None)
    first = phonetics.word_phonemes(words)
    assert phonetics._table is None  # a few words: no table read
    phonetics._word_phonemes.cache_clear()
    monkeypatch.setattr(phonetics, "_converted", phonetics._TABLE_AFTER)
    monkeypatch.setattr(phonetics, "_espeak_clauses", None)  # espeak-ng must not be needed
    assert phonetics.word_phonemes(words) == first
    assert phonetics._table


def test_phoneme_table_of_another_espeak_is_not_used(monkeypatch):
    monkeypatch.setattr(phonetics, "_table", None)
    monkeypatch.setattr(phonetics, "espeak_version", lambda: "0.0.1")
    assert phonetics._common_ipa() == {}


def test_missing_phoneme_table_means_converting_every_word(monkeypatch, caplog):
    monkeypatch.setattr(phonetics, "_table", None)
    monkeypatch.setattr(phonetics, "TABLE_FILE", "no-such-table.txt.gz")
    assert phonetics._common_ipa() == {}
    assert "phoneme table unreadable" in caplog.text
