"""Related documents as plain text: ``.txt``, Markdown, HTML and PDF.

A show's notes, the article an episode discusses, a press release or the slides of a
call spell the names right. :func:`document_text` reads any of them as plain text for
the recognizer in :mod:`respell.extract`. PDFs are read with pypdfium2 (``pip install
'respell[pdf]'``, part of ``respell[ner]``), the fastest of the libraries measured on
ConEC's slides and releases with text as good (``benchmarks/pdf_readers.py``); a PDF
without a text layer (a scan) raises a :class:`~respell.errors.NoTextError` saying so.

>>> html_to_text("<p>Liz Sly in <b>Beirut</b></p>")
'Liz Sly in Beirut'
>>> clean_pdf_text("S p i r e reported non\\ufffecash charges and an adjust\\ufffement.\\r\\n")
'Spire reported non-cash charges and an adjustment.\\n'
"""

from __future__ import annotations

import logging
import os
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from .errors import InputError, MissingDependencyError, NoTextError
from .textio import decode_bytes, read_bytes
from .words import zipf

log = logging.getLogger(__name__)

#: what ``respell entities`` and ``--from-doc`` read, for messages and help
SUFFIXES = ".txt, .md, .html or .pdf"

_PDF_HINT = "pip install 'respell[pdf]' (installs pypdfium2)"
_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
#: fewer letters than this in a whole PDF: it has no text layer worth the name
_MIN_PDF_LETTERS = 20


# -- HTML and Markdown ----------------------------------------------------------------------


