"""Span search: the spans, the per-span checks and the features of what is found."""

from __future__ import annotations

import pytest

from respell import fix, shortlist
from respell.index import LexiconIndex
from respell.lexicon import Entity, Lexicon
from respell.match import find_matches, find_spans, joinable_gaps
from respell.words import tokenize


def found(text, names):
    """(span text, variant text) -> features, for every match of ``text`` against ``names``."""
    index = LexiconIndex.of(Lexicon.from_entries(names))
    tokens = tokenize(text)
    result = find_matches(text, tokens, index)
    return {
        (text[tokens[m.i].start:tokens[m.j - 1].end], index.entries[m.entry].variant.text): m.features
        for m in result.matches
    }


# (transcript, names, a (span, variant) pair the search must propose)
GARBLES = [
    ("General Sola money was killed.", ["Qassem Soleimani"], ("Sola money", "Soleimani")),
    ("we met liz sly on the bay loop", ["Liz Sly", "Beirut"], ("bay loop", "Beirut")),
    ("we met liz sly on the bay loop", ["Liz Sly", "Beirut"], ("liz sly", "Liz Sly")),
    ("the escape from Torbore in December", ["Tora Bora"], ("Torbore", "Tora Bora")),
    ("President Purvis Musharraf", ["Pervez Musharraf"], ("Purvis Musharraf", "Pervez Musharraf")),
    ("he flew to big dad", ["Baghdad"], ("big dad", "Baghdad")),
    ("the general's plan", ["Soleimani"], None),  # nothing sounds like it
]


@pytest.mark.parametrize(("text", "names", "pair"), GARBLES)
def test_garbled_names_are_found(text, names, pair):
    matches = found(text, names)
    if pair is None:
        assert matches == {}
    else:
        assert pair in matches
        assert matches[pair].psim >= 0.5


@pytest.mark.parametrize(("text", "names"), [
    ("We met Liz Sly in Beirut.", ["Liz Sly", "Beirut"]),
    ("Qassem Soleimani spoke.", [Entity("Qassem Soleimani", "PERSON")]),
])
def test_spans_already_right_are_not_proposed(text, names):
    matches = found(text, names)
    assert not any(span == variant for span, variant in matches)


def test_features_describe_span_and_variant():
    f = found("we met liz sly on the bay loop", ["Liz Sly", "Beirut"])
    case_only = f[("liz sly", "Liz Sly")]
    assert case_only.same_letters and case_only.psim == 1.0 and case_only.csim == 1.0
    assert (case_only.n_span, case_only.n_ent, case_only.rank) == (2, 2, 0)
    garble = f[("bay loop", "Beirut")]
    assert not garble.same_letters and garble.n_span == 2 and garble.n_ent == 1
    assert garble.span_zipf_max >= garble.span_zipf_min > garble.ent_zipf


def test_sounds_like_and_surname_variants_are_flagged():
    ent = Entity("Qassem Soleimani", "PERSON", sounds_like=("Sola money",))
    f = found("General Sola money and Solomani", [ent])
    assert f[("Sola money", "Qassem Soleimani")].sounds_like
    assert f[("Solomani", "Soleimani")].surname and not f[("Solomani", "Soleimani")].given_name


@pytest.mark.parametrize(("text", "joinable"), [
    ("liz sly", [True]),
    ("liz, sly", [True]),
    ("Procter & Gamble", [True]),
    ("liz. sly", [False]),
    ("liz\n\nsly", [False]),
    ("liz\nsly", [True]),
    ("liz? sly", [False]),
])
def test_joinable_gaps(text, joinable):
    assert joinable_gaps(text, tokenize(text), ()) == joinable


def test_a_barrier_keeps_spans_apart():
    text = "sola money"
    tokens = tokenize(text)
    assert joinable_gaps(text, tokens, [5]) == [False]
    index = LexiconIndex.of(Lexicon.from_entries(["Qassem Soleimani"]))
    spans = find_spans(text, tokens, index, 4, [5]).spans
    assert [(i, j) for i, j, _ in spans] == [(0, 1), (1, 2)]


def test_names_already_present_are_protected_and_written_right_ones_known():
    text = "the European Parliament and the european parliament"
    tokens = tokenize(text)
    index = LexiconIndex.of(Lexicon.from_entries(["European Parliament"]))
    table = find_spans(text, tokens, index, 4, ())
    assert table.written_right == {1, 2}  # exactly as listed; the lower-case one is not
    assert table.covering[1] == [(1, 3)] and table.covering[5] == [(5, 7)]
    assert table.covering[0] == []


def test_nothing_to_search_gives_no_match_but_the_facts():
    index = LexiconIndex.of(Lexicon.from_entries(["Beirut"]))
    empty = find_matches("", [], index)
    assert empty.matches == [] and empty.spans is None and empty.facts.lexicon_size == 1
    assert find_matches("?!", tokenize("?!"), index).matches == []


def test_matches_do_not_depend_on_the_search_strategy(monkeypatch, sample_words):
    text = "Liz sly flew to big dad, then sola money spoke in the bay loop."
    lex = Lexicon.from_entries(["Liz Sly", "Baghdad", "Qassem Soleimani", "Beirut", *sample_words])
    tokens = tokenize(text)
    small = find_matches(text, tokens, LexiconIndex(lex)).matches
    monkeypatch.setattr(shortlist, "_BRUTE_FORCE_PAIRS", 0)
    big = find_matches(text, tokens, LexiconIndex(lex)).matches
    assert len(small) > 3
    assert sorted(small, key=lambda m: (m.i, m.j, m.entry)) == sorted(
        big, key=lambda m: (m.i, m.j, m.entry)
    )


