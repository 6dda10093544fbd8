"""Process-wide state: the collector pause around fix."""

from __future__ import annotations

import gc
import threading

import pytest

import respell
from respell.errors import EntityListError
from respell.state import collector_paused


def test_fix_leaves_the_collector_as_it_found_it():
    assert gc.isenabled()
    respell.fix("sola money in the bay loop", ["Qassem Soleimani", "Beirut"])
    assert gc.isenabled()
    gc.disable()
    try:
        respell.fix("sola money in the bay loop", ["Qassem Soleimani", "Beirut"])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_fix_sets_the_collector_back_after_an_error():
    with pytest.raises(EntityListError):
        respell.fix("text", [{"label": "no text field"}])
    assert gc.isenabled()


def test_the_collector_comes_back_when_the_last_of_several_threads_leaves():
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with collector_paused():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second():
        first_in.wait(5)
        with collector_paused():
            second_in.set()
            first_out.wait(5)
            seen["after the first left"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == {"after the first left": False}
    assert gc.isenabled()
