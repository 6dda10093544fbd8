"""Terminal views of a Result: what reaches the terminal is safe to print."""

from __future__ import annotations

import pytest

from respell.correct import Change, Result, apply_changes
from respell.display import printable, terminal_diff

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
