"""The LibriSpeech benchmark's chapter mode (benchmarks/librispeech_bias.py --lists chapter):
each chapter one transcript, its list the rare words its utterances say."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location(
        "librispeech_bias", ROOT / "benchmarks" / "librispeech_bias.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write(tmp_path, rows, hyps):
    refs = tmp_path / "refs.tsv"
    refs.write_text("".join(f"{u}\t{t}\t{json.dumps(r)}\t{json.dumps(d)}\n" for u, t, r, d in rows))
    hyp = tmp_path / "hyps.tsv"
    hyp.write_text("".join(f"{u}\t{t}\n" for u, t in hyps.items()))
    return refs, hyp


def test_chapters_are_grouped_in_utterance_order_with_the_words_they_say(bench, tmp_path):
    refs, _ = _write(tmp_path, [
        ("61-70968-0010", "x", ["gamewell"], ["decoy"]),
        ("61-70968-0002", "x", ["leocadia", "gamewell"], []),
        ("121-123852-0000", "x", [], ["decoy"]),
    ], {})
    assert bench.chapter_lists(refs) == [
        ("121-123852", ["121-123852-0000"], []),
        ("61-70968", ["61-70968-0002", "61-70968-0010"], ["leocadia", "gamewell"]),
    ]


def test_chapter_mode_corrects_each_chapter_as_one_known_list(bench, tmp_path):
    rows = [
        ("61-70968-0000", "leocadia went home", ["leocadia"], ["decoy"]),
        ("61-70968-0001", "and rodolfo followed", ["rodolfo"], []),
        ("61-70968-0002", "the man stayed", [], []),
    ]
    refs, hyps = _write(tmp_path, rows, {
        "61-70968-0000": "locadia went home",
        "61-70968-0001": "and rudolfo followed",
        "61-70968-0002": "the man stayed",
    })
    s = bench.run(refs, hyps, out=tmp_path / "out.tsv", lists="chapter", score_it=True)
    out = dict(line.split("\t") for line in (tmp_path / "out.tsv").read_text().splitlines())
    assert out == {"61-70968-0000": "leocadia went home", "61-70968-0001": "and rodolfo followed",
                   "61-70968-0002": "the man stayed"}
    assert (s["lists"], s["utterances"], s["edits_right"], s["edits_wrong"]) == ("chapter", 3, 2, 0)
    assert s["output"]["B-WER"] == 0.0
