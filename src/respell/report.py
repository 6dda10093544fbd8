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
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .correct import Change, Result
from .errors import ReportError
from .textio import atomic_write, read_text

REPORT_VERSION = 1
CSV_FIELDS = ("input", "start", "end", "original", "replacement", "entity", "label", "score",
              "runner_up", "runner_up_score", "reason", "acoustic")
KINDS = (".json", ".csv", ".html", ".htm")


@dataclass(frozen=True)
class FileReport:
    """One transcript's part of a report: where it came from and what was changed."""

    input: str
    input_sha256: str
    format: str
    result: Result


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
    text = {".json": report_json, ".csv": report_csv, ".html": report_html}[kind](entries)
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
    """One row per change, for spreadsheets (``respell apply`` needs the JSON report)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for e in entries:
        for c in e.result.changes:
            row = c.to_dict()
            writer.writerow({"input": e.input, **{k: row.get(k) for k in CSV_FIELDS[1:]}})
    return buf.getvalue()


def report_html(entries: Sequence[FileReport], *, title: str = "respell report") -> str:
    """A standalone page: a summary, then each transcript with its changes highlighted."""
    from .display import CSS, _e, page, result_fragment

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
        "runner-up; dotted underlines are proposals below the threshold, not applied.</p>"),
        "</section>",
    ]
    for i, e in enumerate(entries, 1):
        parts.append(f'<section id="file{i}">')
        parts.append(result_fragment(e.result, title=e.input, anchor=f"f{i}c", heading="h2",
                                     style=False))
        parts.append("</section>")
    return page(title, "\n".join(parts))


# -- reading back -----------------------------------------------------------------------------


def load_report(path: str | os.PathLike) -> LoadedReport:
    """Read a JSON report; a malformed one raises :class:`ReportError` naming what is wrong."""
    if Path(str(path)).suffix.lower() in (".csv", ".html", ".htm"):
        raise ReportError(f"{path}: respell apply needs the JSON report (--report changes.json)")
    return load_report_text(read_text(path, what="report"), str(path))


def load_report_text(text: str, name: str) -> LoadedReport:
    """Parse the text of a JSON report (see :func:`load_report`)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportError(f"{name}: invalid JSON at line {exc.lineno}: {exc.msg}") from None
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
