"""A small JSON reader that remembers where every value sits in the source text.

The Whisper JSON writer edits a file in place, span by span, so that everything it
does not change (number formatting, spacing, key order) stays byte-identical.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from json.decoder import scanstring
from typing import Any

from ..errors import FormatError

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
#: deeper nesting is refused (Whisper JSON is 4 levels deep; Python's own parser gives up
#: near 1,000 with a RecursionError)
MAX_DEPTH = 200
_LITERALS = {"true": True, "false": False, "null": None, "NaN": float("nan"),
             "Infinity": float("inf"), "-Infinity": float("-inf")}


@dataclass
class Node:
    """A JSON value and its span ``raw[start:end]``.

    ``value`` is the Python value for scalars, a ``dict[str, Node]`` for objects
    and a ``list[Node]`` for arrays.
    """

    kind: str  # object, array, string, number, literal
    start: int
    end: int
    value: Any

    def get(self, key: str) -> Node | None:
        """The member ``key`` of an object node, or None."""
        return self.value.get(key) if self.kind == "object" else None


def parse(raw: str, *, name: str = "JSON") -> Node:
    """Parse ``raw`` into a tree of :class:`Node`; raises :class:`FormatError` on bad JSON.

    >>> parse('{"a": [1, "x"]}').value["a"].value[1].start
    10
    """
    try:
        node, pos = _value(raw, _WS.match(raw, 0).end(), 0)
        pos = _WS.match(raw, pos).end()
        if pos != len(raw):
            raise _Bad(pos, "extra data after the JSON value")
    except _Bad as exc:
        line = raw.count("\n", 0, exc.pos) + 1
        raise FormatError(f"{name}: invalid JSON at line {line}: {exc.msg}") from None
    return node


class _Bad(Exception):
    def __init__(self, pos: int, msg: str) -> None:
        super().__init__(msg)
        self.pos, self.msg = pos, msg


def _value(raw: str, pos: int, depth: int) -> tuple[Node, int]:
    if pos >= len(raw):
        raise _Bad(pos, "unexpected end of data")
    ch = raw[pos]
    if ch in "{[" and depth >= MAX_DEPTH:
        raise _Bad(pos, f"nested more than {MAX_DEPTH} levels deep")
    if ch == "{":
        return _object(raw, pos, depth + 1)
    if ch == "[":
        return _array(raw, pos, depth + 1)
    if ch == '"':
        try:
            text, end = scanstring(raw, pos + 1, True)
        except json.JSONDecodeError as exc:
            raise _Bad(exc.pos, exc.msg) from None
        return Node("string", pos, end, text), end
    m = _NUMBER.match(raw, pos)
    if m:
        literal = m.group()
        try:
            value = float(literal) if any(c in literal for c in ".eE") else int(literal)
        except ValueError:  # an integer of more than 4300 digits
            raise _Bad(pos, "number too long") from None
        return Node("number", pos, m.end(), value), m.end()
    for word, value in _LITERALS.items():
        if raw.startswith(word, pos):
            return Node("literal", pos, pos + len(word), value), pos + len(word)
    raise _Bad(pos, f"unexpected character {ch!r}")


def _object(raw: str, start: int, depth: int) -> tuple[Node, int]:
    members: dict[str, Node] = {}
    pos = _WS.match(raw, start + 1).end()
    if raw.startswith("}", pos):
        return Node("object", start, pos + 1, members), pos + 1
    while True:
        if not raw.startswith('"', pos):
            raise _Bad(pos, "expected a key in double quotes")
        key, pos = _value(raw, pos, depth)
        pos = _WS.match(raw, pos).end()
        if not raw.startswith(":", pos):
            raise _Bad(pos, "expected ':'")
        value, pos = _value(raw, _WS.match(raw, pos + 1).end(), depth)
        members[key.value] = value
        pos = _WS.match(raw, pos).end()
        if raw.startswith("}", pos):
            return Node("object", start, pos + 1, members), pos + 1
        if not raw.startswith(",", pos):
            raise _Bad(pos, "expected ',' or '}'")
        pos = _WS.match(raw, pos + 1).end()


def _array(raw: str, start: int, depth: int) -> tuple[Node, int]:
    items: list[Node] = []
    pos = _WS.match(raw, start + 1).end()
    if raw.startswith("]", pos):
        return Node("array", start, pos + 1, items), pos + 1
    while True:
        item, pos = _value(raw, pos, depth)
        items.append(item)
        pos = _WS.match(raw, pos).end()
        if raw.startswith("]", pos):
            return Node("array", start, pos + 1, items), pos + 1
        if not raw.startswith(",", pos):
            raise _Bad(pos, "expected ',' or ']'")
        pos = _WS.match(raw, pos + 1).end()
