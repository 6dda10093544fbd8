"""Tests of ``respell eval``."""

from __future__ import annotations

import json

import pytest

from respell.cli import main

REF = "We met Liz Sly in Beirut, and General Qassem Soleimani.\n"
ORIGINAL = "we met lizzie sly in bay root and general sola money\n"
FIXED = "we met Liz Sly in Beirut and general sola money\n"
NAMES = "Liz Sly\nBeirut\n# a comment\nQassem Soleimani\n"


@pytest.fixture
def files(tmp_path):
    paths = {}
    for name, text in [("ref.txt", REF), ("orig.txt", ORIGINAL), ("fixed.txt", FIXED),
                       ("names.txt", NAMES)]:
        paths[name] = tmp_path / name
        paths[name].write_text(text)
    return paths


def run(capsys, *argv):
    code = main(["eval", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_plain_wer(files, capsys):
    code, out, _ = run(capsys, files["ref.txt"], files["fixed.txt"])
    assert code == 0
    # 10 reference words; "qassem soleimani" -> "sola money": 2 substitutions
    assert out.startswith("WER 20.00%  (2 errors in 10 reference words")
    assert "entity" not in out


def test_json_with_entities_and_edits(files, capsys):
    code, out, _ = run(capsys, files["ref.txt"], files["fixed.txt"], "-e", files["names.txt"],
                       "--original", files["orig.txt"], "--json")
    assert code == 0
    data = json.loads(out)
    assert data["WER"]["wer"] == 20.0
    ent = data["entities"]
    assert (ent["mentions"], ent["mentions_correct"], ent["ne_tokens"]) == (3, 2, 5)
    assert ent["NE-WER"] == 40.0
    assert data["edits"] == {"right": 2, "wrong": 0}


def test_text_report_with_entities(files, capsys):
    code, out, _ = run(capsys, files["ref.txt"], files["orig.txt"], "-e", files["names.txt"])
    assert code == 0
    assert "mentions right 0.00% (0 of 3)" in out


def test_reads_subtitles(tmp_path, files, capsys):
    srt = tmp_path / "fixed.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:03,000\nwe met Liz Sly in Beirut\n\n"
                   "2\n00:00:03,000 --> 00:00:05,000\nand general Qassem Soleimani\n")
    code, out, _ = run(capsys, files["ref.txt"], srt)
    assert code == 0 and out.startswith("WER 0.00%")


def test_no_mention_in_reference(tmp_path, files, capsys):
    other = tmp_path / "other.txt"
    other.write_text("Angela Merkel\n")
    code, out, _ = run(capsys, files["ref.txt"], files["fixed.txt"], "-e", other)
    assert code == 0 and "no listed entity is mentioned" in out


@pytest.mark.parametrize(
    ("make_args", "message"),
    [
        (lambda f, t: [f["ref.txt"], t / "missing.txt"], "not found"),
        (lambda f, t: [t / "empty.txt", f["fixed.txt"]], "empty"),
        (lambda f, t: [f["ref.txt"], t / "binary.txt"], "binary"),
        (lambda f, t: [f["ref.txt"], f["fixed.txt"], "-e", t / "empty.txt"], "empty"),
        (lambda f, t: [f["ref.txt"], f["fixed.txt"], "-e", t / "comments.txt"], "no usable entry"),
        (lambda f, t: ["-", "-"], "standard input"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, files, capsys, make_args, message):
    (tmp_path / "empty.txt").write_text("  \n")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02abc")
    (tmp_path / "comments.txt").write_text("# nothing here\n")
    before = {p: p.read_bytes() for p in tmp_path.iterdir()}
    code, out, err = run(capsys, *make_args(files, tmp_path))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("respell: error:") and message in err
    assert {p: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_case_sensitive_credits_a_case_only_repair(tmp_path, capsys):
    (tmp_path / "ref.txt").write_text("We met Liz Sly in Beirut.\n")
    (tmp_path / "orig.txt").write_text("We met Liz sly in bay loop.\n")
    (tmp_path / "fixed.txt").write_text("We met Liz Sly in Beirut.\n")
    (tmp_path / "names.txt").write_text("Liz Sly\nBeirut\n")
    args = [tmp_path / "ref.txt", tmp_path / "fixed.txt", "-e", tmp_path / "names.txt",
            "--original", tmp_path / "orig.txt", "--json"]
    _, out, _ = run(capsys, *args)
    blind = json.loads(out)
    _, out, _ = run(capsys, *args, "--case-sensitive")
    cased = json.loads(out)
    assert (blind["edits"], cased["edits"]) == ({"right": 1, "wrong": 0}, {"right": 2, "wrong": 0})
    assert cased["case_sensitive"] and not blind["case_sensitive"]
    # the original, scored with case: "sly" is an error too
    _, out, _ = run(capsys, tmp_path / "ref.txt", tmp_path / "orig.txt", "--case-sensitive")
    assert out.startswith("WER 50.00%  (3 errors in 6 reference words") and "case counts" in out