def test_the_shortlist_keeps_pairs_at_exactly_the_cutoff():
    # "Rena" (RINA) and "Rainer" (RENAR) are 0.6 alike in sound classes: 3 of 5
    lex = Lexicon.from_entries([{"text": "Rainer Blair", "label": "PERSON"}])
    text = "Thanks, Rena. Go ahead."
    matches = find_matches(text, tokenize(text), LexiconIndex(lex)).matches
    assert any(m.features.rsim == pytest.approx(0.6) for m in matches)


def _pairs(text, lexicon):
    index = LexiconIndex.of(lexicon)
    tokens = tokenize(text)
    return {
        (text[tokens[m.i].start:tokens[m.j - 1].end], index.entries[m.entry].variant.text): m.features
        for m in find_matches(text, tokens, index).matches
    }


def test_a_known_list_is_searched_wider_for_the_users_names():
    # "venetius" (FANITIS) and "Vinícius" (FINICAS) are only 0.57 alike in sound classes,
    # under the shortlist's cutoff, but 0.70 in phonemes
    text = "Mbappé and venetius finally look like they can play together."
    names = ["Kylian Mbappé", "Vinícius Júnior"]
    wide = _pairs(text, Lexicon.from_entries(names))
    assert wide[("venetius", "Vinícius")].rsim < 0.599
    assert ("venetius", "Vinícius") not in _pairs(text, Lexicon.from_entries(names, kind="catalog"))


def test_a_known_list_is_searched_for_names_spelled_nearly_as_typed():
    # espeak-ng reads "Reina" as "reena": 0.4 alike "Raina" in sound classes, below even
    # the wider search's 0.5, but spelled 0.8 alike; a catalog is not searched so
    text = "Then Reina was furious that the deal went through."
    names = ["Chandni Raina", "Simon Stiell", "Mukhtar Babayev"]
    pairs = _pairs(text, Lexicon.from_entries(names))
    assert pairs[("Reina", "Raina")].rsim < 0.5
    catalog = _pairs(text, Lexicon.from_entries(names).with_kind("catalog"))
    assert ("Reina", "Raina") not in catalog


def test_a_name_that_lost_its_first_sounds_is_found_by_its_spelling():
    # "Zaskowski" lost the Tr of Trzaskowski: its first consonants are not the name's, so
    # the searches by sound never meet them, however alike (0.67 in sound classes)
    text = "The exit poll had Zaskowski ahead by a hair."
    names = ["Karol Nawrocki", "Rafał Trzaskowski", "Donald Tusk", "Radosław Sikorski"]
    assert ("Zaskowski", "Trzaskowski") in _pairs(text, Lexicon.from_entries(names))
    # and the surname alone, far surer than the whole name over "poll had Zaskowski",
    # is the change
    assert fix(text, entities=names).text == text.replace("Zaskowski", "Trzaskowski")


@pytest.mark.parametrize(("text", "entity"), [
    # a common word, however near in sound
    ("Chips are selling faster than ever.", "Pat Gelsinger"),
    # a document's entry, not the user's
    ("Mbappé and venetius finally look like they can play together.",
     Entity("Vinícius Júnior", "PERSON", sources=("ner:article.txt",))),
])
def test_the_wider_search_is_for_rare_words_and_the_users_names(text, entity):
    pairs = _pairs(text, Lexicon.from_entries(["Kylian Mbappé", entity]))
    assert not any(f.rsim < 0.599 for f in pairs.values())


@pytest.mark.parametrize("text", ["thanks vj um for the question", "uh thanks um vj"])
def test_a_hesitation_is_no_part_of_a_name(text):
    pairs = found(text, ["Vijay Kumar", "Matt Danaher"])
    assert pairs and not any(w in ("um", "uh") for span, _ in pairs for w in span.split())


def test_a_dotted_abbreviation_is_one_word():
    # "C.O.P.29": its letters are never a span of their own ("C" is no "Si" of Simon
    # Stiell); the whole may still be a name, and "J. Wilde" is two words
    pairs = found("In Baku for C.O.P.29 and U.S. talks. Then J. Wilde spoke.",
                  ["Simon Stiell", "COP29", "Jay Wilds", "Yusuf Khan"])
    assert not any(span in ("C", "C.O", "O", "P", "P.29", "U", "S") for span, _ in pairs)
    assert ("J", "Jay") in pairs


def test_the_wider_search_is_the_same_in_chunks_and_left_out_for_long_lists(monkeypatch):
    from respell import match

    text = "Mbappé and venetius finally look like they can play together, venetius and Mbappé."
    names = ["Kylian Mbappé", "Vinícius Júnior", "Jude Bellingham"]
    whole = _pairs(text, Lexicon.from_entries(names))
    monkeypatch.setattr(match, "_WIDE_CELLS", 1)
    assert _pairs(text, Lexicon.from_entries(names)) == whole
    monkeypatch.setattr(match, "_WIDE_MAX_ENTRIES", 2)
    assert not any(f.rsim < 0.599 for f in _pairs(text, Lexicon.from_entries(names)).values())
    assert any(f.rsim < 0.599 for f in whole.values())
