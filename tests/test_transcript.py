"""Facts about the whole transcript, measured once: cased or not, and the address cues."""

from __future__ import annotations

import pytest

from respell.index import LexiconIndex
from respell.lexicon import Lexicon
from respell.match import find_matches
from respell.transcript import transcript_facts
from respell.words import tokenize


@pytest.mark.parametrize(("text", "cased"), [
    ("We met him in the morning.", True),
    ("we met him in the morning", False),
    ("we met Abidabad in the morning", False),  # a capital on a rare word: a garble or a name
    ("WE MET HIM", True),
    ("", False),
])
def test_a_transcript_is_cased_when_its_ordinary_words_are(text, cased):
    assert transcript_facts(tokenize(text), (), 10).cased is cased


def test_names_written_as_listed_do_not_make_a_transcript_cased():
    text = "we met The Who in the bay loop"
    index = LexiconIndex.of(Lexicon.from_entries(["The Who", "Beirut"]))
    assert transcript_facts(tokenize(text), (), 2).cased  # "The" is an ordinary word
    assert not find_matches(text, tokenize(text), index).facts.cased  # ... inside a listed name


def test_cues_are_measured_once_for_every_token_and_position():
    tokens = tokenize("Thanks, Ken. Tom, please go ahead. As Steve mentioned")
    facts = transcript_facts(tokens, (), 3)
    assert len(facts.cue_before) == len(tokens) and len(facts.cue_after) == len(tokens) + 1
    assert [t.text for t, cue in zip(tokens, facts.cue_before) if cue] == ["Ken"]
    ends = [tokens[j - 1].text for j in range(1, len(tokens) + 1) if facts.cue_after[j]]
    assert ends == ["Tom", "please", "Steve"]  # "please go ahead" and "go ahead" both ask
    assert facts.lexicon_size == 3
