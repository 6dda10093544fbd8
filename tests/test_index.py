"""The lexicon index and the forms table shared by all lexicons."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import respell
from respell import phonetics
from respell.index import Forms, LexiconIndex, blocking_keys
from respell.lexicon import Entity, Lexicon


def test_exact_finds_every_entry_heard_as_the_words():
    lex = Lexicon.from_entries([Entity("Liz Sly", "PERSON"), "SLY", "Beirut"])
    index = LexiconIndex.of(lex)
    heard = sorted(index.entries[e].variant.text for e in index.exact("sly"))
    assert heard == ["SLY", "Sly"]  # a listed name and a surname heard alike
    assert [index.entries[e].variant.text for e in index.exact("liz sly")] == ["Liz Sly"]
    assert index.exact("Beirut") == [] and index.exact("baghdad") == []  # lower-case keys only


def test_entries_carry_the_variants_phonemes_and_frequency():
    index = LexiconIndex.of(Lexicon.from_entries(["Tora Bora"]))
    entry = index.entries[0]
    assert entry.variant.text == "Tora Bora" and entry.words == ("Tora", "Bora")
    assert entry.codes == phonetics.phonemes("Tora Bora") and entry.letters == "torabora"
    assert entry.reduced == phonetics.reduce(entry.codes) and entry.zipf > 0


@pytest.mark.parametrize(("garble", "name"), [
    ("bay loop", "beirut"), ("sola money", "soleimani"), ("big dad", "baghdad"),
    ("torbore", "tora bora"),
])
def test_a_garble_and_its_name_share_a_blocking_key(garble, name):
    def keys(text):
        return set(blocking_keys(phonetics.consonant_skeleton(phonetics.phonemes(text))))

    assert keys(garble) & keys(name)


def test_forms_without_phonemes_are_left_out():
    index = LexiconIndex.of(Lexicon.from_entries(["?!", "Beirut"]))
    assert [index.entries[e].variant.text for e in range(len(index.entries))] == ["Beirut"]


def test_bulk_forms_equal_forms_added_one_by_one():
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


def test_threads_sharing_the_forms_table_get_what_one_thread_gets(sample_words):
    lists = [[f"{w}{k}ton" for w in sample_words] + ["Beirut", "Qassem Soleimani"] for k in range(8)]
    text = "sola money flew to the bay loop and met " + " ".join(sample_words[:6])
    Forms._current = None  # a fresh table, filled by the threads at once
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda names: respell.fix(text, names).text, lists))
    Forms._current = None
    alone = [respell.fix(text, names).text for names in lists]
    assert together == alone
    forms = Forms.current()
    assert len(forms.words) == len(forms.codes) == len(forms.reduced) == len(forms.zipf)


def test_a_known_lists_users_names_keep_the_size_of_the_users_list():
    typed = Lexicon.from_entries(["Pete Hegseth", "Tulsi Gabbard", "Marco Rubio"])
    found = Lexicon.from_entries(
        [Entity("Pete Hegseth", "PERSON", sources=("ner:a.txt",))]
        + [Entity(f"Person Number{k}", "PERSON", sources=("ner:a.txt",)) for k in range(40)])
    both = typed + found
    assert both.known and both.n_user == 3
    index = LexiconIndex.of(both)
    assert index.users_size == LexiconIndex.of(typed).size < index.size
    # the list alone, a list of names that may be there (a catalog) and documents alone
    # have one size for every name
    assert LexiconIndex.of(typed).users_size == 0
    assert LexiconIndex.of(both.with_kind("catalog")).users_size == 0
    assert LexiconIndex.of(found).users_size == 0
