"""``respell fix`` and ``respell apply`` end to end, with the real corrector."""

from __future__ import annotations

import io
import json
import os
import signal
import stat
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest

from respell import Lexicon, correct
from respell.cli import main
from respell.cli.fix import _Batch

ROOT = Path(__file__).resolve().parent.parent

NAMES = "Qassem Soleimani\nLiz Sly\n"
TEXT = "General Sola money was killed.\nWe met Liz sly there.\n"
FIXED = "General Soleimani was killed.\nWe met Liz Sly there.\n"
SRT = ("1\r\n00:00:01,000 --> 00:00:03,000\r\nGeneral Sola money\r\nwas killed.\r\n\r\n"
       "2\r\n00:00:03,500 --> 00:00:05,000\r\nWe met Liz sly there.\r\n")


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "names.txt").write_text(NAMES)
    (tmp_path / "ep.txt").write_text(TEXT)
    (tmp_path / "ep.srt").write_bytes(SRT.encode())
    return tmp_path


def run(args, capsys, stdin: bytes | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(path):
    return {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file()}


def test_fix_to_file_with_json_report_then_apply(work, capsys):
    code, out, err = run(["fix", "ep.txt", "-e", "names.txt", "-o", "fixed.txt",
                          "--report", "changes.json"], capsys)
    assert (code, out, err) == (0, "", "")
    assert (work / "fixed.txt").read_text() == FIXED
    assert (work / "ep.txt").read_text() == TEXT
    report = json.loads((work / "changes.json").read_text())
    (entry,) = report["files"]
    assert [c["original"] for c in entry["changes"]] == ["Sola money", "Liz sly"]
    assert all(0 <= c["score"] <= 1 for c in entry["changes"])

    # the user drops one change and edits the other; apply is exact
    entry["changes"] = [dict(entry["changes"][0], replacement="SOLEIMANI")]
    (work / "edited.json").write_text(json.dumps(report))
    code, out, err = run(["apply", "edited.json", "ep.txt", "-o", "out.txt"], capsys)
    assert code == 0 and "applied 1 change" in err
    assert (work / "out.txt").read_text() == TEXT.replace("Sola money", "SOLEIMANI")


def test_apply_refuses_a_report_for_other_input(work, capsys):
    run(["fix", "ep.txt", "-e", "names.txt", "--report", "changes.json", "--diff"], capsys)
    (work / "other.txt").write_text(TEXT + "more\n")
    before = snapshot(work)
    code, out, err = run(["apply", "changes.json", "other.txt", "-o", "out.txt"], capsys)
    assert code == 2 and out == ""
    assert err.startswith("respell: error: changes.json was made for ep.txt") and err.count("\n") == 1
    assert snapshot(work) == before


def test_apply_refuses_an_entry_that_does_not_match_the_text(work, capsys):
    run(["fix", "ep.txt", "-e", "names.txt", "--report", "changes.json", "--diff"], capsys)
    report = json.loads((work / "changes.json").read_text())
    report["files"][0]["changes"][0]["start"] += 1
    (work / "changes.json").write_text(json.dumps(report))
    code, _, err = run(["apply", "changes.json", "ep.txt"], capsys)
    assert code == 2 and "expects 'Sola money'" in err
    code, _, err = run(["apply", "changes.html", "ep.txt"], capsys)
    assert code == 2 and "reads the JSON or CSV report" in err


def test_csv_report_edited_in_a_spreadsheet_then_apply(work, capsys):
    import csv

    (work / "ep2.txt").write_text("Then Sola money spoke.\n")
    code, _, _ = run(["fix", "ep.txt", "ep2.txt", "-e", "names.txt", "-o", "out/",
                      "--report", "changes.csv"], capsys)
    assert code == 0
    with open(work / "changes.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["original"] for r in rows] == ["Sola money", "Liz sly", "Sola money"]
    # the reviewer drops "Liz sly", edits a replacement, and the sheet saves numbers as floats
    kept = [dict(rows[0], replacement="SOLEIMANI", start=rows[0]["start"] + ".0"), rows[2]]
    with open(work / "edited.csv", "w", newline="", encoding="utf-8-sig") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(kept)
    code, _, err = run(["apply", "edited.csv", "ep.txt", "-o", "a.txt"], capsys)
    assert code == 0 and "applied 1 change" in err
    assert (work / "a.txt").read_text() == TEXT.replace("Sola money", "SOLEIMANI")
    code, _, _ = run(["apply", "edited.csv", "ep2.txt", "-o", "b.txt"], capsys)
    assert code == 0 and (work / "b.txt").read_text() == "Then Soleimani spoke.\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("input,start,end\nep.txt,1,2\n",
         "not a respell CSV report (no input_sha256, original, replacement columns)"),
        ("input_sha256,start,end,original,replacement\nab,one,2,a,b\n", "x.csv:2: 'start' must be a whole number"),
        ("input_sha256,start,end,original,replacement\nab,1.5,2,a,b\n", "'start' must be a whole number"),
        ("input_sha256,start,end,original,replacement,score\nab,1,2,a,b,high\n", "'score' must be a number"),
        ("input_sha256,start,end,original,replacement\n,1,2,a,b\n", "x.csv:2: missing input_sha256"),
    ],
)
def test_apply_refuses_a_malformed_csv_report(work, capsys, content, message):
    (work / "x.csv").write_text(content)
    code, out, err = run(["apply", "x.csv", "ep.txt"], capsys)
    assert code == 2 and out == "" and message in err and err.count("\n") == 1


