"""``respell fix --from-doc``: documents of every kind, and the ones that cannot be used.

The recognizer is a stand-in (no spaCy model): the documents are read, mined and
filtered by the real code.
"""

from __future__ import annotations

import re

import pytest
from pdf_maker import make_pdf

from respell import extract
from respell.cli import main

TRANSCRIPT = "Our correspondent loop sly reports from bay root.\n"
FIXED = "Our correspondent Liz Sly reports from Beirut.\n"


KNOWN = {"Liz Sly": "PERSON", "Beirut": "GPE"}


class FakeNLP:
    """Tags the names it knows wherever they are written."""

    def pipe(self, texts, batch_size=1):
        for text in texts:
            ents = [type("Span", (), {"text": name, "label_": label})
                    for name, label in KNOWN.items()
                    for _ in re.finditer(re.escape(name), text)]
            yield type("Doc", (), {"ents": ents})


@pytest.fixture(autouse=True)
def fake_model(monkeypatch):
    monkeypatch.setattr(extract, "load_model", lambda *a, **k: FakeNLP())


@pytest.fixture
def files(tmp_path):
    (tmp_path / "episode.txt").write_text(TRANSCRIPT)
    (tmp_path / "names.txt").write_text("Liz Sly\n")
    (tmp_path / "article.txt").write_text("Liz Sly reports from Beirut.\n")
    (tmp_path / "empty.txt").write_text("  \n")
    (tmp_path / "nothing.txt").write_text("nothing to see here.\n")
    (tmp_path / "scan.pdf").write_bytes(make_pdf([[]], image=True))
    (tmp_path / "slides.pdf").write_bytes(make_pdf([["Liz Sly reports from Beirut today."]]))
    return tmp_path


def fix(files, *args):
    out = files / "fixed.txt"
    code = main(["fix", str(files / "episode.txt"), "-o", str(out), *args])
    return code, out.read_text() if out.exists() else None


def test_pdf_document(files, capsys):
    pytest.importorskip("pypdfium2")
    assert fix(files, "--from-doc", str(files / "slides.pdf")) == (0, FIXED)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("doc", "message"),
    [("scan.pdf", "no text layer (a scan?)"), ("empty.txt", "document is empty")],
)
def test_document_without_text_beside_a_list_is_a_warning(files, capsys, doc, message):
    # issue 11: a document that yields no text is a warning when a list remains
    if doc == "scan.pdf":
        pytest.importorskip("pypdfium2")
    code, out = fix(files, "-e", str(files / "names.txt"), "--from-doc", str(files / doc))
    assert code == 0
    assert out == "Our correspondent Liz Sly reports from bay root.\n"  # the list was used
    (err,) = capsys.readouterr().err.splitlines()
    assert err.startswith("respell: ") and message in err and doc in err
    assert err.endswith("left out, the other documents and lists are used")


def test_missing_document_beside_a_list_is_skipped(files, capsys):
    code, out = fix(files, "-e", str(files / "names.txt"), "--from-doc", str(files / "missing.txt"))
    assert code == 2
    assert out == "Our correspondent Liz Sly reports from bay root.\n"  # the list was used
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("respell: skipped ") and "document not found" in err[0]
    assert err[1:] == ["respell: 1 of 1 documents skipped"]


def test_scan_among_documents_is_a_warning(files, capsys):
    pytest.importorskip("pypdfium2")
    code, out = fix(files, "--from-doc", str(files / "scan.pdf"),
                    "--from-doc", str(files / "article.txt"))
    assert (code, out) == (0, FIXED)
    (err,) = capsys.readouterr().err.splitlines()
    assert "scan.pdf" in err and "no text layer" in err


def test_unusable_document_among_documents_is_skipped(files, capsys):
    code, out = fix(files, "--from-doc", str(files / "empty.txt"),
                    "--from-doc", str(files / "missing.txt"), "--from-doc", str(files / "article.txt"))
    assert (code, out) == (2, FIXED)
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 3 and "empty.txt" in err[0] and "missing.txt" in err[1]
    assert err[2] == "respell: 1 of 3 documents skipped"


def test_document_without_entities_is_a_warning(files, capsys, caplog):
    code, out = fix(files, "-e", str(files / "names.txt"),
                    "--from-doc", str(files / "nothing.txt"))
    assert (code, out) == (0, "Our correspondent Liz Sly reports from bay root.\n")
    assert capsys.readouterr().err == ""
    (warning,) = [r for r in caplog.records if r.levelname == "WARNING"]
    assert "nothing.txt" in warning.getMessage() and "no named entities" in warning.getMessage()


@pytest.mark.parametrize(
    ("docs", "message"),
    [
        (["scan.pdf"], "no text layer"),
        (["empty.txt"], "document is empty"),
        (["nothing.txt"], "no entities found in"),
        (["empty.txt", "missing.txt"], "no readable document among"),
    ],
)
def test_nothing_usable_is_an_error(files, capsys, docs, message):
    if "scan.pdf" in docs:
        pytest.importorskip("pypdfium2")
    args = [a for doc in docs for a in ("--from-doc", str(files / doc))]
    assert fix(files, *args) == (2, None)
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith("respell: error: ") and message in err[-1]
    assert len(err) == len(docs) + (len(docs) > 1)  # a line for each document, then the error


def test_missing_pdf_library_names_the_pip_command(files, capsys, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pypdfium2", None)
    code, out = fix(files, "-e", str(files / "names.txt"), "--from-doc", str(files / "slides.pdf"))
    assert code == 2 and out is not None
    err = capsys.readouterr().err.splitlines()
    assert "pip install 'respell[pdf]'" in err[0] and "slides.pdf" in err[0]
