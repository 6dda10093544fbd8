"""``respell batch`` (respell.archive) with the local engine: the manifest, outputs equal to
``respell fix``'s, the changes table, failures, resuming (a run killed with SIGKILL)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from respell import Lexicon, OptionError, fix
from respell.archive import BatchOptions, read_manifest, run_batch
from respell.archive.manifest import parse_manifest
from respell.archive.outdir import OutputFolder
from respell.cli import main
from respell.errors import InputError

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SRC = Path(__file__).resolve().parent.parent / "src"
NLP = ("token|speaker|ts|endTs|punctuation|case|tags|wer_tags\n"
       "General|1|0.0|0.5||UC|[]|[]\nSola|1|0.5|0.8||UC|[]|[]\nmoney|1|0.8|1.0|.|LC|[]|[]\n"
       "flew|1|1.0|1.2||LC|[]|[]\nto|1|1.2|1.3||LC|[]|[]\nBig|1|1.3|1.5||UC|[]|[]\n"
       "Dad|1|1.5|1.8|.|UC|[]|[]\n")


@pytest.fixture
def archive(tmp_path):
    """A small archive: transcripts in four formats, lists, and a JSONL manifest."""
    shows = tmp_path / "shows"
    (shows / "2021").mkdir(parents=True)
    shutil.copy(SAMPLES / "episode.txt", shows / "ep1.txt")
    shutil.copy(SAMPLES / "episode.srt", shows / "2021" / "ep2.srt")
    shutil.copy(SAMPLES / "episode.json", shows / "ep3.json")
    (shows / "ep4.nlp").write_text(NLP, encoding="utf-8")
    (tmp_path / "lists").mkdir()
    shutil.copy(SAMPLES / "names.txt", tmp_path / "lists" / "names.txt")
    (tmp_path / "lists" / "few.csv").write_text("text,label\nQassem Soleimani,PERSON\n"
                                                "Baghdad,GPE\n", encoding="utf-8")
    rows = [
        {"transcript": "shows/ep1.txt", "entities": "lists/names.txt"},
        {"transcript": "shows/2021/ep2.srt", "entities": ["lists/names.txt"]},
        {"transcript": "shows/ep3.json", "entities": ["lists/names.txt"], "min_score": 0.8,
         "id": "json/three"},
        {"transcript": "shows/ep4.nlp", "entities": ["lists/few.csv", "Liz Sly"]},
    ]
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return tmp_path


def fixed_by_fix(path: Path, lists: list[str], tmp: Path, *extra: str) -> bytes:
    """The oracle: what ``respell fix`` writes for one transcript."""
    out = tmp / "oracle" / path.name
    out.parent.mkdir(exist_ok=True)
    argv = ["fix", str(path), "-o", str(out), *extra]
    for lst in lists:
        argv += ["-e", lst]
    assert main(argv) == 0
    return out.read_bytes()


def outputs(folder: Path) -> dict[str, bytes]:
    """Every file of an output folder but the run's own (summary and records)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".respell" not in p.parts and p.name != "summary.json"}


# -- the manifest ----------------------------------------------------------------------------


def test_manifest_rows_resolve_paths_ids_and_entities(tmp_path):
    rows = [
        {"transcript": "a/ep1.srt", "entities": ["names.txt", "Liz Sly", {"text": "Baghdad"}]},
        {"transcript": "/data/x/ep2.txt", "entities": "Tora Bora", "format": "txt"},
        {"audio": "rec/ep3.ogg", "docs": ["notes.md"], "format": "srt", "min_score": "0.5"},
        {"transcript": "s3://bucket/shows/ep4.vtt", "entities": "s3://bucket/l.jsonl", "id": "4"},
    ]
    text = "".join(json.dumps(r) + "\n" for r in rows)
    items = parse_manifest(text, str(tmp_path / "m.jsonl"))
    assert [i.error for i in items] == [None] * 4
    one, two, three, four = items
    assert (one.id, one.output, one.transcript) == ("a/ep1.srt", "a/ep1.srt",
                                                    str(tmp_path / "a/ep1.srt"))
    assert one.lists == (str(tmp_path / "names.txt"),)
    assert one.names == ("Liz Sly", {"text": "Baghdad"})
    assert (two.id, two.output, two.format, two.names) == ("data/x/ep2.txt", "data/x/ep2.txt",
                                                          "txt", ("Tora Bora",))
    assert (three.is_audio, three.id, three.output, three.min_score) == (
        True, "rec/ep3.ogg", "rec/ep3.srt", 0.5)
    assert three.docs == (str(tmp_path / "notes.md"),)
    assert (four.output, four.transcript, four.lists) == ("4.vtt", "s3://bucket/shows/ep4.vtt",
                                                          ("s3://bucket/l.jsonl",))