def test_stdin_to_stdout(work, capsys, monkeypatch):
    code, out, err = run(["fix", "-", "-e", "names.txt"], capsys, stdin=TEXT.encode(), monkeypatch=monkeypatch)
    assert (code, out, err) == (0, FIXED, "")


def test_diff_shows_changes_and_writes_nothing(work, capsys):
    before = snapshot(work)
    code, out, err = run(["fix", "ep.srt", "-e", "names.txt", "--diff"], capsys)
    assert code == 0 and err == ""
    assert "ep.srt:3 @0:00:01.000  score" in out  # the file's line, and the cue's time
    assert "[-Sola money-]{+Soleimani+}" in out and "[-Liz sly-]{+Liz Sly+}" in out
    assert snapshot(work) == before


def test_srt_timing_and_layout_are_kept(work, capsys):
    code, _, _ = run(["fix", "ep.srt", "-e", "names.txt", "-o", "out/"], capsys)
    assert code == 0
    assert (work / "out" / "ep.srt").read_bytes() == SRT.replace("Sola money", "Soleimani").replace(
        "Liz sly", "Liz Sly").encode()


def test_whisper_json_words_are_retimed(work, capsys):
    words = [(" General", 0.0, 0.4), (" Sola", 0.4, 0.7), (" money", 0.7, 1.1), (" spoke.", 1.1, 1.5)]
    seg = {"id": 0, "start": 0.0, "end": 1.5, "text": "".join(w for w, _, _ in words),
           "words": [{"word": w, "start": a, "end": b, "probability": 0.5} for w, a, b in words]}
    (work / "ep.json").write_text(json.dumps({"text": seg["text"], "segments": [seg]}))
    code, _, _ = run(["fix", "ep.json", "-e", "names.txt", "-o", "out.json"], capsys)
    assert code == 0
    out = json.loads((work / "out.json").read_text())
    assert out["text"] == " General Soleimani spoke."
    assert out["segments"][0]["words"][1] == {"word": " Soleimani", "start": 0.4, "end": 1.1,
                                              "probability": 0.5}


