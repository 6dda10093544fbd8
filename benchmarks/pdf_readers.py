#!/usr/bin/env python3
"""Which PDF library respell reads documents with: speed and text quality on ConEC's PDFs.

    python benchmarks/pdf_readers.py [--conec ../shared/bench/conec] [--ner] [--repeat 2]

Reads every PDF of CONEC/pdfs (43 slide decks and press releases of the Earnings-21
calls; one is a scan without a text layer) with each installed library, as that
library's documented plain-text call gives it (no clean-up of ours):

* ``pypdfium2``: ``PdfPage.get_textpage().get_text_range()`` page by page;
* ``pypdf``: ``PageObject.extract_text()`` page by page;
* ``pdfminer.six``: ``pdfminer.high_level.extract_text`` (whole document).

and ``respell``: what respell reads (``respell.documents.pdf_to_text``: PDFium's text
with line-end hyphenations resolved, symbol-font bullets and ligatures replaced, words
set in spaced letters joined, running heads kept once; pages are counted as the
paragraphs it returns). It prints, for each, a table of:

* ``seconds``: the best of ``--repeat`` runs over all PDFs (wall clock, under load);
* ``empty pages``: pages that gave no text;
* ``spaced``: letter-spaced runs such as "S p i r e" (a word split into letters);
* ``glued``: unknown tokens of 8+ letters that split into two common words
  ("forwardlooking", "thirdquarter"; wordfreq decides what is common);
* ``broken``: "(cid:NN)" glyph codes, U+FFFD, private-use and control characters;
* ``ligatures``: ligature code points (U+FB00-FB06) left in the text;
* ``hyphen``: line-end hyphenations such as "manage-\\nment" left in the text
  (PDFium marks them with U+FFFE: "manage\\ufffement");
* ``wordlist``: recall of the words of ConEC's wordlists (its own words drawn from
  the same PDFs, lower case, punctuation removed) among each call's tokens
  normalised the same way: split or glued words miss;
* ``names``: participants' full names ("Brian Nagel", from CONEC/participants,
  the part before " - ") found in the text of their call's PDFs, of those any library
  finds (a name broken by the reading order or a line join misses).

With ``--ner`` the texts also go through respell's spaCy recognizer
(``respell.extract.extract_from_texts``) and the table adds ``NER persons``: of the
participants' full names that some library's text contains, the share that the
recognizer returns as a PERSON entity from this library's text (where the reading
order and word joins matter most), and ``entities``: how many distinct entities.

Nothing here is fed to respell's corrector; the participants and wordlists only score.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CONEC = HERE.parent.parent / "shared" / "bench" / "conec"


def read_pdfium(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return pages
    finally:
        doc.close()


def read_pypdf(path: Path) -> list[str]:
    import pypdf

    return [page.extract_text() or "" for page in pypdf.PdfReader(str(path)).pages]


def read_pdfminer(path: Path) -> list[str]:
    from pdfminer.high_level import extract_text

    return extract_text(str(path)).split("\f")[:-1] or [""]


def read_respell(path: Path) -> list[str]:
    from respell.documents import pdf_to_text
    from respell.errors import InputError

    try:
        return pdf_to_text(path.read_bytes(), path.name).split("\n\n")
    except InputError:  # the scan
        return [""]


READERS: dict[str, tuple[str, Callable[[Path], list[str]]]] = {
    "pypdfium2": ("pypdfium2", read_pdfium),
    "pypdf": ("pypdf", read_pypdf),
    "pdfminer.six": ("pdfminer", read_pdfminer),
    "respell": ("pypdfium2", read_respell),
}

_SPACED = re.compile(r"(?<!\S)(?:[^\W\d_] ){3,}[^\W\d_](?!\S)")
_BROKEN = re.compile(r"\(cid:\d+\)|[\ufffd\ue000-\uf8ff\x00-\x08\x0b\x0e-\x1f]")
_LIGATURE = re.compile(r"[\ufb00-\ufb06]")
# a hyphen at a line end; PDFium writes it as U+FFFE and joins the lines
_HYPHEN = re.compile(r"([a-z]{2,})(?:-[ \t]*\r?\n|\ufffe)[ \t]*([a-z]{2,})")


def _zipf():
    from respell.words import zipf

    return zipf


def normal_tokens(text: str) -> set[str]:
    """Tokens as ConEC's wordlists write them: lower case, punctuation removed."""
    text = unicodedata.normalize("NFKC", text)  # ligatures count as their letters here
    return {t for t in (re.sub(r"[\W_]", "", w.lower()) for w in text.split()) if t}


def glued(text: str, zipf) -> int:
    """Unknown lower-case tokens of 8+ letters that are two common words run together."""
    count = 0
    for word in re.findall(r"(?<![\w-])[a-z]{8,}(?![\w-])", text):
        if zipf(word) > 0:
            continue
        if any(zipf(word[:k]) >= 3.5 and zipf(word[k:]) >= 3.5
               for k in range(3, len(word) - 2)):
            count += 1
    return count


