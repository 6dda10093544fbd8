"""Long transcripts matched window by window give the same changes as in one piece."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from respell import Lexicon, correct, fix, windows
from respell.correct import fix_in_parts
from respell.windows import settle

ROOT = Path(__file__).resolve().parent.parent
NAMES = Lexicon.load(ROOT / "samples" / "names.txt")
SAMPLE = (ROOT / "samples" / "episode.txt").read_text(encoding="utf-8")


def texts():
    rng = random.Random(7)
    lines = SAMPLE.splitlines()
    mixed = "\n".join(rng.choice(lines) for _ in range(120))
    yield "sample x6", SAMPLE * 6, ()
    yield "one line", " ".join(SAMPLE.split()) * 3, ()
    yield "lower case", SAMPLE.lower() * 4, ()
    # lower case, but listed names written right in capitals: still an uncased transcript
    yield "lower case, names right", (SAMPLE.lower() + " Quds Force, Tora Bora. ") * 4, ()
    yield "names cut by lines", mixed.replace("Cassim Soleimani", "Cassim\nSoleimani"), ()
    text = SAMPLE * 4
    yield "barriers", text, tuple(sorted(rng.sample(range(1, len(text)), 40)))


@pytest.mark.parametrize(("label", "text", "barriers"), list(texts()), ids=lambda x: str(x)[:20])
@pytest.mark.parametrize("size", [700, 3000])
def test_windows_give_what_one_piece_gives(monkeypatch, label, text, barriers, size):
    # a transcript matched whole is searched again around its changes (the fixed point);
    # one matched window by window is not: they agree on the first pass
    monkeypatch.setattr(correct, "_MAX_PASSES", 1)
    whole = fix(text, NAMES, barriers=barriers)
    monkeypatch.setattr(windows, "WINDOW_CHARS", size)
    parts = list(fix_in_parts(text, NAMES, barriers=barriers))
    assert len(parts) > 2  # windows were used
    assert [s for s, _, _ in parts] == sorted(s for s, _, _ in parts)
    for settled, changes, _ in parts:  # nothing still to come starts before what is settled
        later = [c for _, cs, _ in parts[parts.index((settled, changes, _)) + 1:] for c in cs]
        assert all(c.start >= settled for c in later)
    cut = fix(text, NAMES, barriers=barriers)
    assert cut.changes == whole.changes and cut.candidates == whole.candidates
    assert cut.text == whole.text


def test_windows_cut_between_words_and_read_margins():
    text = "one two three four five six"
    got = list(windows.windows(text, 9, 1))
    assert [(w.core_start, w.core_end) for w in got] == [(0, 14), (14, 24), (24, 27)]
    assert [(w.start, w.end) for w in got] == [(0, 19), (8, 27), (19, 27)]
    assert "".join(text[w.core_start:w.core_end] for w in got) == text


def test_settle_keeps_a_cluster_that_may_still_grow():
    from types import SimpleNamespace as M

    ps = [(M(i=0, j=2), "a"), (M(i=1, j=3), "b"), (M(i=4, j=7), "c")]
    assert [p for _, p in settle(ps, 5)[0]] == ["a", "b"]
    assert [p for _, p in settle(ps, 7)[0]] == ["a", "b", "c"]
    assert settle([], 3) == ([], [])