def test_batch_skips_a_bad_file_and_exits_non_zero(work, capsys):
    (work / "bad.srt").write_bytes(b"\x00\x01binary")
    (work / "b.txt").write_text("So Liz sly said.\n")
    code, out, err = run(["fix", "ep.txt", "bad.srt", "b.txt", "missing.txt", "-e", "names.txt",
                          "-o", "fixed/", "--report", "r.csv"], capsys)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert "respell: skipped bad.srt: looks like a binary file, not text (NUL byte at offset 0)" in lines
    assert "respell: skipped transcript not found: missing.txt" in lines
    assert lines[-1] == "respell: 2 of 4 files skipped"
    assert sorted(p.name for p in (work / "fixed").iterdir()) == ["b.txt", "ep.txt"]
    assert (work / "fixed" / "b.txt").read_text() == "So Liz Sly said.\n"
    assert (work / "r.csv").read_text().count("\n") == 4  # header + 3 changes


def test_jobs_give_the_same_files_report_and_messages(tmp_path, capsys, monkeypatch):
    runs = {}
    for jobs in ("1", "2"):
        work = tmp_path / f"jobs{jobs}"
        work.mkdir()
        monkeypatch.chdir(work)
        (work / "names.txt").write_text(NAMES)
        (work / "ep.txt").write_text(TEXT)
        (work / "ep.srt").write_bytes(SRT.encode())
        (work / "bad.srt").write_bytes(b"\x00\x01binary")
        (work / "b.txt").write_text("So Liz sly said.\n")
        runs[jobs] = (*run(["fix", "ep.txt", "bad.srt", "ep.srt", "missing.txt", "b.txt",
                            "-e", "names.txt", "-o", "fixed/", "--report", "r.json",
                            "--jobs", jobs], capsys),
                      snapshot(work / "fixed"), (work / "r.json").read_bytes())
    assert runs["2"] == runs["1"]
    code, out, err, fixed, report = runs["2"]
    assert code == 2 and out == "" and err.splitlines()[-1] == "respell: 2 of 5 files skipped"
    assert sorted(fixed) == ["b.txt", "ep.srt", "ep.txt"] and fixed["ep.txt"] == FIXED.encode()
    assert [f["input"] for f in json.loads(report)["files"]] == ["ep.txt", "ep.srt", "b.txt"]


def test_jobs_with_one_input_or_a_file_named_twice(work, capsys, monkeypatch):
    code, out, _ = run(["fix", "-", "-e", "names.txt", "--jobs", "0"], capsys,
                       stdin=TEXT.encode(), monkeypatch=monkeypatch)
    assert (code, out) == (0, FIXED)
    # named twice with --in-place: the second turn reads what the first wrote, as with -j 1
    code, _, _ = run(["fix", "ep.txt", "./ep.txt", "-e", "names.txt", "--in-place",
                      "--backup", ".orig", "--jobs", "2"], capsys)
    assert code == 0 and (work / "ep.txt").read_text() == FIXED
    assert (work / "ep.txt.orig").read_text() == TEXT


def test_never_overwrites_inputs_without_in_place(work, capsys):
    before = snapshot(work)
    for args in (["ep.txt", "-o", "ep.txt"], ["ep.txt", "ep.srt", "-o", "./"]):
        code, _, err = run(["fix", *args, "-e", "names.txt"], capsys)
        assert code == 2 and "would overwrite an input" in err and "--in-place" in err
    assert snapshot(work) == before


def test_in_place_with_backup(work, capsys):
    code, _, _ = run(["fix", "ep.txt", "ep.srt", "-e", "names.txt", "--in-place", "--backup", ".orig"], capsys)
    assert code == 0
    assert (work / "ep.txt").read_text() == FIXED
    assert (work / "ep.txt.orig").read_text() == TEXT
    assert (work / "ep.srt.orig").read_bytes() == SRT.encode()
    assert b"Soleimani" in (work / "ep.srt").read_bytes()


