"""``fix_many``: the same results as ``fix`` one by one, in order, here or on a pool.

The pool tests are few and small: each starts worker processes (about a second).
"""

from __future__ import annotations

import concurrent.futures
import sys
import types

import pytest

from respell import FixOptions, Lexicon, OptionError, fix, fix_many
from respell.batch import available_cores, resolve_jobs

NAMES = ["Liz Sly", "Baghdad", "Qassem Soleimani", "Tora Bora"]
TEXTS = [
    "Liz sly flew to Big Dad.",
    "General Sola money was killed.",
    "",
    "They fled to Torah Bora, then Big Dad.",
    "Nothing to see here.",
]
BAD_ENTITIES = "Liz Sly"  # one string, not a list: fix rejects it


def one_by_one(items, entities=None, **kw):
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(fix(item, entities, **kw))
        else:
            text, ents, *barriers = item
            out.append(fix(text, entities if ents is None else ents,
                           barriers=barriers[0] if barriers else (), **kw))
    return out


PER_ITEM = [
    (TEXTS[0], ["Liz Sly"]),
    (TEXTS[0], ["Baghdad"]),
    (TEXTS[1], Lexicon.from_entries(["Qassem Soleimani"])),
    (TEXTS[3], None),  # the shared list
    ("Liz sly\nBig Dad", None, [8]),  # a barrier between the lines
    TEXTS[4],
]


@pytest.mark.parametrize("entities", [NAMES, Lexicon.from_entries(NAMES)])
@pytest.mark.parametrize("kw", [{}, {"min_score": 0.9}, {"options": FixOptions(max_span_words=2)}])
def test_shared_list_here_equals_fix(entities, kw):
    assert list(fix_many(TEXTS, entities=entities, **kw)) == one_by_one(TEXTS, entities, **kw)


def test_per_item_lists_here_equal_fix():
    assert list(fix_many(PER_ITEM, entities=NAMES)) == one_by_one(PER_ITEM, NAMES)


def test_items_are_read_as_they_are_fixed():
    seen = []

    def texts():
        for t in TEXTS:
            seen.append(t)
            yield t

    results = fix_many(texts(), entities=NAMES)
    assert seen == []
    assert next(results).text == "Liz Sly flew to Baghdad."
    assert seen == TEXTS[:1]


def test_pool_gives_the_same_results_in_order_and_errors_in_place():
    items = [*PER_ITEM, (TEXTS[0], BAD_ENTITIES), *TEXTS]
    got = list(fix_many(items, entities=NAMES, jobs=2, chunksize=2, min_score=0.5,
                        return_exceptions=True))
    with pytest.raises(OptionError) as expected:
        fix(TEXTS[0], BAD_ENTITIES)
    bad = len(PER_ITEM)
    assert type(got[bad]) is OptionError and str(got[bad]) == str(expected.value)
    good = items[:bad] + items[bad + 1:]
    assert got[:bad] + got[bad + 1:] == one_by_one(good, NAMES, min_score=0.5)


def test_pool_raises_a_worker_error_in_turn():
    items = [*TEXTS, (TEXTS[0], BAD_ENTITIES), *TEXTS]
    results = fix_many(items, entities=NAMES, jobs=2, chunksize=3)
    assert [next(results) for _ in TEXTS] == one_by_one(TEXTS, NAMES)
    with pytest.raises(OptionError, match="not one string: wrap it in a list"):
        next(results)


def test_one_chunk_of_work_starts_no_pool(monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    assert list(fix_many(TEXTS[:1], entities=NAMES, jobs=2)) == one_by_one(TEXTS[:1], NAMES)
    assert list(fix_many([], entities=NAMES, jobs=0)) == []


def test_a_main_script_read_from_stdin_is_refused_before_a_pool(monkeypatch):
    piped = types.ModuleType("__main__")
    piped.__file__ = "<stdin>"
    monkeypatch.setitem(sys.modules, "__main__", piped)
    with pytest.raises(OptionError, match="read from <stdin>: save it to a file"):
        list(fix_many(TEXTS, entities=NAMES, jobs=2, chunksize=1))


def test_an_item_of_another_shape_is_an_error():
    with pytest.raises(OptionError, match=r"a \(text, entities\) pair"):
        list(fix_many([["Liz sly", NAMES]]))


@pytest.mark.parametrize("jobs", [-1, 1.5, "2", True])
def test_bad_jobs_are_rejected_at_once(jobs):
    with pytest.raises(OptionError, match="jobs must be a whole number of processes"):
        fix_many(TEXTS, entities=NAMES, jobs=jobs)


@pytest.mark.parametrize("chunksize", [0, -3, 2.0])
def test_bad_chunksize_is_rejected_at_once(chunksize):
    with pytest.raises(OptionError, match="chunksize must be"):
        fix_many(TEXTS, entities=NAMES, jobs=2, chunksize=chunksize)


def test_bad_shared_options_are_rejected_at_once():
    with pytest.raises(OptionError, match="min_score"):
        fix_many(TEXTS, entities=NAMES, min_score=2)
    with pytest.raises(OptionError, match="wrap it in a list"):
        fix_many(TEXTS, entities="Liz Sly")


def test_all_cores():
    assert resolve_jobs(None) == resolve_jobs(0) == available_cores() >= 1
    assert resolve_jobs(3) == 3


def test_the_pool_is_no_larger_than_the_cores_or_the_work(monkeypatch):
    from respell import batch

    sizes = []
    real = concurrent.futures.ProcessPoolExecutor

    def spy(workers, *args, **kwargs):
        sizes.append(workers)
        return real(workers, *args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", spy)
    monkeypatch.setattr(batch, "available_cores", lambda: 2)
    assert list(fix_many(TEXTS[:3], entities=NAMES, jobs=64, chunksize=1)) == one_by_one(
        TEXTS[:3], NAMES)
    monkeypatch.setattr(batch, "available_cores", lambda: 8)
    assert list(fix_many(TEXTS[:3], entities=NAMES, jobs=64, chunksize=1)) == one_by_one(
        TEXTS[:3], NAMES)
    monkeypatch.setattr(batch, "available_cores", lambda: 1)
    assert list(fix_many(TEXTS[:3], entities=NAMES, jobs=64, chunksize=1)) == one_by_one(
        TEXTS[:3], NAMES)
    assert sizes == [2, 3]  # one core: no pool at all


def test_stopping_early_ends_the_workers():
    results = fix_many(TEXTS * 4, entities=NAMES, jobs=2, chunksize=1)
    assert next(results) == fix(TEXTS[0], NAMES)
    import multiprocessing

    assert len(multiprocessing.active_children()) >= 1
    results.close()  # the caller stops: the workers are stopped, not left waiting
    assert [p for p in multiprocessing.active_children() if p.is_alive()] == []