def test_csv_cells_hold_several_entries(tmp_path):
    text = "transcript,entities,min_score,notes\nep1.txt,names.txt; Liz Sly|Baghdad,,kept\n"
    (item,) = parse_manifest(text, str(tmp_path / "m.csv"))
    assert item.lists == (str(tmp_path / "names.txt"),)
    assert item.names == ("Liz Sly", "Baghdad")
    assert item.min_score is None


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"entities": "names.txt"}, "no transcript or audio"),
        ({"transcript": "a.txt"}, "no entities"),
        ({"transcript": "a.txt", "entities": "n.txt", "min_score": 2}, "between 0 and 1"),
        ({"transcript": "a.txt", "entities": "n.txt", "min_score": "high"}, "must be a number"),
        ({"transcript": "a.txt", "entities": "n.txt", "format": "docx"}, "unknown format"),
        ({"audio": "a.ogg", "entities": "n.txt", "format": "nlp"}, "cannot be written from"),
        ({"transcript": "a.txt", "entities": "n.txt", "id": "../up"}, "relative name"),
        ({"transcript": "a.txt", "entities": "n.txt", "id": "/abs"}, "relative name"),
        ({"transcript": 3, "entities": "n.txt"}, "expected a path"),
        ({"transcript": "a.txt", "entities": [1]}, "expected paths or names"),
        (["a.txt"], "expected an object"),
    ],
)
def test_a_bad_row_is_a_failed_item_and_the_others_stay(tmp_path, row, message):
    good = {"transcript": "b.txt", "entities": "n.txt"}
    text = json.dumps(row) + "\n" + json.dumps(good) + "\n"
    bad, ok = parse_manifest(text, str(tmp_path / "m.jsonl"))
    assert message in bad.error and bad.error.startswith(f"{tmp_path / 'm.jsonl'}:1: ")
    assert ok.error is None


@pytest.mark.parametrize(
    "second",
    [
        {"transcript": "b/x.txt", "id": "x"},  # the same id
        {"transcript": "a/x.srt", "id": "x.srt"},  # another id, the same output
        {"transcript": "x.srt", "entities": "m.txt"},  # the same input (and id)
        {"audio": "x.ogg", "format": "srt"},  # the same output
    ],
)
def test_two_items_with_one_id_or_output_are_refused(tmp_path, second):
    first = {"transcript": "x.srt", "entities": "n.txt", "id": "x"}
    if "id" not in second:
        first.pop("id")
    text = json.dumps(first) + "\n" + json.dumps({"entities": "n.txt", **second}) + "\n"
    one, two = parse_manifest(text, str(tmp_path / "m.jsonl"))
    assert one.error is None
    assert f"item {one.id} has the same id or output: give each item its own id" in two.error


def test_parquet_manifest_with_list_columns(tmp_path):
    table = pa.table({"transcript": ["ep1.txt", "ep2.srt"],
                      "entities": [["names.txt", "Liz Sly"], ["names.txt"]],
                      "min_score": [None, 0.6]})
    pq.write_table(table, tmp_path / "m.parquet")
    one, two = read_manifest(tmp_path / "m.parquet")
    assert (one.names, one.min_score, two.min_score) == (("Liz Sly",), None, 0.6)
    assert two.lists == (str(tmp_path / "names.txt"),)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("m.xlsx", "", "must end in .jsonl, .csv or .parquet"),
        ("m.jsonl", "\n\n", "manifest has no items"),
        ("m.json", '{"transcript": "a"}', "a JSON manifest is a list"),
        ("m.parquet", "not parquet", "not a readable Parquet file"),
        ("missing.csv", None, "manifest not found"),
    ],
)
def test_unreadable_manifests(tmp_path, name, content, message):
    if content is not None:
        (tmp_path / name).write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_manifest(tmp_path / name)


# -- a run -----------------------------------------------------------------------------------