def test_interactive_review_reads_answers(work, capsys, monkeypatch):
    code, out, err = run(["fix", "ep.txt", "-e", "names.txt", "--interactive", "--color", "never"],
                         capsys, stdin=b"n\ny\n", monkeypatch=monkeypatch)
    assert code == 0
    assert out == TEXT.replace("Liz sly", "Liz Sly")
    assert "(1/2) Apply this change" in err and "accepted 1 of 2 changes" in err


def test_interactive_quit_at_end_of_input_keeps_accepted(work, capsys, monkeypatch):
    code, out, _ = run(["fix", "ep.txt", "-e", "names.txt", "-i", "-o", "o.txt"], capsys,
                       stdin=b"y\n", monkeypatch=monkeypatch)
    assert code == 0 and out == "" and (work / "o.txt").read_text() == TEXT.replace("Sola money", "Soleimani")


def test_html_report(work, capsys):
    code, _, _ = run(["fix", "ep.srt", "ep.txt", "-e", "names.txt", "--diff", "--report", "r.html"], capsys)
    assert code == 0
    page = (work / "r.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and page.count('class="respell-change"') == 4


def test_audio_option_calls_confirm_with_times(work, capsys, monkeypatch):
    seen = {}

    def confirm(result, audio_path, *, times=None, model=None):
        seen.update(audio=audio_path, times=times, model=model, n=len(result.changes))
        return result.with_changes(result.changes[:1])

    monkeypatch.setitem(sys.modules, "respell.audio", types.SimpleNamespace(confirm=confirm))
    code, out, _ = run(["fix", "ep.srt", "-e", "names.txt", "--audio", "ep.wav",
                        "--whisper-model", "tiny.en"], capsys)
    assert code == 0
    assert seen["audio"] == "ep.wav" and seen["model"] == "tiny.en" and seen["n"] == 2
    assert [tuple(t[2:]) for t in seen["times"]] == [(1.0, 3.0), (3.5, 5.0)]
    assert "Soleimani" in out and "Liz sly" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["fix", "ep.txt"], "no entities given: pass -e"),
        (["fix", "ep.txt", "-e", "empty.txt"], "entity list"),
        (["fix", "ep.txt", "-e", "names.txt", "--backup", ".b"], "--backup needs --in-place"),
        (["fix", "ep.txt", "ep.srt", "-e", "names.txt"], "give -o DIR/, --in-place or --diff"),
        (["fix", "ep.txt", "ep.srt", "-e", "names.txt", "-o", "x.txt"], "end it with /"),
        (["fix", "ep.txt", "-e", "names.txt", "--min-score", "1.5"], "min_score"),
        (["fix", "ep.txt", "-e", "names.txt", "--report", "r.txt"], ".json, .csv or .html"),
        (["fix", "-", "-e", "names.txt", "--interactive"], "--interactive"),
        (["fix", "-", "-e", "names.txt", "--in-place"], "standard input"),
        (["fix", "ep.txt", "-e", "names.txt", "--whisper-model", "tiny"], "--audio"),
        (["fix", "nothere.txt", "-e", "names.txt"], "transcript not found: nothere.txt"),
        (["fix", "bad.srt", "-e", "names.txt"], "no cue with a timing line"),
        (["fix", "ep.txt", "-e", "names.txt", "--format", "vtt"], "WEBVTT"),
        (["fix", "ep.txt", "-e", "names.txt", "--jobs", "-2"], "--jobs must be 1 or more"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(work, capsys, args, message):
    (work / "empty.txt").write_text("# nothing\n")
    (work / "bad.srt").write_text("this is not a subtitle\n")
    before = snapshot(work)
    code, out, err = run(args, capsys)
    assert code == 2 and out == ""
    assert err.startswith("respell: error: ") and err.count("\n") == 1, err
    assert message in err
    assert snapshot(work) == before


def test_format_override(work, capsys):
    (work / "ep.sub").write_bytes(SRT.encode())
    code, out, _ = run(["fix", "ep.sub", "-e", "names.txt", "--format", "txt"], capsys)
    assert code == 0 and "00:00:01,000 --> 00:00:03,000" in out and "Soleimani" in out


def test_console_script_pipes_stdin_to_stdout(work):
    proc = subprocess.run([sys.executable, "-m", "respell", "fix", "-", "-e", "names.txt"],
                          input=TEXT.encode(), capture_output=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode() == FIXED


# -- hostile input and rough handling (issue 14) -------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["fix", "ep.txt", "-e", "names.txt", "-o", "names.txt"],
         "the output names.txt is also the entity list"),
        (["fix", "ep.txt", "-e", "names.txt", "-o", "ln.txt"],
         "the output ln.txt is also the entity list (names.txt)"),
        (["fix", "ep.txt", "-e", "names.txt", "-o", "hard.txt"],
         ("the output hard.txt is also the transcript (ep.txt): it would overwrite an input; "
          "use --in-place")),
        (["fix", "ep.txt", "-e", "names.json", "--report", "names.json"], "is also the entity list"),
        (["fix", "ep.txt", "-e", "names.txt", "--diff", "--report", "ep.txt"], ".json, .csv"),
        (["fix", "ep.json", "-e", "names.txt", "--report", "ep.json"],
         "the report ep.json is also the transcript"),
        (["fix", "ep.txt", "-e", "names.txt", "-o", "o.json", "--report", "o.json"],
         "the report o.json is also the output: it would overwrite another output"),
        (["fix", "ep.json", "-e", "names.txt", "--in-place", "--report", "ep.json"],
         "the report ep.json is also the transcript"),
        (["apply", "r.json", "ep.txt", "-o", "r.json"], "-o r.json is also the report"),
        (["apply", "r.json", "ep.txt", "-o", "ep.txt"], "-o ep.txt is also the transcript"),
        (["entities", "ep.txt", "-o", "ep.txt"], "-o ep.txt is also the document"),
        (["fix", "-", "-e", "-"], ("standard input ('-') can be read only once, but it is given "
                                   "for the transcript and the entity list")),
        (["fix", "ep.txt", "-e", "names.txt", "--from-doc", "-", "-e", "-"], "read only once"),
        (["eval", "-", "ep.txt", "-e", "-"], "given for REF and -e"),
        (["apply", "-", "-"], "given for the report and the transcript"),
        (["fix", "ep.txt", "-e", "names.txt", "--in-place", "--backup", ""], "--backup takes a suffix"),
        (["fix", "ep", "ep.txt", "-e", "names.txt", "--in-place", "--backup", ".txt"],
         "the backup of ep ep.txt is also the transcript"),
        (["fix", "ep.txt", "-e", "ep.txt.orig", "--in-place", "--backup", ".orig"],
         "the backup of ep.txt ep.txt.orig is also the entity list"),
        (["apply", "ep.txt.json", "ep.txt", "--in-place", "--backup", ".json"],
         "the backup of ep.txt ep.txt.json is also the report"),
        (["fix", "ep.txt", "-e", "names.txt", "--in-place", "--backup", "/x"], "such as .orig"),
        (["apply", "r.json", "ep.txt", "--in-place", "--backup", "../x"], "--backup takes a suffix"),
        (["fix", "ep.txt", "-e", "names.txt", "-o", "ep.txt/x.txt"], "ep.txt is a file, not a directory"),
        (["fix", "ep.txt", "ep.srt", "-e", "names.txt", "-o", "names.txt/sub/"],
         "names.txt is a file, not a directory"),
        (["fix", "ep.txt", "-e", "names.txt", "--diff", "--report", "d.json"], "is a directory"),
        (["fix", "ep.txt", "-e", "names.txt", "--in-place"],
         "ep.txt is read-only: make it writable, or pass --force"),
        (["fix", "ep.txt", "-e", "names.txt", "-o", "ro.txt"], "ro.txt is read-only"),
        (["apply", "r.json", "ep.txt", "--in-place"], "ep.txt is read-only"),
        (["fix", "late.txt", "-e", "names.txt"], "NUL byte at offset 5000"),
        (["fix", "silence.json", "-e", "names.txt"], "no words to correct: this whisper-json"),
        (["fix", "header.nlp", "-e", "names.txt"], "no words to correct: this nlp transcript"),
        (["fix", "empty.srt", "-e", "names.txt"], "no words to correct: this srt transcript"),
        (["fix", "deep.json", "-e", "names.txt"], "nested more than 200 levels deep"),
        (["fix", "no\x1b[2J.txt", "-e", "names.txt"], "transcript not found: no\\x1b[2J.txt"),
    ],
)
def test_hostile_usage_is_one_line_and_writes_nothing(work, capsys, monkeypatch, args, message):
    (work / "names.json").write_text(json.dumps(["Liz Sly"]))
    (work / "ep").write_text(TEXT)
    (work / "ep.txt.orig").write_text(NAMES)
    (work / "ep.json").write_text(json.dumps({"segments": [{"text": " Liz sly", "start": 0,
                                                            "end": 1}]}))
    (work / "ln.txt").symlink_to("names.txt")
    os.link(work / "ep.txt", work / "hard.txt")
    (work / "d.json").mkdir()
    (work / "ro.txt").write_text("old")
    (work / "ro.txt").chmod(0o444)
    (work / "late.txt").write_bytes(b"x" * 5000 + b"\x00 Sola money")
    (work / "silence.json").write_text('{"text": "", "segments": []}')
    (work / "header.nlp").write_text("token|speaker|ts|endTs|punctuation|case|tags\n")
    (work / "empty.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\n\n")
    (work / "deep.json").write_text('{"segments": ' + "[" * 1000 + "]" * 1000 + "}")
    run(["fix", "ep.txt", "-e", "names.txt", "--diff", "--report", "r.json"], capsys)
    (work / "ep.txt.json").write_bytes((work / "r.json").read_bytes())
    if "read-only" in message and "ep.txt" in message:
        (work / "ep.txt").chmod(0o444)
    before = snapshot(work)
    code, out, err = run(args, capsys, stdin=(NAMES + TEXT).encode(), monkeypatch=monkeypatch)
    assert code == 2 and out == ""
    assert err.startswith("respell: error: ") and err.count("\n") == 1, err
    assert message in err and "\x1b" not in err
    assert snapshot(work) == before