class _TextOfHTML(HTMLParser):
    """Visible text of an HTML page: script and style dropped, blocks on their own lines."""

    _SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head"})
    _BLOCK = frozenset(
        """p div br li ul ol tr td th table section article header footer nav aside h1 h2 h3
        h4 h5 h6 blockquote pre figcaption title dt dd hr main""".split()  # noqa: SIM905
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag, attrs):
        if tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The visible text of an HTML document, one block a paragraph.

    >>> html_to_text("<p>Liz Sly in <b>Beirut</b></p><script>var x='Nope';</script>")
    'Liz Sly in Beirut'
    """
    parser = _TextOfHTML()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", text))
    return "\n\n".join(p for p in paragraphs if p)


def markdown_to_text(markdown: str) -> str:
    """Markdown with link targets, code, emphasis and heading marks removed.

    >>> markdown_to_text("## Tora Bora\\nSee [Pervez Musharraf](https://x.org/pm) and **Hezbollah**.")
    'Tora Bora\\nSee Pervez Musharraf and Hezbollah.'
    """
    fences = re.compile(r"^(```|~~~).*?^\1[^\n]*$", flags=re.MULTILINE | re.DOTALL)
    text = fences.sub("", markdown)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links and images keep their text
    text = re.sub(r"<[^>\n]+>", " ", text)  # inline HTML tags
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"^\s{0,3}(#{1,6}|>+|[-*+]|\d+[.)])\s+", "", text, flags=re.MULTILINE)
    text = re.sub(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    return text


# -- PDF ------------------------------------------------------------------------------------

# PDFium writes a hyphen it takes for a line-end hyphenation as U+FFFE and joins the lines
_SOFT_HYPHEN = re.compile(r"(\w*)\ufffe[ \t]*(?:\n[ \t]*)?(\w*)")
# a half of a hyphenated word rarer than this (wordfreq's Zipf scale) is no word of its own
_WORD_ZIPF = 2.5
# symbol-font bullets land in the private use area; U+FFFD and control characters are noise
_NOISE = re.compile(r"[\ue000-\uf8ff\ufffd\x00-\x08\x0b\x0e-\x1f\x7f]")
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi",
                            "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"})
# a word set in spaced letters ("S p i r e"), as slide titles are: four letters or more
_SPACED = re.compile(r"(?<!\w)(?:[^\W\d_] ){3,}[^\W\d_](?!\w)")
_DIGITS = re.compile(r"\d+")
_LETTER = re.compile(r"[^\W\d_]")
_ODD_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")


def _hyphenated(match: re.Match) -> str:
    """A line-end hyphen: dropped within a word ("adjust-ment"), kept in a compound
    ("non-cash", "forward-looking") and wherever the halves are not both letters."""
    before, after = match.group(1), match.group(2)
    if not (before.isalpha() and after.isalpha()):
        return f"{before}-{after}"
    rarer_half = min(zipf(before), zipf(after))
    # A compound's halves are words and its hyphen stays; the halves of a word cut in two
    # are not both words, or the whole is more common than its rarer half ("con-duct").
    if after[:1].islower() and (rarer_half < _WORD_ZIPF or zipf(before + after) >= rarer_half):
        return before + after
    return f"{before}-{after}"


def clean_pdf_text(text: str) -> str:
    """Text as PDFium gives it, made plain: line ends, line-end hyphenations, ligatures,
    symbol-font bullets, trademark signs and words set in spaced letters.

    >>> clean_pdf_text("ﬁnancial  re\\ufffe\\r\\nsults\\r\\n\\uf0a7 Q u d s Force")
    'financial  results\\n  Quds Force'
    >>> clean_pdf_text("Real ZeroTM goals, ProForm\u00ae bikes, at the ATM")
    'Real Zero goals, ProForm bikes, at the ATM'
    """
    text = clean_glyphs(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _MARK_SIGNS.sub("", _GLUED_MARK.sub("", text))
    return _SPACED.sub(lambda m: m.group().replace(" ", ""), text)


# trademark signs, which no transcript writes; and the ones a PDF set as superscript letters
# glued to the name ("Real ZeroTM")
_MARK_SIGNS = re.compile("[\u2122\u2120\u00ae]")
_GLUED_MARK = re.compile(r"(?<=[a-z])(?:TM|SM)\b")


# what a PDF's text layer leaves in text copied out of it
_PDF_GLYPHS = re.compile(r"[\ufffe\ufb00-\ufb06\ue000-\uf8ff\ufffd]")


def clean_glyphs(text: str) -> str:
    """A PDF's glyphs made plain (line-end hyphenations, ligatures, symbol-font bullets,
    odd spaces), also in text copied out of one ("COVID\\ufffe19" is "COVID-19").

    >>> clean_glyphs("COVID\\ufffe19 and \\ufb01nancial re\\ufffe\\nsults")
    'COVID-19 and financial results'
    """
    text = _SOFT_HYPHEN.sub(_hyphenated, text)
    text = text.translate(_LIGATURES)
    text = _NOISE.sub(" ", text)
    return _ODD_SPACES.sub(" ", text)


def drop_running_lines(pages: list[str]) -> list[str]:
    """Pages without the lines that repeat on most of them (running heads and feet, such
    as a browser's print header or "Company confidential"), kept on the first page only,
    so that names in them are not counted once a page.

    >>> drop_running_lines(["1 Acme\\nLiz Sly", "2 Acme\\nBeirut", "3 Acme\\nKyiv", "4 Acme"])
    ['1 Acme\\nLiz Sly', 'Beirut', 'Kyiv', '']
    """
    if len(pages) < 3:
        return pages

    def key(line: str) -> str:  # page numbers differ from page to page
        return _DIGITS.sub("0", line.strip())

    seen = Counter(k for page in pages for k in {key(ln) for ln in page.splitlines()})
    running = {k for k, n in seen.items() if _LETTER.search(k) and n > len(pages) / 2}
    if not running:
        return pages
    out = [pages[0]]
    for page in pages[1:]:
        out.append("\n".join(ln for ln in page.splitlines() if key(ln) not in running))
    return out


def pdf_pages(data: bytes, name: str) -> list[str]:
    """The text of each page of a PDF, as PDFium extracts it (see :func:`pdf_to_text`)."""
    try:
        import pypdfium2 as pdfium
    except ImportError:
        raise MissingDependencyError(f"reading PDF ({name}) needs pypdfium2: {_PDF_HINT}") from None
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        why = str(exc)
        if "password" in why.lower():
            raise InputError(f"{name}: the PDF is protected by a password: save a copy "
                             "without one (or its text as .txt) and give that") from None
        detail = re.search(r"PDFium: ([^)]+)", why)
        why = detail.group(1).lower() if detail else why.rstrip(".")
        raise InputError(f"{name}: not a readable PDF ({why}): save it again as PDF, or its "
                         "text as .txt") from None
    try:
        pages = []
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            try:
                pages.append(textpage.get_text_range())
            finally:
                textpage.close()
                page.close()
        return pages
    finally:
        doc.close()


def pdf_to_text(data: bytes, name: str = "<pdf>") -> str:
    """The text of a PDF's text layer, pages as paragraphs, cleaned by :func:`clean_pdf_text`
    and :func:`drop_running_lines`. A PDF with (almost) no text, a scan, raises
    :class:`~respell.errors.NoTextError` naming OCR as the fix."""
    pages = drop_running_lines([clean_pdf_text(p).strip() for p in pdf_pages(data, name)])
    text = "\n\n".join(p for p in pages if p)
    if sum(ch.isalpha() for ch in text) < _MIN_PDF_LETTERS:
        raise NoTextError(f"{name}: the PDF has no text layer (a scan?): run OCR on it first "
                         "(for example ocrmypdf), or give its text as .txt")
    empty = sum(1 for p in pages if not p)
    if empty:
        log.info("%s: %d of %d pages without text (images?)", name, empty, len(pages))
    return text


# -- any document ---------------------------------------------------------------------------


def document_text(path: str | os.PathLike) -> str:
    """Read a document as plain text: HTML and Markdown are reduced to their words, a PDF
    to its text layer. Raises :class:`~respell.errors.InputError` with one clear line for
    a missing, unreadable, binary or undecodable file, and its
    :class:`~respell.errors.NoTextError` for an empty one or a PDF without text.

    >>> import pathlib, tempfile
    >>> page = pathlib.Path(tempfile.mkdtemp()) / "notes.html"
    >>> _ = page.write_text("<h1>Notes</h1><p>Liz Sly in Beirut</p>")
    >>> document_text(page)
    'Notes\\n\\nLiz Sly in Beirut'
    """
    data, name = read_bytes(path, what="document")
    suffix = Path(name).suffix.lower()
    if suffix == ".pdf" or data[:1024].lstrip().startswith(b"%PDF-"):
        if not data.strip():
            raise NoTextError(f"document is empty: {name}")
        return pdf_to_text(data, name)
    text = decode_bytes(data, name)
    if not text.strip():
        raise NoTextError(f"document is empty: {name}")
    head = text.lstrip()[:200].lower()
    if suffix in _HTML_SUFFIXES or head.startswith(("<!doctype html", "<html")):
        text = html_to_text(text)
    elif suffix in _MARKDOWN_SUFFIXES:
        text = markdown_to_text(text)
    if _PDF_GLYPHS.search(text):  # text copied out of a PDF: its hyphens, ligatures, bullets
        text = clean_glyphs(text)
    text = _MARK_SIGNS.sub("", text)
    if not text.strip():
        raise NoTextError(f"document has no text: {name}")
    return text
