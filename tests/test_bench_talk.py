"""The short-list talk benchmark (benchmarks/talk.py): its committed episodes and
transcripts, and its figures for a system that changes nothing."""

import importlib.util
import sys
from pathlib import Path

import pytest

from respell.evaluate import normalize
from respell.evaluate.mentions import find_mentions

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def talk():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        spec = importlib.util.spec_from_file_location("talk", ROOT / "benchmarks" / "talk.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))


def test_every_episode_has_its_transcripts_and_says_its_names(talk):
    episodes = talk.episodes()
    assert len(episodes) == 15 and len({ep["id"] for ep in episodes}) == 15
    for ep in episodes:
        for condition in talk.CONDITIONS:
            path = ROOT / "benchmarks" / "talk_data" / "asr" / condition / f"{ep['id']}.txt"
            assert path.read_text(encoding="utf-8").strip(), path
        assert len(find_mentions(normalize(ep["text"]), ep["names"])) >= len(ep["names"]), ep["id"]
        assert 4 <= len(ep["names"]) <= 12  # a short list, typed


def test_a_system_that_changes_nothing_scores_the_raw_transcripts(talk):
    figures = talk.run("none", conditions=["base"])
    base = figures["base"]
    assert base["WER"] == base["WER_raw"] and base["NE_WER"] == base["NE_WER_raw"] > 0
    assert base["edits_right"] == base["edits_wrong"] == 0
    assert figures["all"] == base
    uncased = talk.run("none", conditions=["base"], uncased=True)["base"]
    assert uncased["NE_WER_raw"] == base["NE_WER_raw"]  # the scorer ignores case
