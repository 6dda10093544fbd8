"""Transcript formats: round trips, byte-preserving writes, re-timing, detection, errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from respell.correct import Change, apply_changes
from respell.errors import FormatError, OptionError
from respell.formats import (
    FORMATS,
    NlpTokens,
    PlainText,
    SubRip,
    WebVTT,
    WhisperJSON,
    detect,
    parse,
    read_document,
)
from respell.formats.base import retime

BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench" / "earnings21"

# -- generated documents ----------------------------------------------------------------------

WORDS = st.sampled_from(["General", "Sola", "money", "was", "killed", "bay", "loop", "Liz",
                         "sly", "é", "l'Hôpital", "in", "the", "<i>air</i>", "strike,", "50%"])
EOL = st.sampled_from(["\n", "\r\n"])


@st.composite
def cue_lines(draw):
    n = draw(st.integers(0, 3))
    return [" ".join(draw(st.lists(WORDS, min_size=1, max_size=6))) for _ in range(n)]


def _stamp(ms: int, sep: str, hours: bool = True) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return (f"{h:02d}:" if hours else "") + f"{m:02d}:{s:02d}{sep}{ms:03d}"


@st.composite
def srt_files(draw):
    eol = draw(EOL)
    cues = draw(st.lists(cue_lines(), min_size=1, max_size=6))
    t, blocks = 0, []
    for n, lines in enumerate(cues, 1):
        t0, t1 = t + draw(st.integers(0, 500)), t + draw(st.integers(600, 4000))
        t = t1
        timing = f"{_stamp(t0, ',')} --> {_stamp(t1, ',')}"
        if draw(st.booleans()):
            timing += " X1:10 X2:100 Y1:5 Y2:50"
        blocks.append(eol.join([str(n), timing, *lines]) + eol)
    tail = draw(st.sampled_from(["", eol, eol + eol]))
    bom = draw(st.sampled_from(["", "\ufeff"]))
    return bom + eol.join(blocks) + tail


@st.composite
def vtt_files(draw):
    eol = draw(EOL)
    header = draw(st.sampled_from(["WEBVTT", "WEBVTT - respell test", "WEBVTT\nKind: captions"]))
    blocks = [header.replace("\n", eol) + eol]
    t = 0
    for n, lines in enumerate(draw(st.lists(cue_lines(), min_size=1, max_size=6))):
        extra = draw(st.sampled_from(["", "NOTE a comment" + eol + "on two lines",
                                      "STYLE" + eol + "::cue { color: yellow }"]))
        if extra:
            blocks.append(extra + eol)
        t0, t1 = t + draw(st.integers(0, 500)), t + draw(st.integers(600, 4000))
        t = t1
        hours = draw(st.booleans())
        timing = f"{_stamp(t0, '.', hours)} --> {_stamp(t1, '.', hours)}"
        timing += draw(st.sampled_from(["", " align:start position:10%", " line:0"]))
        ident = draw(st.sampled_from([[], [f"cue-{n}"]]))
        blocks.append(eol.join([*ident, timing, *lines]) + eol)
    return eol.join(blocks)


@st.composite
def whisper_files(draw):
    segments, t = [], 0.0
    with_words = draw(st.booleans())
    for n in range(draw(st.integers(1, 5))):
        words = draw(st.lists(WORDS, min_size=1, max_size=6))
        seg = {"id": n, "seek": 0, "start": round(t, 2), "end": None,
               "text": "".join(" " + w for w in words), "tokens": [1, 2, 3], "temperature": 0.0,
               "avg_logprob": -0.25, "compression_ratio": 1.1, "no_speech_prob": 0.01}
        if with_words:
            seg["words"] = []
            for w in words:
                d = draw(st.integers(1, 80)) / 100
                seg["words"].append({"word": " " + w, "start": round(t, 2), "end": round(t + d, 2),
                                     "probability": draw(st.integers(1, 99)) / 100})
                t += d
        else:
            t += 1.5
        seg["end"] = round(t, 2)
        segments.append(seg)
    result = {"text": "".join(s["text"] for s in segments), "segments": segments, "language": "en"}
    indent = draw(st.sampled_from([None, 2, 4]))
    return json.dumps(result, indent=indent, ensure_ascii=draw(st.booleans()))


@st.composite
def nlp_files(draw):
    eol = draw(EOL)
    lines = ["token|speaker|ts|endTs|punctuation|case|tags"]
    t = 0.0
    for _ in range(draw(st.integers(1, 30))):
        word = draw(st.sampled_from(["General", "Sola", "money", "bay", "loop", "SEC", "the", "50"]))
        punct = draw(st.sampled_from(["", "", "", ",", ".", "%"]))
        d = draw(st.integers(1, 9)) / 10
        ts, te = (f"{t:.1f}", f"{t + d:.1f}") if draw(st.booleans()) or t else ("", "")
        t += d
        lines.append(f"{word}|{draw(st.sampled_from(['1', '1', '2']))}|{ts}|{te}|{punct}||")
    return eol.join(lines) + eol


FILES = {"srt": srt_files(), "vtt": vtt_files(), "whisper-json": whisper_files(), "nlp": nlp_files(),
         "txt": st.text(min_size=1).filter(lambda s: s.strip())}
REPLACEMENTS = st.sampled_from(["Soleimani", "Liz Sly", "Beirut", "Tora Bora", "Qassem X Y", "Ã"])


@st.composite
def doc_and_changes(draw, fmt: str):
    raw = draw(FILES[fmt])
    doc = FORMATS[fmt].parse(raw)
    words = [m for m in re.finditer(r"\S+", doc.text)]
    changes, k = [], 0
    while k < len(words):
        if draw(st.integers(0, 3)) == 0:
            span = draw(st.integers(1, 3))
            first, last = words[k], words[min(k + span, len(words)) - 1]
            cuts = [*doc.barriers, *(e for _, e in getattr(doc, "slot_spans", ()))]
            if not any(first.start() < b < last.end() for b in cuts):  # not across cues
                text = doc.text[first.start():last.end()]
                changes.append(Change(first.start(), last.end(), text, draw(REPLACEMENTS), "x", None, 0.9))
                k += span + 1
                continue
        k += 1
    return raw, doc, changes


def timing_lines(raw: str) -> list[str]:
    return [line for line in raw.splitlines() if "-->" in line]


def json_times(raw: str) -> list[float]:
    data = json.loads(raw)
    out = []
    for seg in data["segments"]:
        if "words" in seg:
            out += [t for w in seg["words"] for t in (w["start"], w["end"])]
        else:
            out += [seg["start"], seg["end"]]
    return out


def nlp_times(raw: str) -> list[str]:
    return [f for line in raw.splitlines()[1:] for f in line.split("|")[2:4] if f]


def is_subsequence(small: list, big: list) -> bool:
    it = iter(big)
    return all(any(x == y for y in it) for x in small)


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- invariants --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(FILES))
@SETTINGS
@given(data=st.data())
def test_read_then_write_gives_the_same_bytes(fmt, data):
    raw = data.draw(FILES[fmt])
    doc = FORMATS[fmt].parse(raw)
    assert doc.render() == raw
    assert doc.render().encode("utf-8") == raw.encode("utf-8")


@pytest.mark.parametrize("fmt", sorted(FILES))
@SETTINGS
@given(data=st.data())
def test_fix_with_an_empty_entity_list_gives_the_same_bytes(fmt, data):
    from respell import fix

    raw = data.draw(FILES[fmt])
    doc = FORMATS[fmt].parse(raw)
    result = fix(doc.text, entities=[], barriers=doc.barriers)
    assert result.changes == ()
    assert doc.render(result.changes) == raw


@pytest.mark.parametrize("fmt", ["srt", "vtt"])
@SETTINGS
@given(data=st.data())
def test_cue_files_keep_every_timing_line_and_get_exactly_the_new_text(fmt, data):
    raw, doc, changes = data.draw(doc_and_changes(fmt))
    out = doc.render(changes)
    assert timing_lines(out) == timing_lines(raw)
    again = FORMATS[fmt].parse(out)
    assert again.text == apply_changes(doc.text, changes)
    assert [t[2:] for t in again.times] == [t[2:] for t in doc.times]


@SETTINGS
@given(data=st.data())
def test_whisper_json_keeps_times_in_order_and_gets_the_new_text(data):
    raw, doc, changes = data.draw(doc_and_changes("whisper-json"))
    out = doc.render(changes)
    data_out = json.loads(out)
    new_text = apply_changes(doc.text, changes)
    again = WhisperJSON.parse(out)
    assert again.text == new_text
    assert data_out["text"] == new_text.replace("\n", "")
    old_times = json_times(raw)
    new_times = json_times(out)
    if all(len(c.replacement.split()) <= len(c.original.split()) for c in changes):
        assert is_subsequence(new_times, old_times)
    assert new_times == sorted(new_times)
    for seg in data_out["segments"]:
        if "words" in seg:
            assert "".join(w["word"] for w in seg["words"]) == seg["text"]


@SETTINGS
@given(data=st.data())
def test_nlp_tokens_keep_times_in_order_and_get_the_new_text(data):
    raw, doc, changes = data.draw(doc_and_changes("nlp"))
    out = doc.render(changes)
    again = NlpTokens.parse(out)
    assert again.text == apply_changes(doc.text, changes)
    new_times = [float(t) for t in nlp_times(out)]
    assert new_times == sorted(new_times)
    if all(len(c.replacement.split()) <= len(c.original.split()) for c in changes):
        assert is_subsequence(nlp_times(out), nlp_times(raw))


# -- re-timing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "n", "expected"),
    [
        ([("1.0", "1.2"), ("1.2", "1.5")], 1, [("1.0", "1.5")]),  # Sola money -> Soleimani
        ([("1.0", "1.2"), ("1.2", "1.5"), ("1.5", "1.9")], 2, [("1.0", "1.2"), ("1.2", "1.9")]),
        ([("1.0", "1.2")], 1, [("1.0", "1.2")]),
        ([("1.0", "2.0")], 2, [("1.0", "1.5"), ("1.5", "2.0")]),  # one word heard, two written
        ([("", "")], 2, [("", ""), ("", "")]),  # no times to split
        ([("1.0", "1.2")], 0, []),
    ],
)
def test_retime(old, n, expected):
    assert retime(old, n) == expected


WHISPER = {
    "text": " General Sola money was killed. In the bay loop.",
    "segments": [
        {"id": 0, "start": 0.0, "end": 2.5, "text": " General Sola money was killed.", "words": [
            {"word": " General", "start": 0.0, "end": 0.4, "probability": 0.9},
            {"word": " Sola", "start": 0.42, "end": 0.8, "probability": 0.5},
            {"word": " money", "start": 0.8, "end": 1.2, "probability": 0.6},
            {"word": " was", "start": 1.2, "end": 1.4, "probability": 0.9},
            {"word": " killed.", "start": 1.4, "end": 2.0, "probability": 0.9}]},
        {"id": 1, "start": 2.5, "end": 4.0, "text": " In the bay loop.", "words": [
            {"word": " In", "start": 2.5, "end": 2.7, "probability": 0.9},
            {"word": " the", "start": 2.7, "end": 2.9, "probability": 0.9},
            {"word": " bay", "start": 2.9, "end": 3.2, "probability": 0.4},
            {"word": " loop.", "start": 3.2, "end": 3.6, "probability": 0.7}]},
    ],
    "language": "en",
}


def _change(doc, original: str, replacement: str) -> Change:
    at = doc.text.index(original)
    return Change(at, at + len(original), original, replacement, replacement, None, 0.9)


def test_whisper_multiword_repair_takes_first_start_and_last_end():
    raw = json.dumps(WHISPER)
    doc = WhisperJSON.parse(raw)
    out = json.loads(doc.render([_change(doc, "Sola money", "Soleimani"), _change(doc, "bay loop", "Beirut")]))
    words = out["segments"][0]["words"]
    assert [w["word"] for w in words] == [" General", " Soleimani", " was", " killed."]
    assert (words[1]["start"], words[1]["end"], words[1]["probability"]) == (0.42, 1.2, 0.5)
    assert out["segments"][1]["words"][2] == {"word": " Beirut.", "start": 2.9, "end": 3.6,
                                              "probability": 0.4}
    assert out["segments"][1]["text"] == " In the Beirut."
    assert out["text"] == " General Soleimani was killed. In the Beirut."
    assert out["segments"][0]["start"] == 0.0 and out["segments"][1]["end"] == 4.0


def test_whisper_word_times_are_exposed_over_the_text_view():
    doc = WhisperJSON.parse(json.dumps(WHISPER))
    sola = next(t for t in doc.times if doc.text[t.start:t.end] == "Sola")
    assert (sola.t0, sola.t1) == (0.42, 0.8)
    assert len(doc.times) == 9


def test_nlp_repair_merges_rows_and_keeps_other_columns():
    raw = ("token|speaker|ts|endTs|punctuation|case|tags|wer_tags\r\n"
           "General|1|0.1|0.5||UC|[]|[]\r\nSola|1|0.5|0.8||UC|[]|['3']\r\n"
           "money|1|0.8|1.1|,|LC|[]|['3']\r\nsaid|2|1.1|1.5|.|LC|[]|[]\r\n")
    doc = NlpTokens.parse(raw)
    assert doc.text == "General Sola money, said."
    assert doc.barriers == (20,)  # speaker 1 -> 2
    out = doc.render([_change(doc, "Sola money", "SOLEIMANI")])
    assert out.splitlines(keepends=True)[2] == "SOLEIMANI|1|0.5|1.1|,|CA|[]|['3']\r\n"
    assert out.count("\r\n") == 4
    with pytest.raises(FormatError, match="speaker"):
        doc.render([_change(doc, "money, said", "Monique")])


# -- cues ---------------------------------------------------------------------------------------

SRT = "1\n00:00:01,000 --> 00:00:03,000\nGeneral Sola\nmoney was killed\n\n2\n00:00:03,500 --> 00:00:05,000\nin the bay loop.\n"


def test_srt_view_times_and_a_change_across_a_line_break():
    doc = SubRip.parse(SRT)
    assert doc.text == "General Sola\nmoney was killed\nin the bay loop."
    assert [(t.t0, t.t1) for t in doc.times] == [(1.0, 3.0), (3.5, 5.0)]
    out = doc.render([_change(doc, "Sola\nmoney", "Soleimani")])
    assert out == SRT.replace("Sola\nmoney", "Soleimani")


@pytest.mark.parametrize(
    ("original", "replacement", "cue1", "cue2"),
    [
        ("killed\nin", "slain\nat", "General Sola\nmoney was slain", "at the bay loop."),
        ("killed\nin the", "x\n", "General Sola\nmoney was x", " bay loop."),
        ("Sola\nmoney was killed\nin", "Soleimani\nwas killed\nat", "General Soleimani\nwas killed",
         "at the bay loop."),
    ],
)
def test_a_change_across_cues_gives_each_cue_its_part(original, replacement, cue1, cue2):
    doc = SubRip.parse(SRT)
    out = doc.render([_change(doc, original, replacement)])
    assert out == SRT.replace("General Sola\nmoney was killed", cue1).replace("in the bay loop.", cue2)
    assert timing_lines(out) == timing_lines(SRT)


@pytest.mark.parametrize("replacement", ["x", "x y", "x\r\ny"])
def test_a_change_across_cues_that_loses_the_break_is_refused(replacement):
    doc = SubRip.parse(SRT)
    with pytest.raises(FormatError, match="crosses a cue boundary, but its replacement"):
        doc.render([_change(doc, "killed\nin", replacement)])


def test_real_fix_on_srt_repairs_a_name_across_cues_and_keeps_timing():
    from respell import fix

    raw = ("1\n00:00:01,000 --> 00:00:02,000\nwe spoke with General Sola\n\n"
           "2\n00:00:02,000 --> 00:00:04,000\nmoney. General Sola money was not.\n")
    doc = SubRip.parse(raw)
    result = fix(doc.text, entities=["Qassem Soleimani"], barriers=doc.barriers)
    out = doc.render(result.changes)
    assert "General Soleimani was not." in out  # inside one cue
    assert timing_lines(out) == timing_lines(raw)


VTT = """WEBVTT - with header text
Kind: captions

