"""Lines of a hand-typed list of names: "Name - role or firm", as people write them.

A producer pastes the guests from the show notes, an analyst the participants of a
call: "Brian Nagel - Oppenheimer", "Dru Anderson - Senior Vice President, Investor
Relations", "Bob Woodward (The Washington Post)". The name is the entity; a note that
names an organisation is an entity too (people say "Brian Nagel from Oppenheimer"),
without its legal suffix, which nobody says; a role or a title is not.

>>> split_line("Robert Griffin - Raymond James & Associates, Inc.")
('Robert Griffin', 'Raymond James & Associates', True)
>>> split_line("Kenneth Bowling - Senior Vice President and CFO")
('Kenneth Bowling', None, True)
>>> split_line("Tora Bora")
('Tora Bora', None, False)
"""

from __future__ import annotations

import re

# "Name - note", "Name – note", "Name — note" (spaced dashes: "Jean-Luc" stays whole),
# or "Name (note)".
_DASHED = re.compile(r"^(?P<name>.+?)\s+[-–—]+\s+(?P<note>.+)$")
_BRACKETED = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<note>[^()]+)\)$")

# Words of job titles and roles; a note with one of them is a role, not a firm.
_ROLE_WORDS = frozenset("""
president vice chief officer executive director chairman chairwoman chair ceo cfo coo cto
cco cmo cio cso vp svp evp avp md head manager managing analyst relations investor ir
treasurer controller secretary counsel founder cofounder co-founder
principal host co-host cohost guest moderator panelist reporter correspondent editor
producer anchor journalist author professor dr doctor senator governor minister mayor
spokesman spokeswoman spokesperson senior junior associate assistant deputy lead leader
member trustee owner interviewer interviewee speaker caller listener commissioner
ambassador
""".split())

# Legal suffixes people never say: "Inc.", ", LLC", "& Co.", "L.P.", ...
_LEGAL_SUFFIX = re.compile(
    r"(?:,?\s+(?:inc|incorporated|llc|l\.l\.c|ltd|limited|plc|l\.p|lp|llp|corp|s\.a|ag|n\.v|gmbh)\.?"
    r"|,?\s+&\s+co\.?)$",
    re.IGNORECASE,
)


def split_line(line: str) -> tuple[str, str | None, bool]:
    """(name, organisation named by its note or None, whether the line had a note).

    A name with a note ("- Oppenheimer", "- CFO") is a participant: most likely a person.
    """
    line = " ".join(line.split())
    m = _DASHED.match(line) or _BRACKETED.match(line)
    if m is None:
        return line, None, False
    name, note = m.group("name").strip(" ,;:"), m.group("note").strip(" ,;:.")
    if not name:
        return line, None, False
    return name, organisation(note), True


def organisation(note: str) -> str | None:
    """The organisation a note names, without its legal suffix; None for a role or title.

    >>> organisation("Stifel, Nicolaus & Company, Inc."), organisation("VP, IR")
    ('Stifel, Nicolaus & Company', None)
    >>> organisation("JPMorgan Chase & Co."), organisation("the VP of Legal Affairs")
    ('JPMorgan Chase', None)
    """
    words = re.findall(r"[\w&'.-]+", note)
    if not words or not any(w[:1].isupper() for w in words):
        return None
    if any(w.lower().strip(".") in _ROLE_WORDS for w in words):
        return None
    org = note
    while True:
        shorter = _LEGAL_SUFFIX.sub("", org).strip(" ,")
        if shorter == org:
            break
        org = shorter
    return org or None
