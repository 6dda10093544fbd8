"""The fast paths give exactly what the plain ones give.

Each speed-up in the matcher (bulk word conversion, vectorised similarities,
brute-force prefiltering of small searches, plain-name lexicons, the wordfreq
table read directly) is checked here against the slower path it replaces.
"""

import math
import random
import subprocess
import sys
from itertools import pairwise

import numpy as np
import pytest

from respell import phoneset, phonetics, shortlist, similarity
from respell._memo import memo
from respell.index import LexiconIndex
from respell.lexicon import Entity, Lexicon, Variant
from respell.match import find_matches
from respell.shortlist import prefilter
from respell.words import tokenize, zipf_table

WORDS = [
    "soleimani", "beirut", "musharraf", "leocadia", "xavier", "tora", "bora", "commentators",
    "gonzalez", "juan", "reiner", "trefzger", "detlef", "happier", "gardener", "celia", "asia",
    "paula", "vizier", "operator", "liquor", "winchester", "chancellor",
]


def test_memo_each_and_put_agree_with_calls():
    calls = []

    @memo(100)
    def double(x):
        calls.append(x)
        return 2 * x

    assert double.each([1, 2, 1]) == [2, 4, 2]
    assert calls == [1, 2]
    double.put(7, 99)
    assert double(7) == 99 and double.each([7, 2]) == [99, 4]


def test_memo_is_bounded():
    @memo(3)
    def ident(x):
        return x

    for k in range(10):
        ident(k)
    assert len(ident.cache) <= 3


def test_bulk_word_phonemes_equal_one_by_one():
    fresh = [w + "ian" for w in WORDS]  # words no other test has converted
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


def test_vectorised_similarities_are_the_same_floats():
    rng = random.Random(7)
    codes = [phonetics.phonemes(w) for w in WORDS]
    codes += [phonetics.phonemes(f"{a} {b}") for a, b in pairwise(WORDS)]
    pairs = list({(rng.choice(codes), rng.choice(codes)) for _ in range(600)})
    expected = [similarity.py_similarity(a, b) for a, b in pairs]
    got = similarity.similarities([p for p in pairs if p[0] and p[1]])
    assert got == [e for p, e in zip(pairs, expected) if p[0] and p[1]]


def test_warmed_cache_serves_phoneme_similarity():
    pairs = [(phonetics.phonemes(a), phonetics.phonemes(b)) for a in WORDS for b in WORDS if a != b]
    phonetics.phoneme_similarity.cache_clear()
    phonetics.warm_similarities(pairs)
    assert len(phonetics.phoneme_similarity.cache) > 0
    for a, b in pairs[:50]:
        assert phonetics.phoneme_similarity(a, b) == phonetics.phoneme_similarity.__wrapped__(a, b)


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


def test_brute_force_prefilter_finds_the_blocked_pairs(monkeypatch):
    text = "we met liz sly on the bay loop with sola money and the torah for a caves"
    lex = Lexicon.from_entries(["Liz Sly", "Beirut", "Qassem Soleimani", "Tora Bora", *WORDS])
    index = LexiconIndex(lex)
    reduced, skeletons = _spans(text)
    brute = prefilter(index, reduced, skeletons, 0.6)
    monkeypatch.setattr(shortlist, "_BRUTE_FORCE_PAIRS", 0)
    blocked = prefilter(index, reduced, skeletons, 0.6)
    assert len(brute[0]) > 5
    assert _pairs(*brute) == _pairs(*blocked)


@pytest.mark.parametrize("cutoff", [0.599, 0.6, 0.75])
def test_both_prefilters_find_what_comparing_every_pair_finds(monkeypatch, cutoff):
    # names and garbles of many lengths, several entries sounding alike (one string, many entries)
    names = ["Liz Sly", "Beirut", "Qassem Soleimani", "Tora Bora", "Tora", "Torah", "Bora",
             "Sola Money", *WORDS, *(w.capitalize() + "s" for w in WORDS)]
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


