"""Interactive review: accept, reject, edit, accept above a score, quit, end of input."""

from __future__ import annotations

import io

import pytest

from respell.correct import Change, Result, apply_changes
from respell.review import review

SOURCE = "General Sola money met Liz sly in the bay loop with Torah for a."
EDITS = [("Sola money", "Soleimani", 0.9), ("Liz sly", "Liz Sly", 0.6), ("bay loop", "Beirut", 0.8),
         ("Torah for a", "Tora Bora", 0.4)]


def _result() -> Result:
    changes = []
    for original, replacement, score in EDITS:
        at = SOURCE.index(original)
        changes.append(Change(at, at + len(original), original, replacement, replacement, None, score,
                              runner_up="Other", runner_up_score=0.1))
    return Result(SOURCE, apply_changes(SOURCE, changes), tuple(changes))


def _run(answers: list[str]) -> tuple[Result, str, list[str]]:
    asked: list[str] = []
    feed = iter(answers)

    def ask(prompt: str) -> str:
        asked.append(prompt)
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None

    out = io.StringIO()
    return review(_result(), ask=ask, out=out), out.getvalue(), asked


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (["y", "y", "y", "y"], "General Soleimani met Liz Sly in the Beirut with Tora Bora."),
        (["n", "n", "n", "n"], SOURCE),
        (["y", "n", "y", "n"], "General Soleimani met Liz sly in the Beirut with Torah for a."),
        # edit: a new replacement is used; an empty edit goes back to the question
        (["e", "Suleimani", "n", "e", "", "y", "n"],
         "General Suleimani met Liz sly in the Beirut with Torah for a."),
        # accept everything at or above 0.7, keep asking about the rest
        (["a", "0.7", "y", "n"], "General Soleimani met Liz Sly in the Beirut with Torah for a."),
        # a: empty threshold takes this change's score
        (["n", "a", "", "n"], "General Sola money met Liz Sly in the Beirut with Torah for a."),
        # quit keeps what was accepted so far
        (["y", "q"], "General Soleimani met Liz sly in the bay loop with Torah for a."),
        # end of input is quitting
        (["y", "y"], "General Soleimani met Liz Sly in the bay loop with Torah for a."),
        # unknown answers show help and ask again; bad thresholds are refused
        (["what", "y", "a", "x", "a", "2", "n", "n", "n"],
         "General Soleimani met Liz sly in the bay loop with Torah for a."),
    ],
)
def test_review_answers(answers, expected):
    result, _, _ = _run(answers)
    assert result.text == expected
    assert result.source == SOURCE


def test_review_shows_context_score_and_runner_up():
    result, out, asked = _run(["e", "Suleimani", "q"])
    assert "score 0.90" in out and "runner-up: Other 0.10" in out
    assert "General [-Sola money-]{+Soleimani+} met Liz sly" in out
    assert asked[0].startswith("(1/4) Apply this change [y,n,e,a,q,?]")
    assert "accepted 1 of 4 changes" in out
    assert result.changes[0].reason.startswith("edited in review")


def test_help_lists_every_answer():
    _, out, _ = _run(["?", "q"])
    for key in "yneaq?":
        assert f"\n{key} - " in "\n" + out