def test_force_writes_over_read_only_files_and_keeps_their_mode(work, capsys):
    (work / "ep.txt").chmod(0o440)
    code, _, _ = run(["fix", "ep.txt", "-e", "names.txt", "--in-place", "--force"], capsys)
    assert code == 0 and (work / "ep.txt").read_text() == FIXED
    assert stat.S_IMODE((work / "ep.txt").stat().st_mode) == 0o440


def test_in_place_says_when_hard_links_keep_the_old_text(work, capsys, caplog):
    os.link(work / "ep.txt", work / "other.txt")
    code, _, _ = run(["fix", "ep.txt", "-e", "names.txt", "--in-place"], capsys)
    assert code == 0 and (work / "ep.txt").read_text() == FIXED
    assert (work / "other.txt").read_text() == TEXT
    assert caplog.messages == [("ep.txt had 1 other hard link: it keeps the old text (the new "
                                "file replaces this name only)")]


def test_a_batch_goes_on_past_word_probabilities_that_are_not_numbers(work, capsys):
    words = [{"word": " Sola", "start": 0, "end": 0.5, "probability": None},
             {"word": " money", "start": 0.5, "end": 1, "probability": "high"}]
    (work / "b.json").write_text(json.dumps({"segments": [{"text": " Sola money", "start": 0,
                                                           "end": 1, "words": words}]}))
    code, _, err = run(["fix", "ep.txt", "b.json", "ep.srt", "-e", "names.txt", "-o", "out/",
                        "--report", "r.json"], capsys)
    assert (code, err) == (0, "")
    assert sorted(p.name for p in (work / "out").iterdir()) == ["b.json", "ep.srt", "ep.txt"]
    out = json.loads((work / "out" / "b.json").read_text())
    assert out["segments"][0]["words"] == [{"word": " Soleimani", "start": 0, "end": 1,
                                            "probability": None}]
    assert len(json.loads((work / "r.json").read_text())["files"]) == 3


