"""Views of a Result: the walk over the text, one-line descriptions, places and times.

(The HTML and terminal views of whole results are checked beside the reports that
use them, in test_report.py.)
"""

from __future__ import annotations

import pytest

from respell.display import (
    change_context,
    describe,
    format_time,
    location,
    pieces,
    printable,
    summary_line,
    terminal_diff,
)
from respell.result import Change, FixOptions, Result, apply_changes

SOURCE = "We met Liz sly on the bay loop.\n\nThen Sola money spoke."


def change(original, replacement, entity, score=0.9, **kw):
    at = SOURCE.index(original)
    return Change(at, at + len(original), original, replacement, entity, kw.pop("label", None),
                  score, **kw)


SLY = change("Liz sly", "Liz Sly", "Liz Sly", 0.99, label="PERSON")
BEIRUT = change("bay loop", "Beirut", "Beirut", 0.31, label="GPE")
SOLA = change("Sola money", "Soleimani", "Qassem Soleimani", 0.77, label="PERSON")


def test_pieces_walk_the_text_with_changes_and_proposals_not_applied():
    walk = list(pieces(SOURCE, [SLY, SOLA], candidates=[BEIRUT]))
    assert "".join(p.text for p in walk) == SOURCE
    assert [p.kind for p in walk] == ["text", "change", "text", "candidate", "text", "change", "text"]
    assert [p.change for p in walk if p.change] == [SLY, BEIRUT, SOLA]


def test_a_proposal_under_a_change_is_not_shown():
    inside = Change(SLY.start, SLY.start + 3, "Liz", "Lisa", "Lisa", None, 0.5)
    assert [p.kind for p in pieces(SOURCE, [SLY], candidates=[inside])].count("candidate") == 0


def test_far_away_text_becomes_gaps():
    long = "word " * 200 + SOURCE + " word" * 200
    at = long.index("Sola money")
    far = Change(at, at + 10, "Sola money", "Soleimani", "Qassem Soleimani", None, 0.8)
    walk = list(pieces(long, [far], context=30))
    assert [p.kind for p in walk] == ["gap", "text", "change", "text", "gap"]
    assert all(len(p.text) <= 30 for p in walk if p.kind == "text")


@pytest.mark.parametrize(("ch", "line"), [
    (SLY, "score 0.99  Liz Sly (PERSON)"),
    (Change(0, 1, "x", "y", "Y", None, 0.5, "Z", 0.25), "score 0.50  Y  runner-up: Z 0.25"),
    (Change(0, 1, "x", "y", "Y", None, 0.5, "Z"), "score 0.50  Y  runner-up: Z"),
    (Change(0, 1, "x", "y", "Y", "ORG", 0.5, acoustic=2.5), "score 0.50  Y (ORG)  audio 2.50"),
])
def test_describe(ch, line):
    assert describe(ch) == line


@pytest.mark.parametrize(("offset", "times", "where"), [
    (0, None, "1:1"),
    (SOURCE.index("Sola"), None, "3:6"),
    (SOURCE.index("Sola"), [(33, 60, 3.25, 4.0)], "3:6 @0:00:03.250"),
    (SOURCE.index("Sola"), [(0, 10, 1.0, 2.0)], "3:6"),  # a time of other words says nothing
])
def test_location(offset, times, where):
    assert location(SOURCE, offset, times) == where


def test_location_of_a_file_line():
    assert location(SOURCE, 5, None, line_of=lambda offset: 12) == "12"
    assert location(SOURCE, 5, [(0, 10, 61.5, 62.0)], line_of=lambda offset: None) == "@0:01:01.500"


@pytest.mark.parametrize(("seconds", "stamp"), [
    (0, "0:00:00.000"), (59.9994, "0:00:59.999"), (61.5, "0:01:01.500"), (3723.5, "1:02:03.500"),
])
def test_format_time(seconds, stamp):
    assert format_time(seconds) == stamp


def test_change_context_stays_inside_its_paragraph():
    line = change_context(SOURCE, SOLA)
    assert line == "Then [-Sola money-]{+Soleimani+} spoke."
    assert change_context(SOURCE, SOLA, replacement="Suleimani").endswith("{+Suleimani+} spoke.")
    assert "\x1b[" in change_context(SOURCE, SOLA, color=True)


def test_summary_line():
    result = Result(SOURCE, apply_changes(SOURCE, [SLY, SOLA]), (SLY, SOLA), FixOptions(0.5))
    assert summary_line(result) == "2 changes to 2 entities, mean score 0.88 (min score 0.5)"
    assert summary_line(Result(SOURCE, SOURCE, ())) == "no changes (min score 0.35)"


# -- what reaches a terminal (issue 14) ---------------------------------------------------------

ESC = "\x1b[2J\x1b]0;pwned\x07"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Liz Sly", "Liz Sly"),
        ("a\r\nb\nc\rd", "a ⏎ b ⏎ c ⏎ d"),
        ("a\u2028b\x85c", "a ⏎ b ⏎ c"),
        (ESC, "\\x1b[2J\\x1b]0;pwned\\x07"),
        ("tab\tstays", "tab\tstays"),
        ("\u202eevil\u2066", "\\u202eevil\\u2066"),
        ("\x9b31m", "\\x9b31m"),  # the one-byte CSI
        ("é 😀 ß", "é 😀 ß"),
    ],
)
def test_printable(text, shown):
    assert printable(text) == shown


def test_terminal_diff_shows_escape_sequences_escaped():
    source = f"General Sola money{ESC} was killed."
    change = Change(8, 18, "Sola money", "Soleimani", f"Qassem{ESC} Soleimani", "PERSON", 0.9,
                    runner_up="\u202eX", runner_up_score=0.1)
    result = Result(source, apply_changes(source, [change]), (change,))
    for color in (False, True):
        out = terminal_diff(result, color=color, name=f"ep{ESC}.txt")
        assert "\x1b]" not in out and "\x1b[2J" not in out and "\u202e" not in out
        assert "\\x1b[2J" in out
