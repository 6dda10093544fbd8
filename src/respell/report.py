"""Change reports: JSON (applicable with ``respell apply``), CSV and a standalone HTML page.

A JSON report records, for each transcript, the SHA-256 of its bytes, its
format and the changes with their offsets in the transcript's text view; a
user may delete or edit entries and apply the rest exactly.

>>> from respell.correct import Change, Result
>>> r = Result("Sola money", "Soleimani", (Change(0, 10, "Sola money", "Soleimani", "Soleimani", None, 0.9),))
>>> entry = FileReport("a.txt", "0" * 64, "txt", r)
>>> load_report_text(report_json([entry]), "r.json").files[0].changes[0].replacement
'Soleimani'
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ReportError
from .result import Change, Result
from .textio import atomic_write, csv_rows, load_json, read_text

REPORT_VERSION = 1
CSV_FIELDS = ("input", "start", "end", "original", "replacement", "entity", "label", "score",
              "runner_up", "runner_up_score", "reason", "acoustic", "input_sha256", "format",
              "sources")
KINDS = (".json", ".csv", ".html", ".htm")


@dataclass(frozen=True)
class FileReport:
    """One transcript's part of a report: where it came from and what was changed.

    ``times`` and ``line_of`` (the document's, optional) let the HTML page say where
    each change is: the file's line and, for subtitles and Whisper JSON, the time.
    """

    input: str
    input_sha256: str
    format: str
    result: Result
    times: tuple = field(default=(), compare=False, repr=False)
    line_of: Callable[[int], int | None] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class LoadedEntry:
    """A transcript's entry read back from a JSON report."""

    input: str
    input_sha256: str
    format: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class LoadedReport:
    """A JSON report read back: its file entries."""

    path: str
    files: tuple[LoadedEntry, ...]

    def entry_for(self, sha256: str, name: str) -> LoadedEntry:
        """The entry made for the transcript whose bytes hash to ``sha256``; refuse any other."""
        for entry in self.files:
            if entry.input_sha256 == sha256:
                return entry
        if len(self.files) == 1:
            made = self.files[0]
            raise ReportError(
                f"{self.path} was made for {made.input} (sha256 {made.input_sha256[:12]}...), "
                f"but {name} differs (sha256 {sha256[:12]}...): run respell fix on this file again"
            )
        raise ReportError(f"{self.path} has no entry for {name} (sha256 {sha256[:12]}...): "
                          "apply a report made for this very file")


def check_kind(path: str | os.PathLike) -> str:
    """The report kind from a path's extension (``.json``, ``.csv`` or ``.html``)."""
    suffix = Path(str(path)).suffix.lower()
    if suffix not in KINDS:
        raise ReportError(f"report file must end in .json, .csv or .html, got {str(path)!r}")
    return ".html" if suffix == ".htm" else suffix


def write_report(path: str | os.PathLike, entries: Sequence[FileReport]) -> None:
    """Write a report, its kind chosen by the extension; atomically."""
    kind = check_kind(path)
    if kind == ".html":  # the page's edited report downloads beside it, by a name of its own
        text = report_html(entries, download=f"{Path(str(path)).stem}-reviewed.json")
    else:
        text = {".json": report_json, ".csv": report_csv}[kind](entries)
    atomic_write(path, text)


def _summary(entries: Sequence[FileReport]) -> dict:
    changes = [c for e in entries for c in e.result.changes]
    return {
        "files": len(entries),
        "changes": len(changes),
        "entities": dict(Counter(c.entity for c in changes).most_common()),
        "mean_score": round(sum(c.score for c in changes) / len(changes), 4) if changes else None,
    }


def report_json(entries: Sequence[FileReport]) -> str:
    """The JSON report (what ``respell apply`` reads)."""
    from . import __version__

    doc = {
        "respell_report": REPORT_VERSION,
        "respell_version": __version__,
        "summary": _summary(entries),
        "files": [
            {
                "input": e.input,
                "input_sha256": e.input_sha256,
                "format": e.format,
                "source_sha256": e.result.source_sha256,
                "options": {"min_score": e.result.options.min_score,
                            "max_span_words": e.result.options.max_span_words},
                "changes": [c.to_dict() for c in e.result.changes],
            }
            for e in entries
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def report_csv(entries: Sequence[FileReport]) -> str:
    """One row per change, for spreadsheets; ``respell apply`` reads it back once rows are
    deleted or replacements edited (the last two columns say which file a row is for).

    A text cell that a spreadsheet would run as a formula (one starting with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return, as OWASP's advice on CSV injection lists) is
    written with a ``'`` in front, and so is one that starts with ``'``; ``apply`` takes
    that one ``'`` off again.

    >>> from respell.correct import Change, Result
    >>> r = Result("x", "=1+2", (Change(0, 1, "x", "=1+2", "=1+2", None, 0.9),))
    >>> report_csv([FileReport("a.txt", "ab", "txt", r)]).splitlines()[1]
    "a.txt,0,1,x,'=1+2,'=1+2,,0.9,,,,,ab,txt,"
    """
    buf = io.StringIO()
    # CRLF, as RFC 4180 has it: the writer then quotes a cell holding a lone CR as well
    writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for e in entries:
        for c in e.result.changes:
            row = {**c.to_dict(), "input": e.input, "input_sha256": e.input_sha256,
                   "format": e.format, "sources": ";".join(c.sources)}
            writer.writerow({k: _cell(row.get(k)) for k in CSV_FIELDS})
    return buf.getvalue()


#: first characters that make a spreadsheet read a cell as a formula
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """A CSV cell that no spreadsheet runs as a formula (see :func:`report_csv`)."""
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, "'")):
        return "'" + value
    return value


def _uncell(value: str) -> str:
    return value.removeprefix("'")


def report_html(entries: Sequence[FileReport], *, title: str = "respell report",
                download: str = "changes-reviewed.json") -> str:
    """A standalone review page: a summary, then each transcript with its changes
    highlighted and a table saying where each is, its runner-up and why it was made.

    In a browser (from a file: no server) the reader can untick a change, tick a
    proposal that was not applied, or edit a replacement, and download the JSON
    report of what is left (``download`` names it), which ``respell apply`` takes.
    Without script the page still shows everything.
    """
    from html import escape as _e

    from .display import CSS, page, result_fragment, shown_candidates

    s = _summary(entries)
    ents = ", ".join(f"{_e(k)} ({v})" for k, v in list(s["entities"].items())[:30]) or "none"
    mean = f"{s['mean_score']:.2f}" if s["mean_score"] is not None else "–"
    rows = "".join(
        f'<tr><td><a href="#file{i}">{_e(e.input)}</a></td><td>{_e(e.format)}</td>'
        f'<td class="num">{len(e.result.changes)}</td></tr>'
        for i, e in enumerate(entries, 1)
    )
    parts = [
        f"<style>{CSS}</style>",
        '<section class="respell-result respell-report-summary">',
        (f'<p class="respell-summary"><strong>{s["changes"]}</strong> changes in '
        f'<strong>{s["files"]}</strong> file{"s" * (s["files"] != 1)}; mean score {mean}. '
        f"Entities: {ents}.</p>"),
        (f"<table><thead><tr><th>file</th><th>format</th><th>changes</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"),
        ('<p class="respell-summary">Hover over (or tab to) a change to see its score, entity and '
        "runner-up; dotted underlines are proposals below the threshold, not applied. "
        "Untick a change, tick a proposal or edit a replacement in the tables, then "
        f'<button type="button" id="respell-download" data-name="{_e(download)}" disabled>'
        "download the reviewed report</button> and apply it: <code>respell apply "
        f"{_e(download)} FILE</code>. <span id=\"respell-status\"></span></p>"),
        "</section>",
    ]
    proposals = []
    for i, e in enumerate(entries, 1):
        parts.append(f'<section id="file{i}">')
        parts.append(result_fragment(e.result, title=e.input, anchor=f"f{i}c", heading="h2",
                                     style=False, times=e.times, line_of=e.line_of,
                                     review=i - 1))
        parts.append("</section>")
        proposals.append([c.to_dict() for c in (*e.result.changes, *shown_candidates(e.result))])
    data = {"report": json.loads(report_json(entries)), "proposals": proposals}
    # no "<" at all inside the script element ("</script>", "<!--" would end or confuse it);
    # JSON spells it \u003c
    blob = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    parts.append(f'<script type="application/json" id="respell-data">{blob}</script>')
    return page(title, "\n".join(parts), script=REVIEW_SCRIPT)


#: The review page's script: keeps the highlighted text in step with the table, and
#: builds the reviewed JSON report (the report's own entries, with the changes kept).
REVIEW_SCRIPT = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("respell-data").textContent);
  var button = document.getElementById("respell-download");
  var status = document.getElementById("respell-status");

  function rowParts(row) {
    return {
      box: row.querySelector("input.respell-apply"),
      field: row.querySelector("input.respell-replacement"),
      span: document.getElementById(row.querySelector("a").getAttribute("href").slice(1)),
      proposal: data.proposals[+row.dataset.file][+row.dataset.k]
    };
  }

  function show(row) {
    var p = rowParts(row), on = p.box.checked, value = p.field.value;
    row.classList.toggle("respell-off", !on);
    if (!p.span) { return; }
    if (p.span.classList.contains("respell-change")) {
      p.span.classList.toggle("respell-off", !on);
      p.span.querySelector("ins").textContent = value;
    } else {
      p.span.textContent = "";
      if (on) {
        var del = document.createElement("del"), ins = document.createElement("ins");
        del.textContent = p.proposal.original;
        ins.textContent = value;
        p.span.appendChild(del);
        p.span.appendChild(ins);
        p.span.className = "respell-change";
      } else {
        p.span.textContent = p.proposal.original;
        p.span.className = "respell-candidate";
      }
    }
  }

  function reviewed() {
    var out = JSON.parse(JSON.stringify(data.report)), all = [];
    out.files.forEach(function (file, i) {
      var kept = [];
      document.querySelectorAll('tr.respell-row[data-file="' + i + '"]').forEach(function (row) {
        var p = rowParts(row);
        if (!p.box.checked) { return; }
        var change = JSON.parse(JSON.stringify(p.proposal));
        if (p.field.value !== change.replacement) {
          change.reason = "edited in review (proposed " + JSON.stringify(change.replacement) + ")";
          change.replacement = p.field.value;
        }
        kept.push(change);
      });
      kept.sort(function (a, b) { return a.start - b.start; });
      file.changes = kept;
      all = all.concat(kept);
    });
    var entities = {};
    all.forEach(function (c) { entities[c.entity] = (entities[c.entity] || 0) + 1; });
    out.summary = {
      files: out.files.length, changes: all.length, entities: entities,
      mean_score: all.length ? Math.round(all.reduce(function (s, c) { return s + c.score; }, 0)
                                          / all.length * 1e4) / 1e4 : null,
      reviewed: true
    };
    return out;
  }

  document.addEventListener("change", function (ev) {
    var row = ev.target.closest("tr.respell-row");
    if (row) { show(row); }
  });
  document.addEventListener("input", function (ev) {
    var row = ev.target.closest("tr.respell-row");
    if (row) { show(row); }
  });
  button.addEventListener("click", function () {
    var report = reviewed();
    var blob = new Blob([JSON.stringify(report, null, 2) + "\n"], {type: "application/json"});
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = button.dataset.name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    status.textContent = report.summary.changes + " change" +
      (report.summary.changes === 1 ? "" : "s") + " kept in " + button.dataset.name;
  });
  window.respellReviewed = reviewed;
  document.querySelectorAll("tr.respell-row").forEach(show);
  button.disabled = false;
})();
"""


# -- reading back -----------------------------------------------------------------------------


def load_report(path: str | os.PathLike) -> LoadedReport:
    """Read a JSON or CSV report; a malformed one raises :class:`ReportError` naming what
    is wrong."""
    suffix = Path(str(path)).suffix.lower()
    if suffix in (".html", ".htm"):
        raise ReportError(f"{path}: respell apply reads the JSON or CSV report "
                          "(--report changes.json or changes.csv), not the HTML page")
    text = read_text(path, what="report")
    if suffix == ".csv":
        return load_report_csv(text, str(path))
    return load_report_text(text, str(path))


def load_report_csv(text: str, name: str) -> LoadedReport:
    """Parse a CSV report (see :func:`report_csv`), as a spreadsheet may have saved it:
    rows deleted, replacements edited, numbers written as ``12.0``.

    >>> rows = ["input,start,end,original,replacement,input_sha256,format",
    ...         "ep.txt,8,18,Sola money,Soleimani,ab,txt"]
    >>> load_report_csv("\\n".join(rows), "r.csv").files[0].changes[0].replacement
    'Soleimani'
    """
    table = csv_rows(text.lstrip("\ufeff"), name, error=ReportError)
    fieldnames = next(table, [])
    missing = [k for k in ("input_sha256", "start", "end", "original", "replacement")
               if k not in fieldnames]
    if missing:
        raise ReportError(f"{name}: not a respell CSV report (no {', '.join(missing)} column"
                          f"{'s' * (len(missing) > 1)}); make one with respell fix FILE -e LIST "
                          "--report changes.csv")
    files: dict[str, tuple[str, str, list[Change]]] = {}
    for n, cells in enumerate(table, 2):
        where = f"{name}:{n}"
        if not any(cells):
            continue  # a blank line, as a spreadsheet may leave after deleted rows
        row = dict(zip(fieldnames, cells))
        data = {k: _uncell(v) if k not in _NUMERIC else v for k, v in row.items() if v != ""}
        for key in ("start", "end"):
            data[key] = _whole(data.get(key), key, where)
        for key in ("score", "runner_up_score", "acoustic"):
            if key in data:
                data[key] = _number(data[key], key, where)
        data.setdefault("original", "")
        data.setdefault("replacement", "")
        data["sources"] = tuple(data.get("sources", "").split(";")) if data.get("sources") else ()
        sha = data.pop("input_sha256", None)
        if not sha:
            raise ReportError(f"{where}: missing input_sha256")
        entry = files.setdefault(sha, (data.pop("input", "?"), data.pop("format", "txt"), []))
        entry[2].append(_change(data, where))
    return LoadedReport(name, tuple(LoadedEntry(inp, sha, fmt, tuple(changes))
                                    for sha, (inp, fmt, changes) in files.items()))


_NUMERIC = ("start", "end", "score", "runner_up_score", "acoustic")


def _whole(value, key: str, where: str) -> int:
    """A spreadsheet's cell as a whole number ("12", "12.0")."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ReportError(f"{where}: '{key}' must be a whole number, got {value!r}") from None
    if not math.isfinite(number) or not number.is_integer():
        raise ReportError(f"{where}: '{key}' must be a whole number, got {value!r}")
    return int(number)


