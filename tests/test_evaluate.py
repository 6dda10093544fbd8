"""Tests of respell.evaluate: normalization, alignments, WER, B-WER, entity figures, edit labels."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from respell import evaluate as ev
from respell.correct import Change
from respell.errors import OptionError
from respell.evaluate import alignment
from respell.evaluate.mentions import entity_scores, written_mentions
from respell.evaluate.text import normalize

BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench"


# -- normalization ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Good day, everyone.", ["good", "day", "everyone"]),
        ("Jean-Luc Picard", ["jean", "luc", "picard"]),
        ("Soleimani's car", ["soleimani's", "car"]),
        ("'quoted' -- dash", ["'quoted'", "dash"]),
        ("(Beirut)!", ["beirut"]),
        ("... ,,, --", []),
        ("", []),
        ("MICROSOFT  Corp.\n\tInc", ["microsoft", "corp", "inc"]),
    ],
)
def test_normalize(text, words):
    assert ev.normalize(text) == words


def test_tokens_point_back_into_the_text():
    text = "Well, (Jean-Luc's) here."
    for tok in ev.normalized_tokens(text):
        assert ev.normalize(text[tok.start:tok.end]) == [tok.text]


# -- alignment ----------------------------------------------------------------------------------

words = st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), max_size=9)


def _check_ops(ops, ref, hyp):
    assert [o.ref for o in ops if o.ref is not None] == list(range(len(ref)))
    assert [o.hyp for o in ops if o.hyp is not None] == list(range(len(hyp)))
    for o in ops:
        if o.op == ev.MATCH:
            assert ref[o.ref] == hyp[o.hyp]
        elif o.op == ev.SUBSTITUTE:
            assert ref[o.ref] != hyp[o.hyp]
        elif o.op == ev.INSERT:
            assert o.ref is None
        else:
            assert o.hyp is None


def _cost(ops, weights):
    sub, ins, dele = weights
    table = {ev.MATCH: 0, ev.SUBSTITUTE: sub, ev.INSERT: ins, ev.DELETE: dele}
    return sum(table[o.op] for o in ops)


@given(words, words)
def test_unit_alignment_is_an_optimal_levenshtein_alignment(ref, hyp):
    ops = ev.align(ref, hyp)
    _check_ops(ops, ref, hyp)
    assert _cost(ops, (1, 1, 1)) == Levenshtein.distance(ref, hyp)
    assert ev.wer(ref, hyp, normalized=False).errors == Levenshtein.distance(ref, hyp)


@settings(max_examples=200)
@given(words, words, st.sampled_from([(4, 3, 3), (1, 1, 1), (2, 1, 1), (1.5, 1, 2)]))
def test_vectorised_weighted_alignment_equals_the_cell_by_cell_oracle(ref, hyp, weights):
    fast = alignment.align_weighted_numpy(ref, hyp, *weights)
    slow = alignment.align_weighted_py(ref, hyp, *weights)
    assert fast == slow
    _check_ops(slow, ref, hyp)
    # and the dynamic program is optimal: no cheaper than the unit alignment priced the same way
    assert _cost(slow, weights) <= _cost(ev.align(ref, hyp), weights)


@given(words, words)
def test_spelling_alignment_is_a_valid_alignment(ref, hyp):
    _check_ops(ev.align(ref, hyp, by_spelling=True), ref, hyp)


@pytest.mark.parametrize("weights", [(0, 1, 1), (1, 1), (1, -1, 1)])
def test_bad_weights_are_refused(weights):
    with pytest.raises(OptionError, match="weights"):
        ev.align(["a"], ["b"], weights=weights)


# -- WER and B-WER ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "hyp", "counts"),  # counts: ref words, substitutions, insertions, deletions
    [
        ("the cat sat", "the cat sat", (3, 0, 0, 0)),
        ("the cat sat", "The cat, sat.", (3, 0, 0, 0)),
        ("the cat sat", "the bat sat", (3, 1, 0, 0)),
        ("the cat sat", "the cat sat down", (3, 0, 1, 0)),
        ("the cat sat", "cat sat", (3, 0, 0, 1)),
        ("general soleimani", "general sola money", (2, 1, 1, 0)),
        ("", "", (0, 0, 0, 0)),
    ],
)
def test_wer_counts(ref, hyp, counts):
    got = ev.wer(ref, hyp)
    assert (got.ref_words, got.substitutions, got.insertions, got.deletions) == counts


def test_word_errors_add_up_and_guard_empty_references():
    total = ev.wer("a b c d", "a x c d") + ev.wer("e f", "e f g")
    assert (total.ref_words, total.errors, total.percent) == (6, 2, 33.33)
    assert ev.WordErrors().wer == 0.0
    assert math.isnan(ev.WordErrors(0, 0, 1, 0).wer)


@pytest.mark.parametrize(
    ("ref", "hyp", "rare", "unbiased", "biased"),  # (ref words, errors) of each part
    [
        # a rare word misrecognized: one biased substitution
        ("the duke of wellington", "the duke of welling", ["wellington"], (3, 0), (1, 1)),
        # split into several words: one biased substitution, insertions are not rare words
        ("the duke of wellington", "the duke of well in ton", ["wellington"], (3, 2), (1, 1)),
        # a rare word inserted counts against B-WER even though no reference word is wrong
        ("the duke", "the wellington duke", ["wellington"], (2, 0), (0, 1)),
        # common-word errors stay in U-WER
        ("a quiet night", "a quite night", [], (3, 1), (0, 0)),
        # case and punctuation do not count (normalized like the references)
        ("Duke of Wellington.", "duke of wellington", ["Wellington"], (2, 0), (1, 0)),
    ],
)
def test_biased_wer_splits_errors_by_rare_words(ref, hyp, rare, unbiased, biased):
    got = ev.biased_wer(ref, hyp, rare)
    assert (got.unbiased.ref_words, got.unbiased.errors) == unbiased
    assert (got.biased.ref_words, got.biased.errors) == biased
    assert got.total == got.unbiased + got.biased


def test_biased_wer_paper_tie_breaking():
    # "a b" -> "c": costs 4+3 either way; the paper's scorer keeps the diagonal step last
    # (substitute b, delete a) because it prefers the diagonal, then insertion, then deletion
    ops = ev.align(["a", "b"], ["c"], weights=ev.PAPER_WEIGHTS)
    assert [(o.op, o.ref, o.hyp) for o in ops] == [("delete", 0, None), ("substitute", 1, 0)]


@pytest.mark.skipif(not (BENCH / "librispeech_bias").exists(), reason="benchmark data absent")
def test_reproduces_the_published_librispeech_baseline():
    refs = (BENCH / "librispeech_bias" / "test-clean.biasing_100.tsv").read_text().splitlines()
    hyps = dict(
        (line.split("\t") + [""])[:2]
        for line in (BENCH / "librispeech_bias" / "test-clean.b1.rnnt_baseline.tsv")
        .read_text().splitlines()
    )
    total = ev.BiasedErrors()
    for line in refs:
        uid, text, rare, _ = line.split("\t")
        total += ev.biased_wer(text, hyps[uid], json.loads(rare))
    assert (total.total.percent, total.unbiased.percent, total.biased.percent) == (
        3.65, 2.37, 14.08,
    )


# -- entity figures -----------------------------------------------------------------------------


def test_find_mentions_prefers_the_longest_form_and_uses_surnames():
    ref = ev.normalize("Qassem Soleimani met Soleimani's aide and Liz Sly in Beirut")
    found = ev.find_mentions(ref, ["Qassem Soleimani", "Liz Sly", "Beirut"])
    assert [" ".join(ref[m.start:m.end]) for m in found] == ["qassem soleimani", "liz sly", "beirut"]
    # a derived surname variant counts, but only when variants are on
    ref = ev.normalize("Soleimani left")
    assert len(ev.find_mentions(ref, ["Qassem Soleimani"])) == 1
    assert ev.find_mentions(ref, ["Qassem Soleimani"], variants=False) == []


@pytest.mark.parametrize(
    ("hyp", "entity_wrong", "recalled"),
    [
        ("we met liz sly in beirut", 0, 2),
        ("we met liz sly in bay root", 1, 1),
        ("we met lizzie sly in bay root", 2, 0),
        ("we met in beirut", 2, 1),  # deleted words are wrong too
    ],
)
def test_entity_scores(hyp, entity_wrong, recalled):
    s = ev.entity_scores("We met Liz Sly in Beirut.", hyp, ["Liz Sly", "Beirut"])
    assert (s.entity_words.ref_words, s.entity_words.errors) == (3, entity_wrong)
    assert (s.mentions, s.mentions_correct) == (2, recalled)
    assert s.edits_right is None


def test_score_mentions_by_label_and_gapped_mentions():
    ref = ["shares", "of", "acme", "and", "co", "rose", "in", "paris"]
    hyp = ["shares", "of", "acne", "and", "co", "rose", "in", "paris"]
    mentions = [ev.Mention(2, 5, "ORG", positions=(2, 4)), ev.Mention(7, 8, "GPE")]
    s = ev.score_mentions(ref, hyp, mentions)
    assert s.by_label["ORG"] == ev.WordErrors(2, 1, 0, 0)
    assert s.by_label["GPE"] == ev.WordErrors(1, 0, 0, 0)
    assert (s.mentions, s.mentions_correct, s.entity_words.ref_words) == (2, 1, 3)
    assert (s + s).to_dict()["by_label"] == {"GPE": 0.0, "ORG": 50.0}


def test_entity_scores_judges_edits_against_the_original():
    ref = "We met Liz Sly in Beirut and General Soleimani."
    original = "we met lizzie sly on the bay loop and general sola money"
    fixed = "so we met Liz Sly on the Beirut and general Soleimani"
    s = ev.entity_scores(ref, fixed, ["Liz Sly", "Beirut", "Qassem Soleimani"], original=original)
    # lizzie->liz and sola money->soleimani right; bay loop->beirut right (on the/in is
    # another error); the inserted "so" is a wrong edit
    assert (s.edits_right, s.edits_wrong) == (3, 1)


# -- edit labels --------------------------------------------------------------------------------

HYP = ["we", "met", "liz", "sly", "on", "the", "bay", "loop"]


@pytest.mark.parametrize(
    ("ref", "span", "expected"),
    [
        ("we met liz sly on the beirut", (6, 8), ["beirut"]),
        ("we met liz sly in beirut", (6, 8), ["beirut"]),
        ("we met liz sly on the beirut", (2, 4), ["liz", "sly"]),
        ("we met liz sly on the beirut", (0, 8), ["we", "met", "liz", "sly", "on", "the", "beirut"]),
        ("we met liz sly on the beirut", (3, 3), []),
        # a reference word the hypothesis dropped next to the span belongs to it
        ("we met dr liz sly on the bay loop", (2, 4), ["dr", "liz", "sly"]),
        ("we met liz sly on the bay loop today", (6, 8), ["bay", "loop", "today"]),
    ],
)
def test_span_aligner(ref, span, expected):
    assert ev.SpanAligner(HYP, ref.split()).ref_words(*span) == expected


def test_span_aligner_rejects_spans_outside_the_words():
    with pytest.raises(OptionError):
        ev.SpanAligner(HYP, HYP).ref_span(3, 9)


@pytest.mark.parametrize(
    ("edit", "right"),
    [
        ((6, 8, "Beirut"), True),
        ((6, 8, "Beirut,"), True),  # punctuation and case do not matter
        ((7, 8, "Beirut"), True),  # "bay" stays wrong, but Beirut is now right
        ((6, 8, "Beirut loop"), False),  # writes a word the reference does not have there
        ((6, 8, "the Beirut"), False),  # "the" lines up with nothing: not fewer errors
        ((2, 4, "Liz Sly"), True),  # case only, and already right
        ((4, 5, "on"), False),  # case only, and wrong
        ((5, 6, ""), True),  # deleting an inserted word
        ((2, 3, "Lisa"), False),
        ((4, 6, "in"), True),
    ],
)
def test_edit_labels(edit, right):
    assert ev.edit_labels(HYP, ["we", "met", "liz", "sly", "in", "beirut"], [edit]) == [right]


@given(words, words)
def test_edits_between_rebuilds_the_corrected_words(original, corrected):
    out, pos = [], 0
    for i, j, new in ev.edits_between(original, corrected):
        assert pos <= i <= j
        out += original[pos:i] + new
        pos = j
    assert out + original[pos:] == corrected


def test_judge_changes_uses_character_offsets():
    source = "We met Liz sly on the bay loop, and Sola money's car."
    ref = "We met Liz Sly on the Beirut, and Soleimani's car."

    def change(original, replacement):
        start = source.index(original)
        return Change(start, start + len(original), original, replacement, replacement, None, 0.9)

    changes = [
        change("bay loop", "Beirut"),
        change("Sola money", "Soleimani"),  # the possessive stays outside the change
        change("sly", "Sly"),
        change("car", "cart"),
    ]
    assert ev.judge_changes(source, changes, ref) == [True, True, True, False]


def test_written_mentions_come_from_the_references_spelling_and_capitals():
    ref = ("Head. It's always Head, head and shoulders. Bumrah's back. I'd mark this week, "
           "Mark Carney. Teatro alla Scala, then alla breve. Laurence des Cars spoke; des "
           "Cars again. Min Hee-jin too.")
    names = ["Travis Head", "Jasprit Bumrah", "Mark Carney", "Teatro alla Scala",
             "Laurence des Cars", "Min Hee-jin"]
    words = normalize(ref)
    found = [" ".join(words[m.start:m.end]) for m in written_mentions(ref, names)]
    assert found == ["head", "head", "bumrah's", "mark carney", "teatro alla scala",
                     "laurence des cars", "des cars", "min hee jin"]
    # the figures use them in place of the variants' mentions
    s = entity_scores(ref, ref.replace("Bumrah's", "Bummer's"), names,
                      mentions=written_mentions(ref, names))
    assert s.entity_words.errors == 1 and s.mentions == len(found)