def test_candidates_do_not_depend_on_the_search_strategy(monkeypatch):
    text = "Liz sly flew to big dad, then sola money spoke in the bay loop."
    lex = Lexicon.from_entries(["Liz Sly", "Baghdad", "Qassem Soleimani", "Beirut", *WORDS])
    tokens = tokenize(text)
    small = find_matches(text, tokens, LexiconIndex(lex)).matches
    monkeypatch.setattr(shortlist, "_BRUTE_FORCE_PAIRS", 0)
    big = find_matches(text, tokens, LexiconIndex(lex)).matches
    def key(c):
        return c.i, c.j, c.entry

    assert sorted(map(key, small)) == sorted(map(key, big))
    assert len(small) > 3


def test_plain_name_lexicon_behaves_like_the_general_one():
    names = ["Beirut", "Soleimani", "Leocadia", "Xavier"]
    plain = Lexicon.from_entries(names)
    general = Lexicon.from_entries([Entity(n) for n in names])
    assert plain == general
    assert list(plain.variants) == list(general.variants)
    assert plain.variants[-1] == Variant("Xavier", "Xavier", 3, "canonical")
    assert plain.entities[1] is plain.entities[1]  # made once
    assert [e.text for e in plain] == names


def test_bulk_forms_equal_forms_added_one_by_one():
    from respell.index import Forms

    heard = ["Beirut", "Bick's", "Soleimani's", "Musharraf", "d'Houdetot", "Tora Bora", "?!"]
    bulk, single = Forms(), Forms()
    bulk.ids_of(heard)
    for h in heard:
        single.id_of[h] = single._add(h)
    for name in ("id_of", "words", "codes", "reduced", "letters", "zipf", "keys", "by_exact"):
        assert getattr(bulk, name) == getattr(single, name), name
    ids = np.arange(len(bulk.codes))
    assert bulk.masks_of(ids).tolist() == single.masks_of(ids).tolist()
    assert bulk.n_words_of(ids).tolist() == single.n_words_of(ids).tolist() == [1] * 5 + [2]


def test_plain_name_lexicon_counts_duplicates_like_the_general_one():
    lex = Lexicon.from_entries(["Beirut", "Beirut", " ", "Xavier"])
    assert [(e.text, e.count) for e in lex] == [("Beirut", 2), ("Xavier", 1)]


def test_zipf_table_matches_wordfreq():
    from wordfreq import zipf_frequency

    table = zipf_table()
    for word in ["the", "money", "beirut", "soleimani", "commentators", "zavier"]:
        assert table.get(word, 0.0) == pytest.approx(zipf_frequency(word, "en"), abs=0.011)
    assert math.isclose(table["the"], zipf_frequency("the", "en"), abs_tol=0.011)


def test_zipf_of_cases_numbers_and_compounds():
    from respell.words import zipf

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


def test_fix_leaves_the_collector_as_it_found_it():
    import gc

    import respell

    assert gc.isenabled()
    respell.fix("sola money in the bay loop", ["Qassem Soleimani", "Beirut"])
    assert gc.isenabled()
    gc.disable()
    try:
        respell.fix("sola money in the bay loop", ["Qassem Soleimani", "Beirut"])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_fix_sets_the_collector_back_after_an_error():
    import gc

    import respell
    from respell.errors import EntityListError

    with pytest.raises(EntityListError):
        respell.fix("text", [{"label": "no text field"}])
    assert gc.isenabled()


def test_prefilter_keeps_pairs_at_exactly_the_cutoff():
    # "Rena" (RINA) and "Rainer" (RENAR) are 0.6 alike in sound classes: 3 of 5
    lex = Lexicon.from_entries([{"text": "Rainer Blair", "label": "PERSON"}])
    text = "Thanks, Rena. Go ahead."
    found = find_matches(text, tokenize(text), LexiconIndex(lex)).matches
    assert any(m.features.rsim == pytest.approx(0.6) for m in found)


