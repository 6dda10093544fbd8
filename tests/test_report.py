"""Reports (JSON, CSV, HTML) and the shared HTML/terminal renderer."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser

import pytest

from respell.correct import Change, FixOptions, Result, apply_changes
from respell.display import pieces, result_html, terminal_diff
from respell.errors import ReportError
from respell.report import (
    FileReport,
    check_kind,
    load_report_text,
    report_csv,
    report_html,
    report_json,
)

SOURCE = "General Sola money was killed.\n\nWe met Liz sly <on> the bay loop & more."


def _c(original: str, replacement: str, entity: str, score: float, **kw) -> Change:
    at = SOURCE.index(original)
    return Change(at, at + len(original), original, replacement, entity, kw.pop("label", None), score, **kw)


CHANGES = (
    _c("Sola money", "Soleimani", "Qassem Soleimani", 0.77, label="PERSON", runner_up="Salman",
       runner_up_score=0.21),
    _c("Liz sly", "Liz Sly", "Liz Sly", 0.99),
)
CANDIDATE = _c("bay loop", "Beirut", "Beirut", 0.31)
RESULT = Result(SOURCE, apply_changes(SOURCE, CHANGES), CHANGES, FixOptions(), (CANDIDATE,))
ENTRY = FileReport("ep <1>.srt", "ab" * 32, "srt", RESULT)


class Tree(HTMLParser):
    """Checks nesting and collects elements, attributes and text."""

    VOID = frozenset({"meta", "br", "hr", "img", "link", "input"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.tags, self.text, self.errors = [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs), tuple(self.stack)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        if not self.stack or self.stack[-1] != "style":
            self.text.append(data)


def parse_html(text: str) -> Tree:
    tree = Tree()
    tree.feed(text)
    tree.close()
    assert not tree.errors, tree.errors
    assert not tree.stack, f"unclosed: {tree.stack}"
    return tree


def test_html_report_structure():
    page = report_html([ENTRY])
    assert page.startswith("<!DOCTYPE html>")
    tree = parse_html(page)
    names = [t for t, _, _ in tree.tags]
    assert names[:1] == ["html"] and "head" in names and "body" in names and "title" in names
    changes = [(a, parents) for t, a, parents in tree.tags if "respell-change" in a.get("class", "").split()]
    assert len(changes) == 2
    for attrs, parents in changes:
        assert "score" in attrs["title"] and attrs["id"]
        assert "div" in parents
    first = changes[0][0]
    assert "Qassem Soleimani (PERSON)" in first["title"] and "runner-up: Salman 0.21" in first["title"]
    cands = [a for t, a, _ in tree.tags if a.get("class") == "respell-candidate"]
    assert len(cands) == 1 and "not applied: Beirut" in cands[0]["title"]
    text = "".join(tree.text)
    # the summary comes before the transcript, and the transcript's text survives escaping
    assert text.index("2 changes in 1 file") < text.index("General")
    assert "<on> the bay loop & more." in text
    assert "ep <1>.srt" in text
    links = {a["href"] for t, a, _ in tree.tags if t == "a"}
    ids = {a["id"] for _, a, _ in tree.tags if "id" in a}
    assert links <= {f"#{i}" for i in ids}


def test_notebook_html_is_a_fragment_with_the_same_renderer():
    frag = RESULT._repr_html_()
    assert frag == result_html(RESULT, standalone=False)
    assert frag.startswith('<div class="respell-result">') and "<html" not in frag
    parse_html(frag)
    whole = result_html(RESULT, standalone=True)
    assert whole.startswith("<!DOCTYPE html>") and frag in whole


def test_pieces_cover_the_source_exactly():
    got = "".join(p.text for p in pieces(SOURCE, CHANGES, candidates=(CANDIDATE,)))
    assert got == SOURCE


def test_long_text_is_shown_as_excerpts():
    long = "word " * 10_000 + "General Sola money was killed. " + "word " * 10_000
    at = long.index("Sola money")
    ch = Change(at, at + 10, "Sola money", "Soleimani", "Qassem Soleimani", None, 0.8)
    r = Result(long, apply_changes(long, [ch]), (ch,))
    html = result_html(r)
    assert len(html) < 8_000 and "respell-gap" in html and "<ins>Soleimani</ins>" in html


def test_terminal_diff_plain_and_coloured():
    plain = terminal_diff(RESULT, name="ep.srt")
    assert "ep.srt:1:9  score 0.77  Qassem Soleimani (PERSON)  runner-up: Salman 0.21" in plain
    assert "[-Sola money-]{+Soleimani+}" in plain
    assert "\x1b[" not in plain
    assert "\x1b[" in terminal_diff(RESULT, color=True)
    # context stays inside its paragraph (or cue)
    assert "killed" not in plain.splitlines()[3]


def test_json_report_round_trip_and_hash():
    data = json.loads(report_json([ENTRY]))
    assert data["files"][0]["input_sha256"] == "ab" * 32
    assert data["files"][0]["source_sha256"] == RESULT.source_sha256
    assert data["summary"]["changes"] == 2
    loaded = load_report_text(report_json([ENTRY]), "r.json")
    assert loaded.files[0].changes == CHANGES
    assert loaded.entry_for("ab" * 32, "x").format == "srt"
    with pytest.raises(ReportError, match="was made for ep <1>.srt"):
        loaded.entry_for("cd" * 32, "other.srt")


def test_csv_report_has_one_row_per_change():
    rows = list(csv.DictReader(io.StringIO(report_csv([ENTRY]))))
    assert [r["replacement"] for r in rows] == ["Soleimani", "Liz Sly"]
    assert rows[0]["input"] == "ep <1>.srt" and float(rows[0]["score"]) == 0.77


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "invalid JSON"),
        ("[]", "not a respell report"),
        ('{"files": [{"changes": []}]}', "input_sha256"),
        ('{"files": [{"input_sha256": "x"}]}', "changes"),
        ('{"files": [{"input_sha256": "x", "changes": [{"start": "1"}]}]}', "'start' must be an integer"),
        ('{"files": [{"input_sha256": "x", "changes": [{"start": 1, "end": 2, "original": "a"}]}]}',
         "'replacement' must be a string"),
    ],
)
def test_malformed_reports(text, message):
    with pytest.raises(ReportError, match=message):
        load_report_text(text, "r.json")


def test_edited_report_entry_needs_only_the_essentials():
    text = json.dumps({"files": [{"input_sha256": "x", "changes": [
        {"start": 0, "end": 7, "original": "General", "replacement": "Gen."}]}]})
    (entry,) = load_report_text(text, "r.json").files
    assert entry.changes[0].replacement == "Gen." and entry.format == "txt"


@pytest.mark.parametrize(("path", "ok"), [("a.json", True), ("a.CSV", True), ("a.html", True),
                                          ("a.htm", True), ("a.txt", False), ("report", False)])
def test_report_kind_from_extension(path, ok):
    if ok:
        assert check_kind(path)
    else:
        with pytest.raises(ReportError, match=r"\.json, \.csv or \.html"):
            check_kind(path)


# -- hostile input (issue 14) -------------------------------------------------------------------


def test_csv_cells_never_start_a_formula_and_read_back_exactly():
    from respell.report import load_report_csv

    source = "=1+2 met -Liz sly at @home and 'quoted"
    texts = ["=1+2", "-Liz sly", "@home", "'quoted"]
    changes = tuple(Change(source.index(t), source.index(t) + len(t), t, "+" + t, "@" + t,
                           "=LABEL", 0.9, runner_up="-x", reason="\tsounds like") for t in texts)
    entry = FileReport("=HYPERLINK(x).txt", "ab", "\rtxt", Result(source, source, changes))
    text = report_csv([entry])
    cells = [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    (loaded,) = load_report_csv(text, "r.csv").files
    assert loaded.input == "=HYPERLINK(x).txt" and loaded.format == "\rtxt"
    assert [(c.original, c.replacement, c.entity, c.label, c.runner_up, c.reason)
            for c in loaded.changes] == [(t, "+" + t, "@" + t, "=LABEL", "-x", "\tsounds like")
                                         for t in texts]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("input_sha256,start,end,original,replacement\nab,1,2," + "x" * 200_000 + ",b\n",
         "r.csv:2: not readable as CSV: field larger"),
        ("input_sha256,start,end,original,replacement\nab,1e999,2,a,b\n", "'start' must be a whole"),
        ("input_sha256,start,end,original,replacement\nab,nan,2,a,b\n", "'start' must be a whole"),
    ],
)
def test_malformed_csv_reports_are_one_line(text, message):
    from respell.report import load_report_csv

    with pytest.raises(ReportError, match=message):
        load_report_csv(text, "r.csv")


def test_a_deep_json_report_is_one_line():
    with pytest.raises(ReportError, match="r.json: JSON nested too deeply"):
        load_report_text('{"files": ' + "[" * 100_000 + "]" * 100_000 + "}", "r.json")


def test_html_report_is_a_review_form_with_its_report_inside():
    from respell.formats.base import Timing

    entry = FileReport("ep <1>.srt", "ab" * 32, "srt", RESULT,
                       times=(Timing(0, 30, 61.5, 63.0), Timing(32, len(SOURCE), 64.0, 66.0)),
                       line_of=lambda offset: 3 + SOURCE.count("\n", 0, offset))
    page = report_html([entry], download="x-reviewed.json")
    tree = parse_html(page)
    boxes = [a for t, a, _ in tree.tags if t == "input" and a.get("type") == "checkbox"]
    assert [("checked" in a) for a in boxes] == [True, True, False]  # 2 changes, 1 proposal
    fields = [a["value"] for t, a, _ in tree.tags if t == "input" and a.get("type") == "text"]
    assert fields == ["Soleimani", "Liz Sly", "Beirut"]
    text = "".join(tree.text)
    assert "3 @0:01:01.500" in text and "5 @0:01:04.000" in text  # file line and cue time
    assert "runner-up" in text and "Salman (0.21)" in text
    assert "not applied (below the threshold)" in text
    block = page.split('<script type="application/json" id="respell-data">', 1)[1].split(
        "</script>", 1)[0]
    assert "<" not in block  # nothing in the data can end or confuse its script element
    data = json.loads(block)
    assert data["report"] == json.loads(report_json([entry]))
    assert [p["replacement"] for p in data["proposals"][0]] == ["Soleimani", "Liz Sly", "Beirut"]
    assert 'data-name="x-reviewed.json"' in page and "respell apply x-reviewed.json" in page