def test_diff_and_review_show_escape_sequences_escaped(work, capsys, monkeypatch):
    (work / "ep.txt").write_text("General Sola money\x1b[2J\x1b]0;x\x07 was killed.\n")
    code, out, _ = run(["fix", "ep.txt", "-e", "names.txt", "--diff", "--color", "always"], capsys)
    assert code == 0 and "\x1b[2J" not in out and "\x1b]0" not in out and "\\x1b[2J" in out
    code, _, err = run(["fix", "ep.txt", "-e", "names.txt", "-i", "-o", "o.txt"], capsys,
                       stdin=b"y\n", monkeypatch=monkeypatch)
    assert code == 0 and "\x1b" not in err and "\\x1b[2J" in err


def test_csv_report_cells_do_not_start_formulas_and_apply_reads_them(work, capsys):
    (work / "=1+2.txt").write_text(TEXT)
    (work / "l.csv").write_text('text,label\nQassem Soleimani,PERSON\nLiz Sly,"=HYPERLINK(""x"")"\n')
    code, _, _ = run(["fix", "=1+2.txt", "-e", "l.csv", "-o", "o.txt", "--report", "r.csv"], capsys)
    assert code == 0
    text = (work / "r.csv").read_text()
    assert "'=1+2.txt" in text and "'=HYPERLINK" in text and "\n=" not in text and ",=" not in text
    code, _, _ = run(["apply", "r.csv", "=1+2.txt", "-o", "a.txt"], capsys)
    assert code == 0 and (work / "a.txt").read_text() == (work / "o.txt").read_text()
    assert "Liz Sly" in (work / "a.txt").read_text()


