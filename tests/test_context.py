"""Context evidence for names: address cues, anchors, entities written right elsewhere."""

from __future__ import annotations

import pytest

from respell.context import anchored, cue_after, name_cues
from respell.decide import model_inputs
from respell.index import LexiconIndex
from respell.lexicon import Lexicon
from respell.match import find_matches
from respell.words import tokenize

# (text, the words that stand right after an address or introduction cue)
CUED = [
    ("Thanks, can. I appreciate it.", ["can"]),
    ("thank you one and good morning", ["one"]),
    ("I'll turn the call over to can", ["can"]),
    ("next question comes from Sebastian forward with UBS", ["Sebastian"]),
    ("from the line of Elgin mama do", ["Elgin"]),
    ("Mr. Kelly, Dr. Deadlift", ["Kelly", "Deadlift"]),
    ("Good morning, Tom. Hi Ken", ["Tom", "Ken"]),
    ("over to my colleague markers", ["my", "markers"]),
    ("My name is Crystal", ["Crystal"]),
    ("we can see the growth in the quarter", []),
    ("thank", []),
]


@pytest.mark.parametrize(("text", "expected"), CUED)
def test_name_cues(text, expected):
    tokens = tokenize(text)
    assert [t.text for t, cue in zip(tokens, name_cues(tokens)) if cue] == expected


@pytest.mark.parametrize(
    ("text", "j", "expected"),
    [
        ("Tom, please go ahead.", 1, True),
        ("Seth Basham, your line is open", 2, True),
        ("Tom, go ahead", 1, True),
        ("Tom, please", 1, False),
        ("Tom went ahead", 1, False),
        ("as Steven mentioned", 2, True),
        ("as Steven", 2, False),
    ],
)
def test_cue_after(text, j, expected):
    assert cue_after(tokenize(text), j) is expected


# (text, span [i, j), variant words, full name words, variant kind, expected)
ANCHORS = [
    ("from Sebastian forward with UBS", 1, 3, "Sebastian Vogel", "Sebastian Vogel", "canonical", 1.0),
    ("from Daniel rush go from", 2, 4, "Roeska", "Daniel Roeska", "surname", 1.0),
    ("Thanks Quinn Freeland", 1, 2, "Clint", "Clint Freeland", "given_name", 1.0),
    ("Thanks Quinn Freeland", 1, 2, "Clint", "Clint Freeland", "canonical", 0.0),
    ("from Sebastian with UBS", 1, 2, "Sebastian Vogel", "Sebastian Vogel", "canonical", 0.0),
    ("the David cares and", 1, 3, "David Kerstens", "David Kerstens", "canonical", 1.0),
    ("we rush to go", 1, 2, "Roeska", "Daniel Roeska", "surname", 0.0),
    ("the quarter ended", 0, 2, "Daniel Roeska", "Daniel Roeska", "canonical", 0.0),
]


@pytest.mark.parametrize(("text", "i", "j", "variant", "full", "kind", "expected"), ANCHORS)
def test_anchored(text, i, j, variant, full, kind, expected):
    assert anchored(tokenize(text), i, j, variant.split(), full.split(), kind) == expected


def _features(text, names):
    """(first token, span words, variant) -> the model's raw inputs for each match."""
    index = LexiconIndex.of(Lexicon.from_entries(names))
    tokens = tokenize(text)
    found = find_matches(text, tokens, index)
    return {
        (m.i, " ".join(t.text for t in tokens[m.i:m.j]), index.entries[m.entry].variant.text):
        model_inputs(m.features, found.facts)
        for m in found.matches
    }


def test_find_matches_reports_context_features():
    feats = _features("Ken, please go ahead. Thanks, can. We can grow.", ["Ken"])
    assert feats[(5, "can", "Ken")]["name_cue"] == 1.0  # "Thanks, can"
    assert feats[(7, "can", "Ken")]["name_cue"] == 0.0  # "We can grow"
    assert feats[(5, "can", "Ken")]["anchor"] == 0.0


def test_cue_counts_for_people_only_where_the_list_says_so():
    from respell.decide import transform
    from respell.lexicon import Entity

    person = _features("Thanks, can.", [Entity("Ken", "PERSON")])[(1, "can", "Ken")]
    unlabelled = _features("Thanks, can.", ["Ken"])[(1, "can", "Ken")]
    assert transform(person)["cue_person"] == 1.0
    assert transform(unlabelled)["cue_person"] == 0.0