STYLE
::cue { color: yellow }

NOTE this note stays
as it is

intro
00:00:01.000 --> 00:00:03.000 align:start position:10%
<v Liz>We met Liz sly

00:03.000 --> 00:04.500
on the bay loop.
"""


def test_vtt_keeps_header_style_note_identifiers_and_settings():
    doc = WebVTT.parse(VTT)
    assert doc.text == "<v Liz>We met Liz sly\non the bay loop."
    out = doc.render([_change(doc, "Liz sly", "Liz Sly"), _change(doc, "bay loop", "Beirut")])
    assert out == VTT.replace("Liz sly", "Liz Sly").replace("bay loop", "Beirut")
    assert doc.times[1].t0 == 3.0


# -- detection and errors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "path", "expected"),
    [
        (SRT, "a.srt", "srt"),
        (SRT, None, "srt"),
        (SRT, "a.txt", "srt"),  # .txt is too common to outrank cue content: cues are kept safe
        (VTT, None, "vtt"),
        (VTT, "x.vtt", "vtt"),
        (json.dumps(WHISPER), None, "whisper-json"),
        (json.dumps(WHISPER), "out.json", "whisper-json"),
        ("token|speaker|ts|endTs|punctuation|case|tags\nhi|1|||||\n", None, "nlp"),
        ("token|speaker|ts|endTs|punctuation|case|tags\nhi|1|||||\n", "a.nlp", "nlp"),
        ("General Sola money.\n", None, "txt"),
        ("General Sola money.\n", "notes.md", "txt"),
        ("\ufeff1\n00:00:01,000 --> 00:00:02,000\nhi\n", "-", "srt"),
    ],
)
def test_detect(raw, path, expected):
    assert detect(raw, path).name == expected


def test_format_option_overrides_detection():
    assert parse(SRT, format="txt", path="a.srt").name == "txt"
    assert parse(SRT, format="srt", path="a.txt").name == "srt"
    with pytest.raises(OptionError, match="unknown format"):
        parse(SRT, format="docx")


@pytest.mark.parametrize(
    ("cls", "raw", "message"),
    [
        (SubRip, "just words\nno cues\n", "no cue"),
        (WebVTT, "1\n00:00:01.000 --> 00:00:02.000\nhi\n", "WEBVTT"),
        (WhisperJSON, '{"text": "hi"}', "segments"),
        (WhisperJSON, '{"segments": [ {"text": 3} ]}', "no 'text'"),
        (WhisperJSON, '{"segments": [', "invalid JSON"),
        (NlpTokens, "hi|1\n", "header"),
        (NlpTokens, "token|speaker|ts|endTs|punctuation|case|tags\nhi\n", "line 2"),
    ],
)
def test_bad_files_raise_format_error(cls, raw, message):
    with pytest.raises(FormatError, match=message):
        cls.parse(raw)


def test_read_document_keeps_bom_and_crlf(tmp_path):
    path = tmp_path / "a.srt"
    data = ("\ufeff" + SRT.replace("\n", "\r\n")).encode()
    path.write_bytes(data)
    doc = read_document(path)
    assert doc.bom and doc.render().encode() == data


def test_plain_text_is_the_whole_file():
    doc = PlainText.parse("a\r\n\r\nb  c")
    assert doc.text == "a\r\n\r\nb  c" and doc.barriers == () and doc.times == ()


@pytest.mark.skipif(not BENCH.exists(), reason="benchmark data not present")
@pytest.mark.parametrize("sub", ["asr/google", "asr/microsoft", "refs"])
def test_real_earnings21_token_files_round_trip(sub):
    for path in sorted((BENCH / sub).glob("*.nlp"))[:3]:
        raw = path.read_bytes().decode("utf-8")
        doc = NlpTokens.parse(raw, source=str(path))
        assert doc.render() == raw
        assert len(doc.text.split()) == raw.count("\n") - 1


@pytest.mark.parametrize(
    ("cls", "raw", "word", "line"),
    [
        (SubRip, SRT, "money", 4),
        (SubRip, SRT, "bay", 8),
        (WebVTT, VTT, "bay", 15),
        (PlainText, "a\nb\nGeneral", "General", 3),
        (NlpTokens, "token|speaker|ts|endTs|punctuation|case|tags\nhi|1|||||\nthere|1|||.||\n", "there", 3),
        (WhisperJSON, json.dumps(WHISPER), "bay", None),
    ],
)
def test_line_of_points_into_the_file(cls, raw, word, line):
    doc = cls.parse(raw)
    assert doc.line_of(doc.text.index(word)) == line
    if line is not None:
        assert word in raw.splitlines()[line - 1]


# -- hostile input (issue 14) -------------------------------------------------------------------


@pytest.mark.parametrize("probabilities", [[None, None], ["high", None], [None, 0.7],
                                           [{}, "x"], [True, 0.6]])
def test_whisper_word_probability_that_is_not_a_number(probabilities):
    data = json.loads(json.dumps(WHISPER))
    for word, p in zip(data["segments"][0]["words"][1:3], probabilities):
        word["probability"] = p
    doc = WhisperJSON.parse(json.dumps(data))
    out = json.loads(doc.render([_change(doc, "Sola money", "Soleimani")]))
    merged = out["segments"][0]["words"][1]
    numbers = [p for p in probabilities if isinstance(p, float)]
    expected = min(numbers) if numbers and isinstance(probabilities[0], float) else probabilities[0]
    assert merged["word"] == " Soleimani" and merged["probability"] == expected


@pytest.mark.parametrize(
    "raw",
    [
        '{"segments": ' + "[" * 5000 + "]" * 5000 + "}",
        '{"segments": [{"text": " a", "start": ' + "9" * 5000 + "}]}",
    ],
)
def test_whisper_json_too_deep_or_too_long_is_a_format_error(raw):
    with pytest.raises(FormatError, match="invalid JSON at line 1: (nested more than|number too long)"):
        WhisperJSON.parse(raw)


@pytest.mark.parametrize(
    ("raw", "path", "message"),
    [
        ("", "a.srt", "no cue with a timing line"),
        ("1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:02,000 --> 00:00:03,000\n", "a.srt",
         "no words to correct: this srt transcript is empty"),
        ("WEBVTT\n\n", "a.vtt", "no cue with a timing line"),
        ('{"text": "", "segments": []}', "a.json", "this whisper-json transcript is empty"),
        ('{"text": " ", "segments": [{"text": " ", "start": 0, "end": 1}]}', "a.json",
         "this whisper-json transcript is empty"),
        ("token|speaker|ts|endTs|punctuation|case|tags\n", "a.nlp", "this nlp transcript is empty"),
        (" \n\t\n", "a.txt", "this txt transcript is empty"),
    ],
)
def test_a_transcript_without_words_is_refused_in_every_format(raw, path, message):
    with pytest.raises(FormatError, match=message):
        parse(raw, path=path)


@pytest.mark.parametrize(("cls", "raw"), [(SubRip, ""), (WebVTT, "WEBVTT\n\n"),
                                          (WhisperJSON, '{"text": "", "segments": []}')])
def test_an_empty_transcript_as_written_for_silence_parses_to_an_empty_document(cls, raw):
    doc = cls.parse(raw)
    assert doc.text == "" and doc.render() == raw


@pytest.mark.parametrize(
    ("cls", "raw", "original", "replacement", "message"),
    [
        (SubRip, SRT, "Sola", "Soleimani\n\n3\n00:09:00,000 --> 00:09:01,000\nX", "a blank line"),
        (SubRip, SRT, "Sola", "X\n00:09:00,000 --> 00:09:01,000", "a timing line"),
        (SubRip, SRT, "General Sola", "\nSoleimani", "a blank line"),
        (WebVTT, "WEBVTT\n\n00:01.000 --> 00:02.000\nbay loop\n", "bay loop", "a --> b", "'-->'"),
        (NlpTokens, "token|speaker|ts|endTs|punctuation|case|tags\nbay|1|1.0|1.2|||\n", "bay",
         "Bei|rut", "holds '|'"),
    ],
)
def test_a_replacement_cannot_break_the_file_structure(cls, raw, original, replacement, message):
    doc = cls.parse(raw)
    with pytest.raises(FormatError, match=message):
        doc.render([_change(doc, original, replacement)])


def test_a_cue_may_keep_what_it_had():
    # a cue whose text already holds a timing-like line (a missing blank line) is still edited
    raw = "1\n00:00:01,000 --> 00:00:02,000\nSola money\n00:00:02,000 --> 00:00:03,000\nhi\n"
    doc = SubRip.parse(raw)
    assert doc.render([_change(doc, "Sola money", "Soleimani")]) == raw.replace("Sola money", "Soleimani")


def test_nlp_punctuation_with_spaces_is_refused():
    with pytest.raises(FormatError, match="line 2: punctuation '\\\\t' has spaces"):
        NlpTokens.parse("token|speaker|ts|endTs|punctuation|case|tags\nbay|1|1.0|1.2|\t||\n")


@pytest.mark.parametrize("fmt", ["srt", "vtt", "whisper-json", "txt"])
def test_transcribing_silence_writes_a_file_that_parses(fmt):
    """What respell transcribe writes for a recording without speech: an empty document
    (which reading it as a transcript to correct then refuses, as for every format)."""
    from respell.audio.pipeline import render_transcription
    from respell.audio.segments import Transcription
    from respell.formats import format_class

    raw = render_transcription(Transcription(()), fmt)
    doc = format_class(fmt).parse(raw)
    assert doc.text == "" and doc.render() == raw
    with pytest.raises(FormatError, match="no words to correct|no cue with a timing line"):
        parse(raw, format=fmt)
