"""The data of a correction: options, changes, results."""

from __future__ import annotations

import pytest

from respell.errors import OptionError
from respell.result import DEFAULT_MIN_SCORE, Change, FixOptions, Result, apply_changes, sha256_text


@pytest.mark.parametrize(("options", "min_score", "expected"), [
    (None, None, FixOptions()),
    (None, 0.5, FixOptions(min_score=0.5)),
    (FixOptions(max_span_words=2), None, FixOptions(max_span_words=2)),
    (FixOptions(min_score=0.9, max_span_words=2), 0.5, FixOptions(0.5, 2)),
])
def test_options_and_min_score_are_merged_one_way(options, min_score, expected):
    assert FixOptions.of(options, min_score) == expected


@pytest.mark.parametrize(("options", "min_score"), [(None, 1.5), (FixOptions(), -0.1)])
def test_a_bad_min_score_is_refused_however_it_comes(options, min_score):
    with pytest.raises(OptionError, match="between 0 and 1"):
        FixOptions.of(options, min_score)


def test_a_change_round_trips_through_its_record():
    ch = Change(0, 4, "sola", "Sola", "Sola", None, 0.5, reason="case")
    assert Change.from_dict({**ch.to_dict(), "unknown": 1}) == ch


def test_with_changes_applies_a_subset_to_the_source():
    source = "liz sly in bay loop"
    a = Change(0, 7, "liz sly", "Liz Sly", "Liz Sly", None, 0.9)
    b = Change(11, 19, "bay loop", "Beirut", "Beirut", None, 0.6)
    full = Result(source, apply_changes(source, [a, b]), (a, b))
    assert full.text == "Liz Sly in Beirut"
    kept = full.with_changes([b])
    assert kept.text == "liz sly in Beirut" and kept.changes == (b,) and kept.source == source
    assert full.source_sha256 == sha256_text(source) == kept.source_sha256
    assert full.options.min_score == DEFAULT_MIN_SCORE