BLOCK_EXTRAS = """\
import sys, importlib.abc
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('tqdm', 'spacy', 'faster_whisper', 'whisper', 'torch'):
            raise ModuleNotFoundError(f'No module named {name!r}', name=name)
sys.meta_path.insert(0, Block())
from respell.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_core_install_fixes_several_files(work):
    """Only the core dependencies: tqdm, spaCy and Whisper cannot be imported."""
    proc = subprocess.run([sys.executable, "-c", BLOCK_EXTRAS, "fix", "ep.txt", "ep.srt", "-e",
                           "names.txt", "-o", "out/"], capture_output=True, timeout=120,
                          check=False, text=True)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert (work / "out" / "ep.txt").read_text() == FIXED


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_a_jobs_run_stopped_by_a_signal_leaves_no_process(work, signum):
    """Workers, the forkserver and the resource tracker all end with the command."""
    text = (TEXT * 300).encode()
    for k in range(12):
        (work / f"t{k}.txt").write_bytes(text)
    proc = subprocess.Popen([sys.executable, "-m", "respell", "fix", *(f"t{k}.txt" for k in range(12)),
                             "-e", "names.txt", "-o", "out/", "-j", "2"], stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while len(_session(proc.pid)) < 4 and time.monotonic() < deadline:  # the pool is up
        time.sleep(0.05)
    proc.send_signal(signum)
    err = proc.communicate(timeout=60)[1].decode()
    if signum == signal.SIGTERM:
        assert proc.returncode == 128 + signum and err.endswith("respell: stopped by SIGTERM\n"), err
        assert not [p for p in (work / "out").glob(".*.tmp")] if (work / "out").exists() else True
    deadline = time.monotonic() + 10
    while _session(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _session(proc.pid) == []
    for path in (work / "out").glob("t*.txt") if (work / "out").exists() else ():
        assert path.read_bytes() == text.replace(b"Sola money", b"Soleimani").replace(
            b"Liz sly", b"Liz Sly")


def _session(sid: int) -> list[int]:
    """The live processes of a session (Linux /proc)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid and fields[0] != "Z":
                out.append(int(entry))
    return out