def _number(value: str, key: str, where: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise ReportError(f"{where}: '{key}' must be a number, got {value!r}") from None


def load_report_text(text: str, name: str) -> LoadedReport:
    """Parse the text of a JSON report (see :func:`load_report`)."""
    data = load_json(text, name, ReportError)
    if not isinstance(data, dict) or "files" not in data or not isinstance(data["files"], list):
        raise ReportError(f"{name}: not a respell report (no 'files' list); make one with "
                          "respell fix FILE -e LIST --report changes.json")
    files = []
    for i, f in enumerate(data["files"]):
        where = f"{name}: files[{i}]"
        if not isinstance(f, dict) or not isinstance(f.get("input_sha256"), str):
            raise ReportError(f"{where}: missing 'input_sha256'")
        if not isinstance(f.get("changes"), list):
            raise ReportError(f"{where}: missing 'changes' list")
        changes = tuple(_change(c, f"{where}.changes[{k}]") for k, c in enumerate(f["changes"]))
        files.append(LoadedEntry(str(f.get("input", "?")), f["input_sha256"],
                                 str(f.get("format") or "txt"), changes))
    return LoadedReport(name, tuple(files))


def _change(c, where: str) -> Change:
    if not isinstance(c, dict):
        raise ReportError(f"{where}: expected an object, got {c!r}")
    for key, kind in (("start", int), ("end", int), ("original", str), ("replacement", str)):
        if not isinstance(c.get(key), kind) or isinstance(c.get(key), bool):
            raise ReportError(f"{where}: '{key}' must be {'an integer' if kind is int else 'a string'}"
                              f", got {c.get(key)!r}")
    data = {"entity": c.get("replacement"), "label": None, "score": 1.0, **c}
    try:
        return Change.from_dict(data)
    except TypeError as exc:
        raise ReportError(f"{where}: {exc}") from None
