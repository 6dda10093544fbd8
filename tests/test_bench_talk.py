"""The short-list talk benchmark (benchmarks/talk.py): its committed episodes and
transcripts, and its figures for a system that changes nothing."""

import importlib.util
import sys
from pathlib import Path

import pytest

from respell.evaluate import normalize
from respell.evaluate.mentions import find_mentions, written_mentions

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


@pytest.mark.parametrize(("which", "count"), [("dev", 15), ("test", 12), ("test2", 12), ("test3", 12)])
def test_every_episode_has_its_transcripts_article_and_says_its_names(talk, which, count):
    folder = talk.SETS[which]
    episodes = talk.episodes(folder)
    assert len(episodes) == count and len({ep["id"] for ep in episodes}) == count
    for ep in episodes:
        for condition in talk.CONDITIONS:
            path = folder / "asr" / condition / f"{ep['id']}.txt"
            assert path.read_text(encoding="utf-8").strip(), path
        assert len(find_mentions(normalize(ep["text"]), ep["names"])) >= len(ep["names"]), ep["id"]
        assert len(written_mentions(ep["text"], ep["names"])) >= len(ep["names"]), ep["id"]
        assert 4 <= len(ep["names"]) <= 12  # a short list, typed
        assert talk.article(ep, folder).suffix in (".txt", ".html")


def test_the_test_set_and_its_episodes_are_chosen_by_name(talk):
    figures = talk.run("none", conditions=["base"], which="test", ids=["test07", "test12"])
    assert figures["base"]["NE_WER"] == figures["base"]["NE_WER_raw"] > 0
    with pytest.raises(ValueError, match="no episode of"):
        talk.run("none", conditions=["base"], which="test", ids=["talk15"])


def test_a_system_that_changes_nothing_scores_the_raw_transcripts(talk):
    figures = talk.run("none", conditions=["base"])
    base = figures["base"]
    assert base["WER"] == base["WER_raw"] and base["NE_WER"] == base["NE_WER_raw"] > 0
    assert base["edits_right"] == base["edits_wrong"] == 0
    assert figures["all"] == base
    uncased = talk.run("none", conditions=["base"], uncased=True)["base"]
    assert uncased["NE_WER_raw"] == base["NE_WER_raw"]  # the scorer ignores case


def test_every_episode_has_its_article_and_the_docs_settings_give_its_entities(talk):
    for ep in talk.episodes():
        assert talk.article(ep).suffix in (".txt", ".html")
    ep = next(ep for ep in talk.episodes() if ep["id"] == "talk24")
    names = talk.episode_list(ep, "none")
    assert names == ep["names"]
    both = talk.episode_list(ep, "with")
    assert both[:len(names)] == names and len(both) > len(names) + 5
    texts = {e.text for e in both[len(names):]}
    assert "David Letterman" in texts and all(e.origin != "user" for e in both[len(names):])
    only = [e.text for e in talk.episode_list(ep, "only")]
    assert only == [e.text for e in both[len(names):]]
    with pytest.raises(ValueError, match="docs must be one of"):
        talk.run("none", conditions=["base"], docs="some")
    figures = talk.run("none", conditions=["base"], docs="with")["base"]
    assert figures["NE_WER"] == figures["NE_WER_raw"] and figures["edits_wrong"] == 0
