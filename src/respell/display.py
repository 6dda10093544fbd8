"""Views of a :class:`~respell.correct.Result`: HTML (notebooks, reports) and terminal diffs.

Both views are built from the same walk over the text (:func:`pieces`): plain
stretches, changes, and gaps where far-away text is left out.

>>> from respell.correct import Change, Result
>>> r = Result("General Sola money.", "General Soleimani.",
...            (Change(8, 18, "Sola money", "Soleimani", "Qassem Soleimani", "PERSON", 0.91),))
>>> print(terminal_diff(r))
1:9  score 0.91  Qassem Soleimani (PERSON)
    General [-Sola money-]{+Soleimani+}.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .linebreaks import LINE_BREAK

if TYPE_CHECKING:  # data only: Result shows itself with this module (_repr_html_)
    from .result import Change, Result

NEWLINE = "\n"

#: transcripts longer than this are shown as excerpts around the changes
FULL_TEXT_LIMIT = 20_000


@dataclass(frozen=True)
class Piece:
    """One step of the walk: ``kind`` is ``text``, ``change``, ``candidate`` or ``gap``."""

    kind: str
    text: str = ""
    change: Change | None = None


def pieces(
    source: str,
    changes: Sequence[Change],
    *,
    candidates: Sequence[Change] = (),
    context: int | None = None,
) -> Iterator[Piece]:
    """Walk ``source``: unchanged text, changes, and (optionally) proposals not applied.

    With ``context`` only that many characters around each change are kept,
    the rest becomes ``gap`` pieces.
    """
    marks = [(c, "change") for c in changes]
    taken = sorted((c.start, c.end) for c in changes)
    for cand in sorted(candidates, key=lambda c: (c.start, -c.score)):
        if not _overlaps(taken, cand.start, cand.end):
            marks.append((cand, "candidate"))
            bisect.insort(taken, (cand.start, cand.end))
    marks.sort(key=lambda m: (m[0].start, m[0].end))
    pos = 0
    for ch, kind in marks:
        yield from _plain(source, pos, ch.start, context, first=pos == 0, last=False)
        yield Piece(kind, source[ch.start:ch.end], ch)
        pos = ch.end
    yield from _plain(source, pos, len(source), context, first=pos == 0, last=True)


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    k = bisect.bisect_left(spans, (start, start))
    return any(s < end and start < e for s, e in spans[max(0, k - 1):k + 1])


def _plain(source: str, a: int, b: int, context: int | None, *, first: bool, last: bool):
    if a >= b:
        return
    text = source[a:b]
    if context is None or len(text) <= 2 * context + 20:
        yield Piece("text", text)
        return
    if not first:
        yield Piece("text", _cut_after(text, context))
    yield Piece("gap")
    if not last:
        yield Piece("text", _cut_before(text, context))


def _cut_after(text: str, n: int) -> str:
    """The first ``n``-odd characters of ``text``, ending at a word boundary."""
    if len(text) <= n:
        return text
    cut = text.rfind(" ", 0, n + 1)
    return text[: cut if cut > n // 2 else n]


def _cut_before(text: str, n: int) -> str:
    if len(text) <= n:
        return text
    cut = text.find(" ", len(text) - n)
    return text[cut + 1 if 0 <= cut < len(text) - n // 2 else len(text) - n:]


def describe(change: Change) -> str:
    """One line about a change: score, entity, runner-up, acoustic check.

    >>> from respell.result import Change
    >>> describe(Change(0, 4, "bay loop", "Beirut", "Beirut", "GPE", 0.8, "Bayreuth", 0.3))
    'score 0.80  Beirut (GPE)  runner-up: Bayreuth 0.30'
    """
    entity = change.entity + (f" ({change.label})" if change.label else "")
    parts = [f"score {change.score:.2f}", printable(entity)]
    if change.runner_up:
        rs = f" {change.runner_up_score:.2f}" if change.runner_up_score is not None else ""
        parts.append(f"runner-up: {printable(change.runner_up)}{rs}")
    if change.acoustic is not None:
        parts.append(f"audio {change.acoustic:.2f}")
    return "  ".join(parts)


def location(source: str, offset: int, times: Sequence | None = None, line_of=None) -> str:
    """Where an offset of the text view is: ``line:column`` of the view, or, with
    ``line_of`` (a document's :meth:`~respell.formats.base.Document.line_of`), the
    file's line; plus the time when ``times`` know it.

    >>> location("a\\nbc", 3, [(2, 4, 61.5, 62.0)])
    '2:2 @0:01:01.500'
    """
    if line_of is not None:
        line = line_of(offset)
        where = "" if line is None else str(line)
    else:
        line = source.count("\n", 0, offset) + 1
        where = f"{line}:{offset - source.rfind(NEWLINE, 0, offset)}"
    for t in times or ():
        if t[0] <= offset < max(t[1], t[0] + 1):
            stamp = f"@{format_time(t[2])}"
            return f"{where} {stamp}" if where else stamp
    return where


def format_time(seconds: float) -> str:
    """``H:MM:SS.mmm``.

    >>> format_time(3723.5)
    '1:02:03.500'
    """
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    return f"{h}:{m:02d}:{rest / 1000:06.3f}"


# -- terminal -------------------------------------------------------------------------------

_RED, _GREEN, _DIM, _BOLD, _RESET = "\x1b[31;9m", "\x1b[32;1m", "\x1b[2m", "\x1b[1m", "\x1b[0m"


_UNSAFE = re.compile(  # line breaks, other control characters, bidirectional overrides
    f"{LINE_BREAK.pattern}|[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]"
)


def printable(text: str, *, line_break: str = " ⏎ ") -> str:
    """``text`` made safe to print on a terminal as one line: line breaks become
    ``line_break``, control characters (escape sequences among them) and bidirectional
    overrides are shown escaped, so a transcript can neither move the cursor, recolour
    nor reorder what is shown.

    >>> printable("Sola\\x1b[2J money\\r\\nGeneral")
    'Sola\\\\x1b[2J money ⏎ General'
    """
    if text.isprintable():
        return text

    def escape(m: re.Match) -> str:
        ch = m.group()
        if LINE_BREAK.fullmatch(ch):
            return line_break
        return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"

    return _UNSAFE.sub(escape, text)


_flat = printable


def change_context(source: str, change: Change, *, color: bool = False, context: int = 40,
                   replacement: str | None = None) -> str:
    """One line: the change in its context, ``[-old-]{+new+}`` or coloured."""
    before = _cut_before(source[max(0, change.start - context - 20):change.start], context) \
        if change.start else ""
    after = _cut_after(source[change.end:change.end + context + 20], context)
    # a blank line ends a paragraph or a subtitle cue: context stays inside it
    before, after = before.rsplit("\n\n", 1)[-1], after.split("\n\n", 1)[0]
    new = change.replacement if replacement is None else replacement
    if color:
        mid = f"{_RED}{_flat(change.original)}{_RESET}{_GREEN}{_flat(new)}{_RESET}"
    else:
        mid = f"[-{_flat(change.original)}-]{{+{_flat(new)}+}}"
    return f"{_flat(before)}{mid}{_flat(after)}"


def terminal_diff(
    result: Result,
    *,
    color: bool = False,
    context: int = 40,
    name: str | None = None,
    times: Sequence | None = None,
    line_of=None,
) -> str:
    """The changes of ``result``, one header line and one context line each.

    ``name`` prefixes locations (a file name); ``times`` (``(start, end, t0, t1)``
    over the text) adds the time of each change; ``line_of`` maps an offset of
    the text to the file's line.
    """
    out = []
    for ch in result.changes:
        where = location(result.source, ch.start, times, line_of)
        shown = printable(name) if name else ""
        head = (f"{shown} {where}" if where.startswith("@") else f"{shown}:{where}") if name else where
        desc = describe(ch)
        if color:
            head, desc = f"{_BOLD}{head}{_RESET}", f"{_DIM}{desc}{_RESET}"
        out.append(f"{head}  {desc}")
        out.append("    " + change_context(result.source, ch, color=color, context=context))
    return "\n".join(out)


# -- HTML -----------------------------------------------------------------------------------

CSS = """
.respell-result { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; line-height: 1.5;
  color: #1f2328; max-width: 72rem; }
.respell-result .respell-summary { margin: .3rem 0 .6rem; color: #444; }
.respell-result .respell-text { white-space: pre-wrap; font-family: ui-monospace, Menlo, Consolas,
  monospace; font-size: .92rem; background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px;
  padding: .75rem 1rem; }
.respell-result .respell-change { position: relative; cursor: help; border-radius: 3px;
  background: #fff8c5; }
.respell-result .respell-change del { color: #82071e; background: #ffebe9; text-decoration:
  line-through; margin-right: .2em; }
.respell-result .respell-change ins { color: #116329; background: #dafbe1; text-decoration: none;
  font-weight: 600; }
.respell-result .respell-change.respell-off { background: none; }
.respell-result .respell-change.respell-off del { color: inherit; background: none;
  text-decoration: none; margin-right: 0; }
.respell-result .respell-change.respell-off ins { display: none; }
.respell-result .respell-candidate { border-bottom: 1px dotted #9a6700; cursor: help; }
.respell-result .respell-gap { color: #8c959f; }
.respell-result .respell-tip { display: none; position: absolute; left: 0; top: 1.6em; z-index: 10;
  white-space: nowrap; font-family: system-ui, sans-serif; font-size: .8rem; background: #24292f;
  color: #fff; padding: .25rem .5rem; border-radius: 4px; }
.respell-result .respell-change:hover .respell-tip,
.respell-result .respell-change:focus .respell-tip { display: block; }
.respell-result table { border-collapse: collapse; margin-top: .75rem; font-size: .88rem; }
.respell-result th, .respell-result td { border: 1px solid #d0d7de; padding: .2rem .5rem;
  text-align: left; vertical-align: top; }
.respell-result th { background: #f6f8fa; }
.respell-result td.num { text-align: right; font-variant-numeric: tabular-nums; }
.respell-result td.why { color: #57606a; font-size: .8rem; max-width: 28rem; }
.respell-result td.where { white-space: nowrap; font-variant-numeric: tabular-nums; }
.respell-result tr.respell-proposal td { color: #57606a; }
.respell-result tr.respell-off td { color: #8c959f; }
.respell-result tr.respell-off td.replacement input { text-decoration: line-through; }
.respell-result input.respell-replacement { font: inherit; width: 14rem; }
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def summary_line(result: Result) -> str:
    """A plain-text summary: number of changes, entities, mean score, threshold."""
    n = len(result.changes)
    if not n:
        return f"no changes (min score {result.options.min_score:g})"
    ents = len({c.entity for c in result.changes})
    mean = sum(c.score for c in result.changes) / n
    return (f"{n} change{'s' * (n != 1)} to {ents} entit{'ies' if ents != 1 else 'y'}, "
            f"mean score {mean:.2f} (min score {result.options.min_score:g})")


def result_html(
    result: Result,
    *,
    standalone: bool = False,
    title: str | None = None,
    context: int | None = None,
    show_candidates: bool = True,
    anchor: str = "c",
) -> str:
    """HTML of a Result: the text with each change highlighted (hover: score, entity,
    runner-up), proposals not applied underlined, and a table of the changes with
    the reason for each.

    ``standalone`` gives a whole page; otherwise a ``<div>`` with its own style
    (what Jupyter shows). ``context`` (characters) shows excerpts around the
    changes; by default the whole text unless it is longer than ``FULL_TEXT_LIMIT``.

    >>> from respell.correct import Change, Result
    >>> r = Result("Sola money", "Soleimani", (Change(0, 10, "Sola money", "Soleimani", "Soleimani", None, 0.9),))
    >>> "<ins>Soleimani</ins>" in result_html(r)
    True
    """
    body = result_fragment(result, title=title, context=context,
                           show_candidates=show_candidates, anchor=anchor)
    return page(title or "respell changes", body) if standalone else body


def shown_candidates(result: Result, show_candidates: bool = True) -> list[Change]:
    """The proposals not applied that a view shows: at least half-way to the threshold
    (weaker ones would only clutter it), and overlapping no change nor each other."""
    if not show_candidates:
        return []
    floor = result.options.min_score / 2
    cands = [c for c in result.candidates if c.score >= floor]
    return [p.change for p in pieces(result.source, result.changes, candidates=cands)
            if p.kind == "candidate"]


def result_fragment(result: Result, *, title=None, context=None, show_candidates=True,
                    anchor="c", heading: str = "h3", style: bool = True, times=None,
                    line_of=None, review: int | None = None) -> str:
    """The ``<div class="respell-result">`` of :func:`result_html` (``style``: include the CSS).

    ``times`` and ``line_of`` (a document's) say where each change is (file line, cue
    time); ``review`` (the file's number in a report page) makes the table a form:
    a box to untick each change (or tick a proposal not applied) and its replacement
    to edit, which the report page's script reads.
    """
    if context is None and len(result.source) > FULL_TEXT_LIMIT:
        context = 120
    cands = shown_candidates(result, show_candidates)
    numbers = {id(c): k for k, c in enumerate([*result.changes, *cands], 1)}
    parts = ['<div class="respell-result">']
    if style:
        parts.append(f"<style>{CSS}</style>")
    if title:
        parts.append(f"<{heading}>{_e(title)}</{heading}>")
    parts.append(f'<p class="respell-summary">{_e(summary_line(result))}</p>')
    parts.append('<div class="respell-text">')
    for piece in pieces(result.source, result.changes, candidates=cands, context=context):
        if piece.kind == "text":
            parts.append(_e(piece.text))
        elif piece.kind == "gap":
            parts.append('<span class="respell-gap"> … </span>')
        elif piece.kind == "change":
            ch = piece.change
            tip = describe(ch)
            parts.append(
                f'<span class="respell-change" id="{anchor}{numbers[id(ch)]}" tabindex="0" '
                f'title="{_e(tip)}" data-score="{ch.score:.4f}" data-entity="{_e(ch.entity)}">'
                f"<del>{_e(ch.original)}</del><ins>{_e(ch.replacement)}</ins>"
                f'<span class="respell-tip">{_e(tip)}</span></span>'
            )
        else:
            ch = piece.change
            tip = f"not applied: {ch.replacement} ({describe(ch)})"
            extra = ""
            if review is not None:  # the script shows it applied once ticked
                extra = (f' id="{anchor}{numbers[id(ch)]}" data-replacement='
                         f'"{_e(ch.replacement)}"')
            parts.append(f'<span class="respell-candidate" title="{_e(tip)}"{extra}>'
                         f"{_e(piece.text)}</span>")
    parts.append("</div>")
    if result.changes or (review is not None and cands):
        parts.append(changes_table(result.changes, anchor=anchor, source=result.source,
                                   times=times, line_of=line_of, review=review,
                                   candidates=cands if review is not None else ()))
    parts.append("</div>")
    return "".join(parts)


def changes_table(changes: Sequence[Change], *, anchor: str = "c", source: str | None = None,
                  times=None, line_of=None, review: int | None = None,
                  candidates: Sequence[Change] = ()) -> str:
    """An HTML table of changes, each row linking to its place in the text, with where it
    is (given the ``source``), its runner-up and the reason.

    With ``review`` (a file number) each row starts with a box, ticked for a change and
    unticked for a proposal not applied (``candidates``), and the replacement is a field
    to edit; rows carry ``data-file`` and ``data-k`` (the proposal's number in the file).
    """
    cols = ("#", "where", "original", "replacement", "entity", "score", "runner-up", "why")
    head = ("<th>apply</th>" if review is not None else "") + "".join(f"<th>{h}</th>" for h in cols)
    rows = [f'<table class="respell-changes"><thead><tr>{head}</tr></thead><tbody>']
    every = [(c, True) for c in changes] + [(c, False) for c in candidates]
    for k, (ch, applied) in enumerate(every, 1):
        runner = ""
        if ch.runner_up:
            runner = ch.runner_up + (f" ({ch.runner_up_score:.2f})" if ch.runner_up_score is not None else "")
        label = f" ({ch.label})" if ch.label else ""
        where = location(source, ch.start, times, line_of) if source is not None else ""
        why = ch.reason + (f"; audio {ch.acoustic:.2f}" if ch.acoustic is not None else "")
        if not applied:
            why = f"not applied (below the threshold): {why}"
        replacement = _e(ch.replacement)
        box, attrs = "", ""
        if review is not None:
            kind = "respell-row" + ("" if applied else " respell-proposal respell-off")
            attrs = f' class="{kind}" data-file="{review}" data-k="{k - 1}"'
            box = (f'<td><input type="checkbox" class="respell-apply" aria-label="apply change {k}"'
                   f'{" checked" if applied else ""}></td>')
            replacement = (f'<input type="text" class="respell-replacement" value="{replacement}" '
                           f'aria-label="replacement {k}">')
        rows.append(
            f'<tr{attrs}>{box}<td class="num"><a href="#{anchor}{k}">{k}</a></td>'
            f'<td class="where">{_e(where)}</td><td>{_e(ch.original)}</td>'
            f'<td class="replacement">{replacement}</td><td>{_e(ch.entity + label)}</td>'
            f'<td class="num">{ch.score:.2f}</td><td>{_e(runner)}</td>'
            f'<td class="why">{_e(why)}</td></tr>'
        )
    rows.append("</tbody></table>")
    return "".join(rows)


def page(title: str, body: str, *, script: str = "") -> str:
    """A standalone HTML5 page around ``body`` (and an inline ``script`` at its end)."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{_e(title)}</title>\n"
        "<style>body { margin: 1.5rem; font-family: system-ui, sans-serif; }</style>\n"
        f"</head>\n<body>\n<h1>{_e(title)}</h1>\n{body}\n"
        + (f"<script>{script}</script>\n" if script else "")
        + "</body>\n</html>\n"
    )