def test_outputs_equal_respell_fix_and_the_table_its_changes(archive, capsys):
    summary = run_batch(archive / "manifest.jsonl", archive / "out", jobs=1)
    assert (summary.items, summary.done, summary.up_to_date, summary.failed) == (4, 4, 0, ())
    out = archive / "out"
    names = [str(archive / "lists/names.txt")]
    assert (out / "shows/ep1.txt").read_bytes() == fixed_by_fix(archive / "shows/ep1.txt", names, archive)
    assert (out / "shows/2021/ep2.srt").read_bytes() == fixed_by_fix(archive / "shows/2021/ep2.srt",
                                                               names, archive)
    assert (out / "json/three.json").read_bytes() == fixed_by_fix(
        archive / "shows/ep3.json", names, archive, "--min-score", "0.8")
    liz = archive / "liz.txt"  # the inline name, as a list for the oracle
    liz.write_text("Liz Sly\n", encoding="utf-8")
    assert (out / "shows/ep4.nlp").read_bytes() == fixed_by_fix(
        archive / "shows/ep4.nlp", [str(archive / "lists/few.csv"), str(liz)], archive)

    table = pq.read_table(out / "changes.parquet").to_pylist()
    ep1 = archive / "shows/ep1.txt"
    expected = fix(ep1.read_text(encoding="utf-8"), Lexicon.load(*names)).changes
    rows = [r for r in table if r["id"] == "shows/ep1.txt"]
    assert [(r["start"], r["end"], r["original"], r["replacement"], r["score"], r["runner_up"],
             r["reason"], r["format"], r["input"]) for r in rows] == [
        (c.start, c.end, c.original, c.replacement, c.score, c.runner_up, c.reason, "txt",
         str(ep1)) for c in expected]
    assert {r["input_sha256"] for r in rows} == {hashlib.sha256(ep1.read_bytes()).hexdigest()}
    assert list(dict.fromkeys(r["id"] for r in table)) == ["shows/ep1.txt", "shows/2021/ep2.srt",
                                                             "json/three",
                                                             "shows/ep4.nlp"]
    assert summary.edits == len(table)
    written = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (written["done"], written["failed"], written["edits"]) == (4, 0, len(table))


def test_bad_items_are_listed_and_the_exit_status_is_2(archive, capsys):
    (archive / "shows/binary.txt").write_bytes(b"\x00\x01\x02 not text")
    with open(archive / "manifest.jsonl", "a", encoding="utf-8") as fh:
        fh.write('{"transcript": "shows/binary.txt", "entities": "lists/names.txt"}\n')
        fh.write('{"transcript": "shows/gone.txt", "entities": "lists/names.txt"}\n')
        fh.write('{"transcript": "shows/ep1.txt", "entities": "lists/none.txt", "id": "x"}\n')
        fh.write("{broken\n")
    code = main(["batch", str(archive / "manifest.jsonl"), "-o", str(archive / "out"), "-j", "1"])
    err = capsys.readouterr().err
    assert code == 2
    summary = json.loads((archive / "out/summary.json").read_text(encoding="utf-8"))
    errors = {e["id"]: e["error"] for e in summary["errors"]}
    assert (summary["done"], summary["failed"]) == (4, 4)
    assert "binary file" in errors["shows/binary.txt"]
    assert "transcript not found" in errors["shows/gone.txt"]
    assert "entity list not found" in errors["x"]
    assert "invalid JSON" in errors["#8"]
    assert all("\n" not in e for e in errors.values())
    assert err.count("respell: skipped ") == 4 and "Traceback" not in err
    assert "8 items: 4 done, 0 up to date, 4 failed" in err
    assert sorted(outputs(archive / "out")) == ["changes.parquet", "json/three.json",
                                                 "shows/2021/ep2.srt", "shows/ep1.txt",
                                                 "shows/ep4.nlp"]


def test_an_item_document_without_text_is_a_warning_beside_its_lists(archive, caplog):
    # as fix --from-doc: an empty document beside a list leaves the list in use; a
    # missing one fails the item
    (archive / "notes.md").write_text("  \n", encoding="utf-8")
    with open(archive / "manifest.jsonl", "a", encoding="utf-8") as fh:
        fh.write('{"transcript": "shows/ep1.txt", "entities": "lists/names.txt", '
                 '"docs": ["notes.md"], "id": "blank"}\n')
        fh.write('{"transcript": "shows/ep1.txt", "entities": "lists/names.txt", '
                 '"docs": ["gone.md"], "id": "gone"}\n')
    code = main(["batch", str(archive / "manifest.jsonl"), "-o", str(archive / "out"), "-j", "1"])
    assert code == 2
    summary = json.loads((archive / "out/summary.json").read_text(encoding="utf-8"))
    assert {e["id"] for e in summary["errors"]} == {"gone"}
    assert "document not found" in summary["errors"][0]["error"]
    assert (archive / "out/blank.txt").read_bytes() == (archive / "out/shows/ep1.txt").read_bytes()
    assert any("notes.md" in r.getMessage() and "document is empty" in r.getMessage()
               for r in caplog.records if r.levelname == "WARNING")


