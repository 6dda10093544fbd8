"""Invariants of respell, checked on generated transcripts (hypothesis).

The CI profile (the default) tries enough examples to matter in a few seconds;
``python -m pytest tests/test_properties.py --hypothesis-profile=long`` tries
10^5 of each (hours; see tests/conftest.py).

* a list unrelated to the text changes nothing (nor does an empty one);
* nothing changes outside the reported spans, and the spans' offsets and
  ``original`` match the source;
* layout is kept: BOM, CRLF, line breaks, cue numbering and timing;
* applying the JSON or CSV report gives what ``fix`` wrote;
* every output parses again in its format, with the corrected text.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from respell import Lexicon, fix
from respell.correct import apply_changes
from respell.formats import FORMATS, parse
from respell.report import FileReport, load_report_csv, load_report_text, report_csv, report_json

NAMES = Lexicon.from_entries(["Qassem Soleimani", "Liz Sly", "Baghdad", "Tora Bora",
                              "Pervez Musharraf", "Kyiv", "Beirut", "Leocadia Ferrante"])
#: names that sound like no word of the vocabulary below
UNRELATED = Lexicon.from_entries(["Xochiquetzal Wojciechowska", "Szczebrzeszyn",
                                  "Chhatrapati Shivaji", "Oyunchimeg Batbayar"])
GARBLES = ["Sola money", "Liz sly", "Big Dad", "Torah Bora", "Purvis Musharraf", "Keev",
           "bay loop", "Lee Katie Ferrante", "Soleimani's", "Kyiv", "Liz Sly"]
WORDS = ["General", "was", "killed", "near", "the", "we", "met", "at", "on", "Tuesday", "said",
         "little", "and", "flew", "from", "he", "it", "a", "money", "big", "dad", "lee",
         "'s", "50%", "é", "l'Hôpital", "<i>air</i>", "--", "U.S.", "2001"]
PUNCT = ["", "", "", ",", ".", "?", "!", ";", ":", "'"]
BREAKS = ["\n", "\r\n", "\n\n"]


@st.composite
def sentences(draw, max_words: int = 10) -> list[str]:
    """Lines of words, some of them garbled names."""
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        words = []
        for _ in range(draw(st.integers(1, max_words))):
            word = draw(st.sampled_from(GARBLES) if draw(st.integers(0, 3)) == 0
                        else st.sampled_from(WORDS))
            words.append(word + draw(st.sampled_from(PUNCT)))
        lines.append(" ".join(words))
    return lines


#: a name the line breaks in two, as a transcript wrapped at a fixed width does
CUT = ["General Sola\nmoney", "Torah\r\nBora", "Purvis\nMusharraf", "Lee Katie\nFerrante"]


@st.composite
def plain_texts(draw) -> str:
    lines = draw(sentences())
    out = ""
    for line in lines:
        if draw(st.integers(0, 4)) == 0:
            line += " " + draw(st.sampled_from(CUT))
        out += line + draw(st.sampled_from(BREAKS))
    if draw(st.booleans()):
        out = out.rstrip("\r\n")
    return out


def _stamp(ms: int, sep: str) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


@st.composite
def files(draw, fmt: str) -> str:
    """A whole transcript file of ``fmt``, CRLF or LF, with or without a BOM."""
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    cues = [draw(sentences(6)) for _ in range(draw(st.integers(1, 4)))]
    if fmt == "txt":
        raw = eol.join(line for cue in cues for line in cue) + draw(st.sampled_from(["", eol]))
    elif fmt in ("srt", "vtt"):
        sep = "," if fmt == "srt" else "."
        blocks = ["WEBVTT" + eol] if fmt == "vtt" else []
        for n, lines in enumerate(cues, 1):
            head = [str(n)] if fmt == "srt" or draw(st.booleans()) else []
            timing = f"{_stamp(2000 * n, sep)} --> {_stamp(2000 * n + 1500, sep)}"
            blocks.append(eol.join([*head, timing, *lines]) + eol)
        raw = eol.join(blocks)
    elif fmt == "whisper-json":
        segments, t = [], 0.0
        words_too = draw(st.booleans())
        for n, lines in enumerate(cues):
            text = " " + " ".join(lines)
            seg = {"id": n, "start": round(t, 2), "end": round(t + 2, 2), "text": text}
            if words_too:
                seg["words"] = [{"word": " " + w, "start": round(t + k * 0.1, 2),
                                 "end": round(t + k * 0.1 + 0.1, 2), "probability": 0.9}
                                for k, w in enumerate(text.split())]
            segments.append(seg)
            t += 2
        data = {"text": "".join(s["text"] for s in segments), "segments": segments}
        raw = json.dumps(data, indent=draw(st.sampled_from([None, 2])),
                         ensure_ascii=draw(st.booleans()))
    else:  # nlp
        rows = ["token|speaker|ts|endTs|punctuation|case|tags"]
        t = 0.0
        for n, lines in enumerate(cues):
            for word in " ".join(lines).split():
                core = word.rstrip(",.?!;:")
                if not core:
                    continue
                rows.append(f"{core}|{n % 2}|{t:.2f}|{t + .3:.2f}|{word[len(core):]}||")
                t += 0.3
        raw = eol.join(rows) + eol
    return draw(st.sampled_from(["", "\ufeff"])) + raw


FORMAT_NAMES = sorted(FORMATS)


# -- the text -----------------------------------------------------------------------------------


@given(text=plain_texts(), empty=st.booleans())
def test_an_unrelated_or_empty_list_changes_nothing(text, empty):
    result = fix(text, Lexicon(()) if empty else UNRELATED)
    assert result.changes == () and result.text == text


@given(text=plain_texts())
def test_nothing_changes_outside_the_reported_spans(text):
    result = fix(text, NAMES)
    pos, out = 0, 0
    for c in result.changes:  # sorted, not overlapping, each matching the source
        assert pos <= c.start <= c.end <= len(text)
        assert text[c.start:c.end] == c.original != c.replacement
        kept = text[pos:c.start]
        assert result.text[out:out + len(kept)] == kept
        out += len(kept)
        assert result.text[out:out + len(c.replacement)] == c.replacement
        out += len(c.replacement)
        pos = c.end
    assert result.text[out:] == text[pos:]
    assert result.source == text


@given(text=plain_texts())
def test_proposals_not_made_point_into_the_source_too(text):
    result = fix(text, NAMES)
    for c in result.candidates:
        assert text[c.start:c.end] == c.original and 0 <= c.score < 1


@given(text=plain_texts())
def test_line_breaks_stay_where_they_were(text):
    result = fix(text, NAMES)
    lines_before = [line.strip() for line in text.splitlines()]
    assert len(result.text.splitlines()) == len(text.splitlines())
    assert result.text.count("\r\n") == text.count("\r\n")
    assert all(bool(a) == bool(b.strip()) for a, b in zip(lines_before, result.text.splitlines()))


@given(text=plain_texts())
def test_fixing_twice_equals_fixing_once(text):
    once = fix(text, NAMES).text
    assert fix(once, NAMES).text == once


# -- files --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
@given(data=st.data())
def test_files_keep_their_layout_and_parse_again(fmt, data):
    raw = data.draw(files(fmt))
    doc = parse(raw, format=fmt)
    assert doc.render() == raw
    result = fix(doc.text, NAMES, barriers=doc.barriers)
    out = doc.render(result.changes)
    assert out.startswith("\ufeff") == raw.startswith("\ufeff")
    if "\r\n" in raw and fmt != "whisper-json":
        assert out.count("\n") == out.count("\r\n")  # still CRLF throughout
    again = parse(out, format=fmt)
    assert again.text == result.text
    assert [t[2:] for t in again.times] == [t[2:] for t in doc.times] or fmt in (
        "whisper-json", "nlp")  # word times are merged or split with the words
    if fmt in ("srt", "vtt"):  # numbering, timing lines, notes: all outside the cue texts
        assert [p for k, p in enumerate(again.pieces) if k not in again.slot_pieces] == [
            p for k, p in enumerate(doc.pieces) if k not in doc.slot_pieces]
    if fmt == "whisper-json":
        assert json.loads(out.lstrip("\ufeff")).keys() == json.loads(raw.lstrip("\ufeff")).keys()


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
@given(data=st.data())
def test_applying_the_report_equals_fix(fmt, data):
    raw = data.draw(files(fmt))
    doc = parse(raw, format=fmt)
    result = fix(doc.text, NAMES, barriers=doc.barriers)
    entry = FileReport("ep", "ab" * 32, doc.name, result)
    reports = [load_report_text(report_json([entry]), "r.json")]
    if result.changes:  # a CSV report has a row per change, and so no file without one
        reports.append(load_report_csv(report_csv([entry]), "r.csv"))
    for loaded in reports:
        (back,) = loaded.files
        assert back.format == fmt
        assert [(c.start, c.end, c.original, c.replacement) for c in back.changes] == [
            (c.start, c.end, c.original, c.replacement) for c in result.changes]
        assert doc.render(back.changes) == doc.render(result.changes)
        assert apply_changes(doc.text, back.changes) == result.text
