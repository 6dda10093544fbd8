"""Reading entity lists: plain text as people type it, CSV/TSV, JSON and JSONL.

A hand-typed list is one name a line, often with a note: "Brian Nagel - Oppenheimer",
"Dru Anderson - Senior Vice President, Investor Relations", "Bob Woodward (The
Washington Post)". The name is the entity; a note that names an organisation is an
entity too (people say "Brian Nagel from Oppenheimer"), without its legal suffix,
which nobody says; a role or a title is not.

>>> split_line("Robert Griffin - Raymond James & Associates, Inc.")
('Robert Griffin', 'Raymond James & Associates', True)
>>> split_line("Kenneth Bowling - Senior Vice President and CFO")
('Kenneth Bowling', None, True)
>>> split_line("Tora Bora")
('Tora Bora', None, False)
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from pathlib import Path

from .entity import Entity
from .errors import EntityListError
from .textio import csv_rows, load_json, read_text
from .variants import looks_like_person

# "Name - note", "Name – note", "Name — note" (spaced dashes: "Jean-Luc" stays whole),
# or "Name (note)".
_DASHED = re.compile(r"^(?P<name>.+?)\s+[-–—]+\s+(?P<note>.+)$")
_BRACKETED = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<note>[^()]+)\)$")

# Words of job titles and roles; a note with one of them is a role, not a firm.
_ROLE_WORDS = frozenset(["president", "vice", "chief", "officer", "executive", "director", "chairman", "chairwoman", "chair", "ceo", "cfo", "coo", "cto", "cco", "cmo", "cio", "cso", "vp", "svp", "evp", "avp", "md", "head", "manager", "managing", "analyst", "relations", "investor", "ir", "treasurer", "controller", "secretary", "counsel", "founder", "cofounder", "co-founder", "principal", "host", "co-host", "cohost", "guest", "moderator", "panelist", "reporter", "correspondent", "editor", "producer", "anchor", "journalist", "author", "professor", "dr", "doctor", "senator", "governor", "minister", "mayor", "spokesman", "spokeswoman", "spokesperson", "senior", "junior", "associate", "assistant", "deputy", "lead", "leader", "member", "trustee", "owner", "interviewer", "interviewee", "speaker", "caller", "listener", "commissioner", "ambassador"])

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


# Lower-case words inside a person's name: "Derik De Bruin", "Ludwig van Beethoven".
_PARTICLES = frozenset(["de", "da", "di", "del", "della", "der", "den", "van", "von", "la", "le", "du", "dos", "das", "ter", "ten", "bin", "al", "el", "y"])


def _participant(name: str) -> bool:
    """Whether a name given with a note ("- CFO", "- Oppenheimer") is a person's: two to
    four words, each capitalised or a particle ("Matt McGrew", "Derik De Bruin")."""
    words = name.split()
    return 2 <= len(words) <= 4 and all(
        w[:1].isupper() and w.replace("'", "").replace("-", "").replace(".", "").isalpha()
        or w.lower() in _PARTICLES for w in words
    ) and words[0][:1].isupper()


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


# -- files ----------------------------------------------------------------------------------


def read_entity_file(path: str | os.PathLike) -> list[Entity]:
    """Read one entity list, choosing the parser from the extension and the content.

    * ``.txt`` (and anything else): one entity a line, ``#`` starts a comment.
    * ``.csv`` / ``.tsv``: a header with ``text`` (or ``name``/``entity``), optional
      ``label``, ``aliases``, ``sounds_like`` (several values separated by ``;`` or ``|``);
      without such a header the first column is the entity, the second its label.
    * ``.json``: a list of strings or objects; ``.jsonl``: one string or object a line.

    Entries without ``sources`` (a list ``respell entities`` wrote keeps them) are the
    user's: their source is ``user:PATH``.
    """
    name = str(path)
    text = read_text(path, what="entity list")
    mine = (f"user:{'<stdin>' if name == '-' else name}",)
    suffix = Path(name).suffix.lower() if name != "-" else ""
    stripped = text.lstrip()
    if suffix == ".jsonl" or (suffix != ".json" and stripped.startswith("{")):
        entities = _read_jsonl(text, name)
    elif suffix == ".json" or stripped.startswith("["):
        entities = _read_json(text, name)
    elif suffix in (".csv", ".tsv"):
        entities = _read_table(text, name, "\t" if suffix == ".tsv" else ",")
    else:
        entities = _read_lines(text)
    entities = [e for e in entities if e.text.strip()]
    if not entities:
        raise EntityListError(f"entity list has no usable entry: {name}")
    return [e if e.sources else replace(e, sources=mine) for e in entities]


def _read_lines(text: str) -> list[Entity]:
    """One name a line; "Name - role or firm" and "Name (firm)" as people paste them
    (see :func:`split_line`): the firm is an entity too, the role is dropped."""
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if not line:
            continue
        name, org, noted = split_line(line)
        person = noted and (looks_like_person(Entity(name)) or _participant(name))
        out.append(Entity(name, "PERSON" if person else None))
        if org:
            out.append(Entity(org, "ORG"))
    return out


def _split_multi(value) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        parts = re.split(r"[;|]", value)
    elif isinstance(value, list):
        parts = value
    else:
        raise EntityListError(f"expected a string or a list, got {value!r}")
    return tuple(str(p).strip() for p in parts if str(p).strip())


def entity_from_record(rec: dict, where: str) -> Entity:
    lower = {str(k).lower(): v for k, v in rec.items()}
    text = next((lower[k] for k in ("text", "name", "entity", "phrase") if k in lower), None)
    if not isinstance(text, str) or not text.strip():
        raise EntityListError(f"{where}: record without a 'text' field: {json.dumps(rec)[:80]}")
    label = lower.get("label") or lower.get("type") or None
    count = lower.get("count") or 1  # an empty CSV cell counts once
    try:
        count = max(1, int(count))
    except (TypeError, ValueError, OverflowError):  # OverflowError: 1e999 is infinity
        raise EntityListError(f"{where}: count is not a number: {count!r}") from None
    return Entity(
        " ".join(text.split()),
        str(label).upper() if label else None,
        _split_multi(lower.get("aliases")),
        _split_multi(lower.get("sounds_like")),
        count,
        _split_multi(lower.get("sources")),
    )


def _read_json(text: str, name: str) -> list[Entity]:
    data = load_json(text, name, EntityListError)
    if isinstance(data, dict) and isinstance(data.get("entities"), list):
        data = data["entities"]
    if not isinstance(data, list):
        raise EntityListError(f"{name}: expected a JSON list of entities")
    return [
        Entity(item) if isinstance(item, str) else entity_from_record(item, f"{name}[{i}]")
        if isinstance(item, dict) else _bad_item(name, i, item)
        for i, item in enumerate(data)
    ]


def _bad_item(name: str, i: int, item) -> Entity:
    raise EntityListError(f"{name}[{i}]: expected a string or an object, got {item!r}")


def _read_jsonl(text: str, name: str) -> list[Entity]:
    out = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        item = load_json(line, f"{name}:{lineno}", EntityListError)
        if isinstance(item, str):
            out.append(Entity(item))
        elif isinstance(item, dict):
            out.append(entity_from_record(item, f"{name}:{lineno}"))
        else:
            raise EntityListError(f"{name}:{lineno}: expected a string or an object")
    return out


def _read_table(text: str, name: str, delimiter: str) -> list[Entity]:
    rows = [r for r in csv_rows(text, name, delimiter=delimiter, error=EntityListError)
            if any(c.strip() for c in r)]
    if not rows:
        return []
    header = [c.strip().lower() for c in rows[0]]
    if any(h in header for h in ("text", "name", "entity", "phrase")):
        return [
            entity_from_record(dict(zip(header, row)), f"{name}:{i + 2}")
            for i, row in enumerate(rows[1:])
        ]
    return [
        Entity(row[0].strip(), row[1].strip().upper() if len(row) > 1 and row[1].strip() else None)
        for row in rows
    ]