def test_a_rerun_makes_only_what_changed(archive):
    out = archive / "out"
    run_batch(archive / "manifest.jsonl", out, jobs=1)
    first = outputs(out)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    again = run_batch(archive / "manifest.jsonl", out, jobs=1)
    assert (again.done, again.up_to_date, again.edits) == (0, 4, len(pq.read_table(
        out / "changes.parquet")))
    assert outputs(out) == first
    assert [p for p, t in stamps.items() if p.stat().st_mtime_ns != t] == [out / "summary.json"]

    (archive / "lists/few.csv").write_text("text\nLiz Sly\n", encoding="utf-8")  # ep4's list
    (out / "shows/ep1.txt").unlink()  # an output removed by hand
    third = run_batch(archive / "manifest.jsonl", out, jobs=1)
    assert (third.done, third.up_to_date) == (2, 2)
    assert outputs(out)["shows/ep1.txt"] == first["shows/ep1.txt"]
    forced = run_batch(archive / "manifest.jsonl", out, jobs=1, force=True)
    assert (forced.done, forced.up_to_date) == (4, 0)
    higher = run_batch(archive / "manifest.jsonl", out, jobs=1, min_score=0.9)
    assert higher.done == 3  # json/three has its own threshold


def test_two_processes_give_the_same_bytes(archive):
    one = run_batch(archive / "manifest.jsonl", archive / "one", jobs=1)
    two = run_batch(archive / "manifest.jsonl", archive / "two", jobs=2)
    assert (one.done, two.done) == (4, 4)
    assert outputs(archive / "one") == outputs(archive / "two")


def test_inputs_named_by_uri(archive):
    """A file:// URI goes through pyarrow's filesystems, as s3:// or gs:// would."""
    rows = [{"transcript": (archive / "shows/ep1.txt").as_uri(),
             "entities": (archive / "lists/names.txt").as_uri(), "id": "ep1"}]
    (archive / "uri.jsonl").write_text(json.dumps(rows[0]) + "\n", encoding="utf-8")
    run_batch(archive / "uri.jsonl", archive / "by_uri", jobs=1)
    run_batch(archive / "manifest.jsonl", archive / "by_path", jobs=1)
    assert (archive / "by_uri/ep1.txt").read_bytes() == (archive / "by_path/shows/ep1.txt").read_bytes()
    rows[0]["transcript"] = (archive / "shows/none.txt").as_uri()
    (archive / "uri.jsonl").write_text(json.dumps(rows[0]) + "\n", encoding="utf-8")
    summary = run_batch(archive / "uri.jsonl", archive / "by_uri2", jobs=1)
    assert "transcript not found: file://" in summary.failed[0]["error"]


def test_an_output_is_never_written_over_an_input(archive):
    before = (archive / "shows/ep1.txt").read_bytes()
    summary = run_batch(archive / "manifest.jsonl", archive, jobs=1)  # outputs beside inputs
    assert summary.done == 1  # json/three.json is the only output that is not an input
    assert all("would overwrite an input" in f["error"] for f in summary.failed)
    assert len(summary.failed) == 3
    assert (archive / "shows/ep1.txt").read_bytes() == before


