"""A repaired name keeps the line breaks it crossed (issue 14, item 4)."""

from __future__ import annotations

import pytest

from respell import fix
from respell.linebreaks import keep_all_line_breaks, keep_line_breaks, keeps_line_breaks
from respell.result import Change, apply_changes

NAMES = ["Qassem Soleimani", "Tora Bora", "Leocadia Ferrante", "Wenner-Gren Foundation"]


def laid(text: str, original: str, replacement: str) -> str:
    at = text.index(original)
    change = keep_line_breaks(text, Change(at, at + len(original), original, replacement,
                                           replacement, None, 0.9))
    assert text[change.start:change.end] == change.original
    return apply_changes(text, [change])


@pytest.mark.parametrize(
    ("text", "original", "replacement", "expected"),
    [
        # as many words as lines or more: shared in the original's proportions
        ("General Cassem Sola\nmoney was killed", "Cassem Sola\nmoney", "Qassem Soleimani",
         "General Qassem\nSoleimani was killed"),
        ("the Winter\r\nGrand Foundation", "Winter\r\nGrand Foundation", "Wenner-Gren Foundation",
         "the Wenner-Gren\r\nFoundation"),
        ("a Lee\nKatie\nFerrante b", "Lee\nKatie\nFerrante", "Leocadia Ferrante",
         "a Leocadia\nFerrante\nb"),
        # fewer: on the first line when words follow on the last (its spaces taken in) ...
        ("General Sola\nmoney was killed", "Sola\nmoney", "Soleimani", "General Soleimani\nwas killed"),
        # ... else on the last, when words precede on the first (punctuation stays with it)
        ("General Sola\r\nmoney, he said", "Sola\r\nmoney", "Soleimani", "General\r\nSoleimani, he said"),
        ("General Sola\nmoney\nwas", "Sola\nmoney", "Soleimani", "General\nSoleimani\nwas"),
        # a blank line (a paragraph) stays blank
        ("x Sola\n\nmoney y", "Sola\n\nmoney", "Soleimani", "x Soleimani\n\ny"),
        # no line break: nothing to do
        ("General Sola money", "Sola money", "Soleimani", "General Soleimani"),
    ],
)
def test_keep_line_breaks(text, original, replacement, expected):
    assert laid(text, original, replacement) == expected


@pytest.mark.parametrize(
    ("text", "original", "replacement"),
    [
        ("Sola\nmoney\nwas", "Sola\nmoney", "Soleimani"),  # the name is whole lines by itself
        ("a Lee\nKatie\nFerrante\nb", "Lee\nKatie\nFerrante", "Ferrante"),  # fewer words than breaks
    ],
)
def test_a_change_that_cannot_keep_its_breaks_says_so(text, original, replacement):
    at = text.index(original)
    change = Change(at, at + len(original), original, replacement, replacement, None, 0.9)
    assert not keeps_line_breaks(keep_line_breaks(text, change))


def test_neighbouring_changes_share_no_space_and_leave_no_empty_line():
    text = "General Sola\r\nmone Sola\r\nmone Sola\r\nmone"
    at = [i for i in range(len(text)) if text.startswith("Sola\r\nmone", i)]
    changes = [Change(a, a + 10, "Sola\r\nmone", "Soleimani", "Qassem Soleimani", None, 0.9)
               for a in at]
    out = apply_changes(text, keep_all_line_breaks(text, changes))
    assert out == "General\r\nSoleimani\r\nSoleimani\r\nSoleimani"


def test_fix_keeps_line_breaks_or_leaves_the_name_as_a_proposal():
    result = fix("General Cassem Sola\nmoney was killed.\nThey fled to Torah\r\nBora.", NAMES)
    assert result.text == "General Qassem\nSoleimani was killed.\nThey fled to Tora\r\nBora."
    result = fix("Sola\nmoney\nwas killed", NAMES)
    assert result.text == "Sola\nmoney\nwas killed" and result.changes == ()
    assert [(c.original, c.replacement) for c in result.candidates][:1] == [("Sola\nmoney", "Soleimani")]
