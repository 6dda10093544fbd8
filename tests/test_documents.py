"""Reading related documents as text: HTML, Markdown and PDF (made here, read for real)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from pdf_maker import make_pdf

from respell import documents
from respell.documents import (
    clean_pdf_text,
    document_text,
    drop_running_lines,
    html_to_text,
    markdown_to_text,
    pdf_to_text,
)
from respell.errors import InputError, MissingDependencyError

# -- HTML and Markdown ------------------------------------------------------------------------

HTML = """<!DOCTYPE html>
<html><head><title>Show notes</title><style>p { color: red } /* Nasrallah */</style>
<script>var who = "Ayman al-Zawahiri";</script></head>
<body><h1>The Dispatch</h1><p>Liz Sly reports from <b>Beirut</b> &amp; Baghdad.</p>
<p>Musharraf&#39;s generals</p><noscript>Hassan Nasrallah</noscript><div>Tora<br>Bora</div></body></html>
"""


def test_html_to_text_drops_script_and_style_and_separates_blocks():
    text = html_to_text(HTML)
    for hidden in ("Zawahiri", "Nasrallah", "color", "Show notes"):
        assert hidden not in text
    assert "Liz Sly reports from Beirut & Baghdad." in text
    assert "Musharraf's generals" in text
    assert "The Dispatch\n\nLiz Sly" in text
    assert "Tora Bora" not in text  # a line break in the markup is a break in the text


def test_markdown_to_text():
    md = (
        "# The Dispatch\n\n"
        "Guest: [Farzana Qureshi](https://example.org/fq), **Lahore**\n"
        "```\nAyman al-Zawahiri = code\n```\n"
        "- *Peshawar* and `Parachinar`\n"
        "> Abbottabad\n"
    )
    text = markdown_to_text(md)
    assert "Zawahiri" not in text and "https" not in text and "*" not in text
    for word in (
        "The Dispatch",
        "Guest: Farzana Qureshi, Lahore",
        "Peshawar and Parachinar",
        "Abbottabad",
    ):
        assert word in text


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("notes.txt", "Liz Sly in <b>Beirut</b>", "Liz Sly in <b>Beirut</b>"),
        ("notes.html", "<p>Liz Sly in <b>Beirut</b></p>", "Liz Sly in Beirut"),
        ("notes.htm", "<p>Kyiv</p>", "Kyiv"),
        ("notes.txt", "<!DOCTYPE html><p>Kyiv</p>", "Kyiv"),  # sniffed
        ("notes.md", "## Kyiv [IAEA](http://x)", "Kyiv IAEA"),
        # text copied out of a PDF keeps its glyphs: a line-end hyphen, a ligature
        ("notes.txt", "COVID\ufffe19 hit \ufb01nancial re\ufffe\nsults", "COVID-19 hit financial results"),
        # trademark signs, which no transcript writes
        ("notes.html", "<p>LiveSmart Evolve\u2122 and ProForm\u00ae</p>", "LiveSmart Evolve and ProForm"),
    ],
)
def test_document_text(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert document_text(path) == expected


# -- PDF --------------------------------------------------------------------------------------

pytest.importorskip("pypdfium2")

RELEASE = [
    ["Acme Weekly", "Liz Sly reports from Beirut on the adjust-",
     "ment of Quds Force plans and non-", "cash charges."],
    ["Acme Weekly", "Qassem Soleimani met Hassan Nasrallah."],
    ["Acme Weekly", "PowerEdge sales rose in Kyiv."],
]


def test_pdf_text_layer_is_read(tmp_path):
    path = tmp_path / "release.pdf"
    path.write_bytes(make_pdf(RELEASE))
    text = document_text(path)
    assert "Liz Sly reports from Beirut on the adjustment of Quds Force plans" in text
    assert "non-cash charges" in text  # a compound keeps its hyphen
    assert "Qassem Soleimani met Hassan Nasrallah." in text
    assert text.count("Acme Weekly") == 1  # the running head, kept on the first page only
    assert "\r" not in text and "\ufffe" not in text
    assert text.split("\n\n")[2] == "PowerEdge sales rose in Kyiv."  # pages are paragraphs


def test_pdf_is_sniffed_by_content(tmp_path):
    path = tmp_path / "release.download"
    path.write_bytes(make_pdf([["Liz Sly reports from Beirut"]]))
    assert document_text(path) == "Liz Sly reports from Beirut"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (make_pdf([[], []], image=True), "has no text layer (a scan?): run OCR"),
        (make_pdf([["12", "7"]]), "has no text layer"),
        (b"%PDF-1.4\n1 0 obj garbage", "not a readable PDF"),
        (b"", "document is empty"),
    ],
    ids=["scan", "page-numbers-only", "garbage", "empty"],
)
def test_bad_pdf_one_clear_line(tmp_path, content, message):
    path = tmp_path / "scan.pdf"
    path.write_bytes(content)
    with pytest.raises(InputError, match=re.escape(message)) as info:
        document_text(path)
    assert "\n" not in str(info.value) and "scan.pdf" in str(info.value)


def test_missing_pdf_library_names_the_pip_command(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pypdfium2", None)  # import pypdfium2 raises ImportError
    path = tmp_path / "release.pdf"
    path.write_bytes(make_pdf(RELEASE))
    with pytest.raises(MissingDependencyError, match=r"pip install 'respell\[pdf\]'") as info:
        document_text(path)
    assert "\n" not in str(info.value)
    notes = tmp_path / "notes.txt"
    notes.write_text("Liz Sly in Beirut")
    assert document_text(notes) == "Liz Sly in Beirut"  # other documents need no PDF library


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("line one\r\nline two\r", "line one\nline two\n"),
        ("the adjust\ufffement", "the adjustment"),  # a word cut at the line end
        ("re\ufffe\r\nsults", "results"),
        ("con\ufffeduct", "conduct"),  # halves are words, but the whole is more common
        ("non\ufffecash", "non-cash"),  # a compound
        ("forward\ufffelooking", "forward-looking"),
        ("pre\ufffetax", "pre-tax"),
        ("Three\ufffeMonth", "Three-Month"),
        ("Sitherw\ufffeood", "Sitherwood"),  # a name cut in two
        ("fiscal 2019\ufffe20", "fiscal 2019-20"),
        ("\ufb01nancial \ufb02ow e\ufb03cient", "financial flow efficient"),
        ("\uf0a7 Quds Force", "  Quds Force"),  # a symbol-font bullet
        ("S p i r e | Q u d s Force", "Spire | Quds Force"),
        ("a b c", "a b c"),  # three letters are not a spaced word
        ("N Y S E: SR", "NYSE: SR"),
        ("Liz\u00a0Sly\u2009reports", "Liz Sly reports"),
        # a trademark set as superscript letters glued to the name, or as a sign
        ("Real ZeroTM goals, Evolve\u2122, at the ATM", "Real Zero goals, Evolve, at the ATM"),
    ],
)
def test_clean_pdf_text(raw, expected):
    assert clean_pdf_text(raw) == expected


def test_drop_running_lines_needs_most_pages():
    pages = ["Page 1 Acme\nLiz Sly", "Page 2 Acme\nBeirut", "Kyiv"]
    assert drop_running_lines(pages) == ["Page 1 Acme\nLiz Sly", "Beirut", "Kyiv"]
    assert drop_running_lines(pages[:2]) == pages[:2]  # two pages: no telling
    assert drop_running_lines(["Liz Sly", "Beirut", "Kyiv"]) == ["Liz Sly", "Beirut", "Kyiv"]


def test_pdf_to_text_logs_pages_without_text(caplog):
    caplog.set_level("INFO", logger=documents.__name__)
    assert pdf_to_text(make_pdf([["Liz Sly reports from Beirut"], []]), "x.pdf") == (
        "Liz Sly reports from Beirut"
    )
    assert "1 of 2 pages without text" in caplog.text


# -- real PDFs: ConEC's slides and releases, where ../shared/bench is there --------------------

CONEC_PDFS = Path(__file__).resolve().parents[2] / "shared" / "bench" / "conec" / "pdfs"
needs_conec = pytest.mark.skipif(not CONEC_PDFS.is_dir(), reason="../shared/bench/conec not here")


@needs_conec
@pytest.mark.parametrize(("name", "names"), [
    ("4359732_2.pdf", ["Detlef Trefzger", "Markus Blanka"]),  # a release
    ("4346923_2.pdf", ["Juan Esteban Calle"]),
    ("4344866_1.pdf", ["Suzanne Sitherwood"]),  # slides
])
def test_real_pdfs_give_their_names(name, names):
    text = document_text(CONEC_PDFS / name)
    assert all(n in text for n in names)
    assert "\ufffe" not in text and "\r" not in text and "(cid:" not in text


@needs_conec
def test_a_real_scan_is_one_clear_line():
    with pytest.raises(InputError, match="has no text layer") as info:
        document_text(CONEC_PDFS / "4382825_1.pdf")
    assert "\n" not in str(info.value)