def test_a_name_cut_by_a_line_or_a_cue_keeps_its_breaks_and_timing(work, capsys):
    (work / "wrapped.txt").write_text("General Cassem Sola\nmoney was killed.\n")
    code, out, _ = run(["fix", "wrapped.txt", "-e", "names.txt"], capsys)
    assert (code, out) == (0, "General Qassem\nSoleimani was killed.\n")
    srt = ("1\n00:00:01,000 --> 00:00:02,000\nwe spoke with General Sola\n\n"
           "2\n00:00:02,000 --> 00:00:04,000\nmoney, who was killed.\n")
    (work / "cut.srt").write_text(srt)
    code, out, _ = run(["fix", "cut.srt", "-e", "names.txt"], capsys)
    assert code == 0
    assert out == srt.replace("General Sola\n", "General\n").replace("money,", "Soleimani,")


def test_a_change_the_file_cannot_take_is_left_out_with_one_line(work, capsys, caplog):
    # the second cue's text holds what would become a timing line once "money " went
    vtt = ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nGeneral Sola\n\n"
           "00:00:02.000 --> 00:00:03.000\nmoney 00:01.000 --> 00:02.000 was here, Liz sly.\n")
    (work / "odd.vtt").write_text(vtt)
    code, out, _ = run(["fix", "odd.vtt", "-e", "names.txt"], capsys)
    assert code == 0 and out == vtt.replace("Liz sly", "Liz Sly")
    assert len(caplog.messages) == 1 and "'Sola\\nmoney ' -> 'Soleimani\\n' not made" in \
        caplog.messages[0] and "timing line" in caplog.messages[0]


def test_a_long_plain_text_is_written_as_it_is_corrected(work, capsys, monkeypatch):
    from respell import fix, windows

    sample = (ROOT / "samples" / "episode.txt").read_text(encoding="utf-8")
    names = (ROOT / "samples" / "names.txt").read_text(encoding="utf-8")
    (work / "names.txt").write_text(names)
    text = "\ufeff" + sample * 8
    (work / "long.txt").write_text(text, encoding="utf-8")
    # one pass, as a long transcript gets window by window (see test_windows)
    monkeypatch.setattr(correct, "_MAX_PASSES", 1)
    expected = "\ufeff" + fix(text[1:], Lexicon.load(work / "names.txt")).text
    monkeypatch.setattr(windows, "WINDOW_CHARS", 3000)
    streamed = []
    real = _Batch.stream

    def spy(self, *args):
        streamed.append(args[0])
        return real(self, *args)

    monkeypatch.setattr(_Batch, "stream", spy)
    code, out, _ = run(["fix", "long.txt", "-e", "names.txt", "-o", "out.txt"], capsys)
    assert code == 0 and (work / "out.txt").read_text(encoding="utf-8") == expected
    code, out, _ = run(["fix", "long.txt", "-e", "names.txt"], capsys)
    assert code == 0 and out == expected
    assert streamed == ["long.txt", "long.txt"]
    # --in-place: the same text; a file without changes is not touched
    plain = "nothing to repair here. " * 400
    (work / "plain.txt").write_text(plain)
    before = (work / "plain.txt").stat()
    code, _, _ = run(["fix", "long.txt", "plain.txt", "-e", "names.txt", "--in-place"], capsys)
    assert code == 0 and (work / "long.txt").read_text(encoding="utf-8") == expected
    after = (work / "plain.txt").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    # shown, reported or reviewed changes are gathered whole
    code, _, _ = run(["fix", "long.txt", "-e", "names.txt", "--diff", "--report", "r.json"], capsys)
    assert code == 0 and len(streamed) == 4