def test_threads_sharing_the_forms_table_get_what_one_thread_gets():
    from concurrent.futures import ThreadPoolExecutor

    import respell
    from respell.index import Forms

    lists = [[f"{w}{k}ton" for w in WORDS] + ["Beirut", "Qassem Soleimani"] for k in range(8)]
    text = "sola money flew to the bay loop and met " + " ".join(WORDS[:6])
    Forms._current = None  # a fresh table, filled by the threads at once
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda names: respell.fix(text, names).text, lists))
    Forms._current = None
    alone = [respell.fix(text, names).text for names in lists]
    assert together == alone
    forms = Forms.current()
    assert len(forms.words) == len(forms.codes) == len(forms.reduced) == len(forms.zipf)


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


def test_phoneme_similarity_is_the_textbook_recurrence_to_the_bit():
    rng = random.Random(11)
    codes = [phonetics.phonemes(w) for w in WORDS]
    codes += [phonetics.phonemes(f"{a} {b}") for a, b in pairwise(WORDS)]
    codes += ["", codes[0][:1]]
    pairs = {(rng.choice(codes), rng.choice(codes)) for _ in range(800)} | {(c, c) for c in codes}
    for a, b in pairs:
        assert similarity.py_similarity(a, b) == _textbook_similarity(a, b), (a, b)


@pytest.mark.skipif(similarity._phonedist is None, reason="the C distance was not built")
def test_c_similarity_gives_the_python_floats():
    rng = random.Random(13)
    codes = [phonetics.phonemes(w) for w in WORDS]
    codes += [phonetics.phonemes(f"{a} {b}") for a, b in pairwise(WORDS)]
    codes += ["", codes[0][:1], "".join(codes)]  # the last is longer than the C stack buffers
    pairs = {(rng.choice(codes), rng.choice(codes)) for _ in range(1500)} | {(c, c) for c in codes}
    for a, b in pairs:
        assert phonetics.phoneme_similarity.__wrapped__(a, b) == similarity.py_similarity(a, b)
    # a phoneme the C costs do not have yet: they are set again
    fresh = phoneset.code_for("ʘ")  # a click: no English word has it
    word = codes[0] + fresh
    assert similarity.c_similarity(word, codes[1]) == similarity.py_similarity(word, codes[1])


def test_kept_pairs_are_what_nonzero_finds():
    rng = np.random.default_rng(5)
    for shape in [(7, 13), (1, 5), (0, 4), (30, 1)]:
        scores = np.where(rng.random(shape) < 0.2, rng.random(shape), 0.0).astype(np.float32)
        rows, cols, sims = shortlist.kept_pairs(scores)
        expected = np.nonzero(scores)
        assert rows.tolist() == expected[0].tolist() and cols.tolist() == expected[1].tolist()
        assert sims.tolist() == scores[expected].tolist()


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


def test_without_the_c_distance_python_and_numpy_serve(monkeypatch):
    monkeypatch.setattr(similarity, "_phonedist", None)
    pairs = [(phonetics.phonemes(a), phonetics.phonemes(b)) for a in WORDS for b in WORDS if a != b]
    phonetics.phoneme_similarity.cache_clear()
    phonetics.warm_similarities(pairs)  # numpy's batches
    assert len(phonetics.phoneme_similarity.cache) > 0
    for a, b in pairs[:80]:
        assert phonetics.phoneme_similarity(a, b) == similarity.py_similarity(a, b)
    phonetics.phoneme_similarity.cache_clear()


def test_missing_phoneme_table_means_converting_every_word(monkeypatch, caplog):
    monkeypatch.setattr(phonetics, "_table", None)
    monkeypatch.setattr(phonetics, "TABLE_FILE", "no-such-table.txt.gz")
    assert phonetics._common_ipa() == {}
    assert "phoneme table unreadable" in caplog.text