def hyphenated(text: str, zipf) -> int:
    """Line-end hyphenations left in: "manage-\\nment" where "management" is a word and
    "ment" is not (a compound like "forward-\\nlooking" is not counted)."""
    return sum(1 for a, b in _HYPHEN.findall(text) if zipf(a + b) >= 2.5 and zipf(b) < 2.5)


def participants(conec: Path, call: str) -> list[str]:
    path = conec / "participants" / f"{call}.txt"
    if not path.exists():
        return []
    return [line.split(" - ")[0].strip() for line in path.read_text("utf-8").splitlines()
            if line.strip()]


def squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def measure(conec: Path, *, repeat: int, ner: bool, only=None) -> dict[str, dict]:
    pdfs = sorted((conec / "pdfs").glob("*.pdf"))
    calls = sorted({p.name.split("_")[0] for p in pdfs})
    zipf = _zipf()
    available = {}
    for name, (module, reader) in READERS.items():
        if only and name not in only:
            continue
        try:
            __import__(module)
        except ImportError:
            print(f"{name}: not installed, left out", file=sys.stderr)
            continue
        available[name] = reader
    texts: dict[str, dict[str, list[str]]] = {}
    rows: dict[str, dict] = {}
    for name, reader in available.items():
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            pages = {p.name: reader(p) for p in pdfs}
            best = min(best, time.perf_counter() - start)
        texts[name] = pages
        joined = {k: "\n\n".join(v) for k, v in pages.items()}
        every = "\n\n".join(joined.values())
        rows[name] = {
            "seconds": best,
            "chars": len(every),
            "empty pages": sum(1 for v in pages.values() for t in v if not t.strip()),
            "pages": sum(len(v) for v in pages.values()),
            "spaced": len(_SPACED.findall(every)),
            "glued": glued(every, zipf),
            "broken": len(_BROKEN.findall(every)),
            "ligatures": len(_LIGATURE.findall(every)),
            "hyphen": hyphenated(every, zipf),
        }
    # per call: the wordlist recall and the participants' names
    found_by_any: dict[str, set[str]] = {c: set() for c in calls}
    call_text = {name: {c: "\n\n".join("\n\n".join(v) for k, v in texts[name].items()
                                        if k.startswith(c + "_")) for c in calls}
                 for name in texts}
    for name in texts:
        hit = total = 0
        for c in calls:
            path = conec / "wordlists" / f"{c}.txt"
            if not path.exists():
                continue
            words = {line.split()[0] for line in path.read_text("utf-8").splitlines()
                     if line.strip()}
            tokens = normal_tokens(call_text[name][c])
            hit += len(words & tokens)
            total += len(words)
            squashed = squash(call_text[name][c])
            found_by_any[c] |= {n for n in participants(conec, c) if n.casefold() in squashed}
        rows[name]["wordlist"] = hit / total if total else float("nan")
    reachable = sum(len(v) for v in found_by_any.values())
    for name in texts:
        got = sum(1 for c in calls for n in found_by_any[c]
                  if n.casefold() in squash(call_text[name][c]))
        rows[name]["names"] = f"{got}/{reachable}"
    if ner:
        from respell.extract import extract_from_texts

        for name in texts:
            people = 0
            entities = 0
            for c in calls:
                text = call_text[name][c]
                if not text.strip():
                    continue
                found = extract_from_texts([text], patterns=False, clean=False)
                entities += len(found)
                persons = {e.text.casefold() for e in found if e.label == "PERSON"}
                people += sum(1 for n in found_by_any[c] if n.casefold() in persons)
            rows[name]["NER persons"] = f"{people}/{reachable}"
            rows[name]["entities"] = entities
    return rows


def table(rows: dict[str, dict]) -> str:
    columns = list(next(iter(rows.values())))
    out = ["| library | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for name, row in rows.items():
        cells = []
        for col in columns:
            value = row[col]
            if col == "seconds":
                cells.append(f"{value:.2f}")
            elif col == "wordlist":
                cells.append(f"{100 * value:.2f}%")
            else:
                cells.append(str(value))
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--conec", type=Path, default=DEFAULT_CONEC, help="the conec/ benchmark folder")
    ap.add_argument("--repeat", type=int, default=2, help="timed runs per library (best is kept)")
    ap.add_argument("--ner", action="store_true", help="also run the spaCy recognizer (slower)")
    ap.add_argument("--only", help="comma-separated libraries to run (default: all installed)")
    args = ap.parse_args(argv)
    if not (args.conec / "pdfs").is_dir():
        print(f"no PDFs in {args.conec}/pdfs: pass --conec DIR", file=sys.stderr)
        return 2
    only = args.only.split(",") if args.only else None
    rows = measure(args.conec, repeat=args.repeat, ner=args.ner, only=only)
    if not rows:
        print("no PDF library installed: pip install pypdfium2 pypdf pdfminer.six", file=sys.stderr)
        return 2
    print(table(rows))
    base = rows.get("pypdfium2", {}).get("seconds")
    if base:
        ratios = {k: v["seconds"] / base for k, v in rows.items()}
        print("time / pypdfium2's: " + ", ".join(f"{k} {r:.1f}x" for k, r in ratios.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
