"""Reading entity lists as people type them: "Name - role or firm"."""

from __future__ import annotations

import pytest

from respell.lists import organisation, read_entity_file, split_line


@pytest.mark.parametrize(("line", "expected"), [
    ("Brian Nagel - Oppenheimer", ("Brian Nagel", "Oppenheimer", True)),
    ("Robert Griffin - Raymond James & Associates, Inc.",
     ("Robert Griffin", "Raymond James & Associates", True)),
    ("Dru Anderson - Senior Vice President and Investor Relations", ("Dru Anderson", None, True)),
    ("Bob Woodward (The Washington Post)", ("Bob Woodward", "The Washington Post", True)),
    ("Jim Lehrer – host", ("Jim Lehrer", None, True)),
    ("Jean-Luc Picard", ("Jean-Luc Picard", None, False)),  # a hyphen inside a name
    ("Tora Bora", ("Tora Bora", None, False)),
])
def test_a_line_is_a_name_and_perhaps_a_firm(line, expected):
    assert split_line(line) == expected


@pytest.mark.parametrize(("note", "org"), [
    ("JPMorgan Chase & Co.", "JPMorgan Chase"),
    ("Stifel, Nicolaus & Company, Inc.", "Stifel, Nicolaus & Company"),
    ("Wells Fargo Securities, LLC", "Wells Fargo Securities"),
    ("CEO & Director", None),
    ("VP, IR", None),
    ("the VP of Legal Affairs", None),
    ("retired", None),  # no capital: no name
])
def test_a_note_names_a_firm_or_a_role(note, org):
    assert organisation(note) == org


def test_a_participants_list_gives_people_and_their_firms(tmp_path):
    path = tmp_path / "people.txt"
    path.write_text("# guests\nMatt McGrew - Executive Vice President & CFO\n"
                    "Derik De Bruin - Bank of America\nBeirut\n", encoding="utf-8")
    got = [(e.text, e.label) for e in read_entity_file(path)]
    assert got == [("Matt McGrew", "PERSON"), ("Derik De Bruin", "PERSON"),
                   ("Bank of America", "ORG"), ("Beirut", None)]