def test_one_run_at_a_time_and_leftovers_cleared(tmp_path):
    with OutputFolder(tmp_path / "out") as folder:
        (folder.tmp / "tmpabc.part").write_text("half", encoding="utf-8")
        with pytest.raises(OptionError, match="in use by another respell batch run"):
            OutputFolder(tmp_path / "out").open()
    with OutputFolder(tmp_path / "out") as folder:
        assert list(folder.tmp.iterdir()) == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"engine": "spark"}, "engine must be one of"),
        ({"address": "auto"}, "--address is for --engine ray"),
        ({"workers": 2, "gpus_per_worker": 1}, "--workers, --gpus-per-worker are for --engine ray"),
        ({"engine": "ray", "jobs": 2}, "--jobs and --audio-jobs are for --engine local"),
        ({"jobs": -1}, "jobs must be 1 or more"),
        ({"audio_jobs": 0}, "audio_jobs must be a whole number"),
        ({"engine": "ray", "gpus_per_worker": 0}, "gpus_per_worker must be above 0"),
        ({"min_score": 1.5}, "between 0 and 1"),
        ({"bias": "loud"}, "bias must be one of"),
    ],
)
def test_options_that_cannot_work_are_refused(kwargs, message):
    with pytest.raises(OptionError, match=message):
        BatchOptions(**kwargs)


def test_cli_errors_are_one_line(archive, capsys, monkeypatch):
    assert main(["batch", str(archive / "m.txt"), "-o", str(archive / "out")]) == 2
    assert capsys.readouterr().err.startswith("respell: error: manifest must end in")
    assert main(["batch", str(archive / "manifest.jsonl"), "-o", str(archive / "out"),
                 "--engine", "ray", "-j", "2"]) == 2
    assert "--jobs and --audio-jobs are for --engine local" in capsys.readouterr().err
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if not installed
    assert main(["batch", str(archive / "manifest.jsonl"), "-o", str(archive / "out")]) == 2
    err = capsys.readouterr().err
    needs = ("respell: error: respell batch needs pyarrow (it writes changes.parquet): "
             "pip install 'respell[batch]'")
    assert err.strip().splitlines() == [needs]
    assert not (archive / "out").exists()


# -- resuming after SIGKILL --------------------------------------------------------------------


def test_a_run_killed_midway_is_finished_by_the_next_and_nothing_is_written_twice(tmp_path):
    """Kill the whole process group (driver and workers) once some items are written; the
    next run finds no partial file, keeps what was written, and makes only the rest."""
    text = (SAMPLES / "episode.txt").read_text(encoding="utf-8")
    (tmp_path / "eps").mkdir()
    rows = []
    for k in range(24):  # each its own list, so that each item costs a list's compilation
        (tmp_path / "eps" / f"ep{k}.txt").write_text(text * 6, encoding="utf-8")
        (tmp_path / "eps" / f"names{k}.txt").write_text(
            (SAMPLES / "names.txt").read_text(encoding="utf-8") + f"Extra Name{k}\n",
            encoding="utf-8")
        rows.append({"transcript": f"eps/ep{k}.txt", "entities": f"eps/names{k}.txt"})
    manifest = tmp_path / "m.jsonl"
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH",
                                                                                 "")])}
    proc = subprocess.Popen([sys.executable, "-m", "respell", "batch", str(manifest), "-o",
                             str(out), "-j", "2", "--no-progress"], env=env,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    records = out / ".respell" / "items"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if records.is_dir() and len(list(records.iterdir())) >= 3:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be killed: make items bigger"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in records.iterdir()}
    assert 3 <= len(before) < 24
    assert not (out / "summary.json").exists()

    summary = run_batch(manifest, out, jobs=1)
    assert (summary.done, summary.up_to_date, summary.failed) == (24 - len(before),
                                                                  len(before), ())
    for p in records.iterdir():  # written once: the records of the first run are untouched
        if p.name in before:
            assert (p.stat().st_ino, p.stat().st_mtime_ns) == before[p.name]
    assert list((out / ".respell" / "tmp").iterdir()) == []
    assert not [p for p in out.rglob("*") if p.name.endswith((".part", ".tmp"))]
    fresh = run_batch(manifest, tmp_path / "fresh", jobs=1)
    assert fresh.done == 24
    assert outputs(out) == outputs(tmp_path / "fresh")


# -- the progress line -------------------------------------------------------------------------


def test_progress_without_tqdm_is_a_line_of_its_own(monkeypatch, capsys):
    from respell.archive.progress import Progress

    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    bar = Progress(2, enabled=True)
    bar.update(3)
    bar.write("respell: skipped x.txt: empty")
    bar.update(1)
    bar.close()
    err = capsys.readouterr().err
    assert "respell batch: 1/2 items, 3 edits" in err and "left" in err
    assert "respell: skipped x.txt: empty\n" in err
    assert err.rstrip().endswith("2/2 items, 4 edits, 0:00:00")
    Progress(2, enabled=False).update(1)
    assert capsys.readouterr().err == ""
