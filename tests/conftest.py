"""Shared test settings: slow tests run only when asked for, hypothesis profiles, and
sample words.

Tests that take seconds each (real Whisper models, synthesized speech, a browser) are
marked ``@pytest.mark.slow`` and skipped unless pytest runs with ``--run-slow`` (or
``RESPELL_SLOW_TESTS=1`` is set), so the default run stays a few minutes on two
cores. Everything else, real spaCy and espeak-ng included, runs by default.

Hypothesis runs the ``ci`` profile (enough examples to matter, in seconds);
``--hypothesis-profile=long`` tries 10^5 examples a property (hours, by hand).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=100_000, deadline=None,
                          suppress_health_check=list(HealthCheck))
settings.load_profile("ci")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-slow", action="store_true",
        help="also run the tests marked slow (real Whisper models and speech: seconds each)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow") or os.environ.get("RESPELL_SLOW_TESTS"):
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


#: Names and words that exercise the phonetic paths: foreign spellings, a linking r
#: ("happier asia"), r-coloured vowels, long and short words.
SAMPLE_WORDS = (
    "soleimani", "beirut", "musharraf", "leocadia", "xavier", "tora", "bora", "commentators",
    "gonzalez", "juan", "reiner", "trefzger", "detlef", "happier", "gardener", "celia", "asia",
    "paula", "vizier", "operator", "liquor", "winchester", "chancellor",
)


@pytest.fixture
def sample_words() -> list[str]:
    return list(SAMPLE_WORDS)
