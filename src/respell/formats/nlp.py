"""Word-token files (``token|speaker|ts|endTs|punctuation|case|tags``), as used by
Rev's fstalign and the Earnings-21 benchmark: one token a line.

The text view is the tokens joined by spaces, each followed by its
``punctuation``; a change of speaker is a barrier. A repair rewrites only the
rows of the tokens it touches: a multi-word repair becomes as many rows as it
has words, the first keeping the first token's ``ts`` and the last ending at
the last token's ``endTs``; other columns come from the token it replaces
(``case``, when filled, is recomputed: LC, UC, CA or MC).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..errors import FormatError
from ..result import Change
from .base import (
    Document,
    Timing,
    apply_local,
    check_changes,
    overlapping_groups,
    retime,
    split_words,
    strip_bom,
)


@dataclass(frozen=True)
class _Row:
    line: int  # index into lines
    fields: tuple[str, ...]
    ending: str  # the line's end-of-line characters


def case_code(token: str) -> str:
    """The fstalign case class of a token: LC, UC (capitalised), CA (all caps) or MC.

    >>> [case_code(t) for t in ("bay", "Beirut", "SEC", "CapEx")]
    ['LC', 'UC', 'CA', 'MC']
    """
    letters = [c for c in token if c.isalpha()]
    if not letters or all(c.isupper() for c in letters) and len(letters) > 1:
        return "CA"
    if all(c.islower() for c in letters):
        return "LC"
    if letters[0].isupper() and all(c.islower() for c in letters[1:]):
        return "UC"
    return "MC"


@dataclass(frozen=True)
class NlpTokens(Document):
    """A ``.nlp`` token file.

    >>> doc = NlpTokens.parse("token|speaker|ts|endTs|punctuation|case|tags\\n"
    ...                       "bay|1|1.0|1.2|||\\nloop|1|1.2|1.5|.||\\n")
    >>> doc.text, doc.times[1]
    ('bay loop.', Timing(start=4, end=8, t0=1.2, t1=1.5))
    """

    name = "nlp"
    extensions = (".nlp",)
    unit = "speaker turn"

    lines: tuple[str, ...] = field(default=(), repr=False)
    rows: tuple[_Row, ...] = field(default=(), repr=False)
    spans: tuple[tuple[int, int], ...] = field(default=(), repr=False)  # token + punctuation
    columns: tuple[int, ...] = field(default=(), repr=False)  # token, speaker, ts, endTs, punct, case

    @classmethod
    def sniff(cls, raw: str) -> bool:
        return strip_bom(raw)[0].startswith("token|")

    @classmethod
    def parse(cls, raw: str, *, source: str = "<input>") -> NlpTokens:
        raw, bom = strip_bom(raw)
        lines = raw.splitlines(keepends=True)
        if not lines or not lines[0].startswith("token|"):
            raise FormatError(f"{source}: a token file must start with a 'token|speaker|...' header")
        header = lines[0].rstrip("\r\n").split("|")
        try:
            columns = tuple(header.index(c) for c in ("token", "speaker", "ts", "endTs", "punctuation"))
        except ValueError as exc:
            raise FormatError(f"{source}: header lacks a column: {exc}") from None
        case_col = header.index("case") if "case" in header else -1
        rows, parts, spans, barriers, times = [], [], [], [], []
        pos, speaker = 0, None
        tok, spk, ts, te, pu = columns
        for n, line in enumerate(lines[1:], 1):
            body = line.rstrip("\r\n")
            if not body.strip():
                continue
            fields = tuple(body.split("|"))
            if len(fields) < len(header) - 1 or len(fields) <= max(columns):
                raise FormatError(f"{source}: line {n + 1}: expected {len(header)} fields, "
                                  f"found {len(fields)}: {body[:60]!r}")
            if not fields[tok].strip() or any(c.isspace() for c in fields[tok]):
                raise FormatError(f"{source}: line {n + 1}: token {fields[tok]!r} is empty or has spaces")
            if any(c.isspace() for c in fields[pu]):
                raise FormatError(f"{source}: line {n + 1}: punctuation {fields[pu]!r} has spaces")
            if parts:
                pos += 1
                if fields[spk] != speaker:
                    barriers.append(pos)
            speaker = fields[spk]
            start = pos
            pos += len(fields[tok]) + len(fields[pu])
            spans.append((start, pos))
            parts.append(fields[tok] + fields[pu])
            rows.append(_Row(n, fields, line[len(body):]))
            try:
                times.append(Timing(start, start + len(fields[tok]), float(fields[ts]), float(fields[te])))
            except ValueError:
                pass
        return cls(" ".join(parts), tuple(barriers), tuple(times), bom, tuple(lines), tuple(rows),
                   tuple(spans), (*columns, case_col))

    def line_of(self, offset: int) -> int | None:
        import bisect

        k = max(0, bisect.bisect_right([s for s, _ in self.spans], offset) - 1)
        return self.rows[k].line + 1 if self.rows else None

    def render(self, changes: Sequence[Change] = ()) -> str:
        changes = check_changes(self.text, changes)
        for ch in changes:
            if "|" in ch.replacement:
                raise FormatError(f"change at {ch.start}-{ch.end}: the replacement "
                                  f"{ch.replacement!r} holds '|', which separates a token file's "
                                  "columns")
            if any(ch.start < b < ch.end for b in self.barriers):
                raise FormatError(f"change at {ch.start}-{ch.end} ({ch.original!r}) crosses a "
                                  "change of speaker; changes must stay inside one speaker turn")
        lines = list(self.lines)
        edits = [(c.start, c.end, c.replacement) for c in changes]
        for i, j, group in overlapping_groups(edits, self.spans):
            base, stop = self.spans[i][0], self.spans[j - 1][1]
            region = apply_local(self.text[base:stop], [(s - base, e - base, r) for s, e, r in group])
            new = self._rows_for(self.rows[i:j], [w.strip() for w in split_words(region)])
            lines[self.rows[i].line] = "".join(new)
            for row in self.rows[i + 1:j]:
                lines[row.line] = ""
        return self._with_bom("".join(lines))

    def _rows_for(self, old: Sequence[_Row], words: list[str]) -> list[str]:
        tok, _spk, ts, te, pu, case = self.columns
        puncts = sorted({r.fields[pu] for r in old if r.fields[pu]}, key=len, reverse=True)
        times = retime([(r.fields[ts], r.fields[te]) for r in old], len(words))
        out = []
        for n, (word, (t0, t1)) in enumerate(zip(words, times)):
            template = old[min(n, len(old) - 1)]
            fields = list(template.fields)
            punct = next((p for p in puncts if word.endswith(p) and len(word) > len(p)), "")
            fields[tok] = word[: len(word) - len(punct)]
            fields[pu], fields[ts], fields[te] = punct, t0, t1
            if case >= 0 and case < len(fields) and fields[case]:
                fields[case] = case_code(fields[tok])
            out.append("|".join(fields) + (template.ending or "\n"))
        return out
