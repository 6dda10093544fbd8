"""The decision model: a match's evidence to a calibrated probability that it is right.

Trained on the dev data of ../shared/bench by benchmarks/train_model.py and
shipped as ``data/model.json``: boosted decision trees (``"kind": "trees"``),
evaluated here with numpy, or a logistic model (``"kind": "logistic"``, the
earlier format). Its inputs are documented in :mod:`respell.features`: the
:class:`~respell.features.Features` of each match and two
:class:`~respell.features.TranscriptFacts` (:data:`~respell.features.TRANSCRIPT_INPUTS`),
from which :func:`transform` derives the columns the model names.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources

import numpy as np

from .features import FEATURES, TRANSCRIPT_INPUTS, Features, TranscriptFacts


@lru_cache(maxsize=1)  # read once per process (see respell.state)
def decision_model() -> dict:
    """The shipped model: ``{"kind": "trees", "features": [...], "trees": {...}, ...}`` (see
    :class:`Forest`), or a logistic one with ``weights``, ``bias``, ``mean`` and ``scale``."""
    path = resources.files("respell") / "data" / "model.json"
    return json.loads(path.read_text(encoding="utf-8"))


def model_inputs(features: Features, facts: TranscriptFacts) -> dict[str, float]:
    """One match's raw inputs by name: its features, then the transcript's facts.

    >>> from respell.features import TranscriptFacts
    >>> facts = TranscriptFacts(cased=True, lexicon_size=40, cue_before=(), cue_after=())
    >>> row = model_inputs(Features(*[0.5] * len(FEATURES)), facts)
    >>> row["psim"], row["has_case"], row["lexicon_size"]
    (0.5, 1.0, 40)
    """
    return {**features._asdict(), **dict(zip(TRANSCRIPT_INPUTS, _fact_values(facts)))}


def _fact_values(facts: TranscriptFacts) -> tuple[float, int]:
    """The facts the model reads, in the order of TRANSCRIPT_INPUTS."""
    return float(facts.cased), facts.lexicon_size


# Lexicon sizes in the training data run from 32 to 1,800 variants; smaller lists
# are treated as 30 rather than extrapolated (a one-name list is no proof the name is there).
_MIN_LEXICON, _MAX_LEXICON = 30, 100_000


def _log_lexicon(f: Mapping):
    return np.log10(np.clip(f.get("lexicon_size", 100), _MIN_LEXICON, _MAX_LEXICON))


def transform(f: Mapping) -> dict:
    """Derived features the model uses, from the raw inputs (:func:`model_inputs`).

    Values may be numbers (one candidate) or numpy arrays (one column per feature).
    """
    psim = f["psim"]
    return {
        "psim": psim,
        "psim2": psim * psim,
        "csim": f["csim"],
        "margin": np.clip(f["margin"], -0.5, 0.5),
        "rank0": np.asarray(f["rank"] == 0, dtype=float),
        "log_lexicon": _log_lexicon(f),
        "psim_x_loglex": psim * _log_lexicon(f),
        "rsim": f["rsim"],
        "trim_gain": np.clip(f["trim_gain"], -0.3, 0.3),
        "edge_zipf": f["edge_zipf"],
        "span_zipf_max": f["span_zipf_max"],
        "span_zipf_mean": f["span_zipf_mean"],
        "span_zipf_min": f["span_zipf_min"],
        "ent_zipf": f["ent_zipf"],
        "zipf_gap": f["span_zipf_mean"] - f["ent_zipf"],
        "len_diff": np.abs(f["n_span"] - f["n_ent"]),
        "n_span": f["n_span"],
        "n_ent": f["n_ent"],
        "short": 1.0 / np.maximum(1, f["ent_phones"]),
        "phone_ratio": np.minimum(f["span_phones"], f["ent_phones"])
        / np.maximum(np.maximum(f["span_phones"], f["ent_phones"]), 1),
        "same_letters": f["same_letters"],
        "sounds_like": f["sounds_like"],
        "surname": f["surname"],
        "case_span_cap": f["has_case"] * f["span_capital"],
        "case_all_cap_mid": f["has_case"] * f["span_all_capital"] * (1 - f["sentence_start"]),
        "given_name": f["given_name"],
        "case_span_low": f["has_case"] * (1 - f["span_capital"]),
        "psim_x_zipf": psim * f["span_zipf_max"],
        "psim_x_short": psim / np.maximum(1, f["ent_phones"]),
        # context (respell.context); older feature dicts lack them
        "name_cue": f.get("name_cue", 0.0),
        "anchor": f.get("anchor", 0.0),
        "cue_person": f.get("name_cue", 0.0) * f.get("ent_person", 0.0),
    }


def score_matches(features: Sequence[Features], facts: TranscriptFacts) -> list[float]:
    """Calibrated probability for each match's features, in a transcript of these facts."""
    if not features:
        return []
    n = len(features)
    rows = np.array(features, dtype=float).reshape(n, len(FEATURES))
    columns = dict(zip(FEATURES, rows.T))
    for name, value in zip(TRANSCRIPT_INPUTS, _fact_values(facts)):
        columns[name] = np.full(n, float(value))  # a column like the others: the same floats
    return score_rows(columns, n)


def score_rows(columns: Mapping[str, np.ndarray], n: int) -> list[float]:
    """Calibrated probability for each of ``n`` rows of raw inputs, given as columns by name
    (:data:`~respell.features.FEATURES` and :data:`~respell.features.TRANSCRIPT_INPUTS`)."""
    model = decision_model()
    x = transform(columns)
    if model.get("kind") == "trees":
        matrix = np.empty((n, len(model["features"])))
        for k, name in enumerate(model["features"]):
            matrix[:, k] = x[name]  # a column, or one value for all
        z = load_forest()(matrix)
    else:
        z = linear_log_odds(model, x, n)
    # the user told us this exact misrecognition
    told = (x["sounds_like"] > 0) & (x["psim"] > 0.85)
    z = np.where(told, np.maximum(z, 3.0), z)
    return (1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))).tolist()


def linear_log_odds(model: dict, x: Mapping[str, np.ndarray], n: int) -> np.ndarray:
    """The logistic model's log-odds: standardised features times their weights."""
    z = np.full(n, float(model["bias"]))
    for name, w, m, s in zip(model["features"], model["weights"], model["mean"], model["scale"]):
        z += w * (x[name] - m) / (s if s > 1e-6 else 1.0)  # s ~ 0: a constant feature
    return z


class Forest:
    """Boosted trees as flat arrays, evaluated for many rows and all trees at once.

    ``spec`` holds, for every node of every tree, the feature it tests, the
    threshold (a row goes left when its value is <= threshold), its two
    children (global node numbers) and its value (leaves only). A leaf is its
    own child both ways and tests nothing, so after ``depth`` steps every row
    sits on a leaf of every tree; the log-odds are ``baseline`` plus the sum of
    those leaves' values.
    """

    _CHUNK = 1024  # rows at a time: the (rows x trees) work arrays stay in cache

    def __init__(self, spec: dict):
        self.feature = np.asarray(spec["feature"], dtype=np.int32)
        self.threshold = np.asarray(spec["threshold"], dtype=float)
        # children interleaved: kids[2 * node] goes right, kids[2 * node + 1] left
        self.kids = np.empty(2 * len(self.feature), dtype=np.int32)
        self.kids[0::2], self.kids[1::2] = spec["right"], spec["left"]
        self.value = np.asarray(spec["value"], dtype=float)
        self.roots = np.asarray(spec["roots"], dtype=np.int32)
        self.depth = int(spec["depth"])
        self.baseline = float(spec["baseline"])

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Log-odds for each row of ``x`` (rows: candidates, columns: the model's features)."""
        x = np.ascontiguousarray(x, dtype=float)
        out = np.empty(len(x))
        for start in range(0, len(x), self._CHUNK):
            rows = x[start:start + self._CHUNK]
            flat = rows.ravel()
            row_start = (np.arange(len(rows), dtype=np.int32) * x.shape[1])[:, None]
            node = np.broadcast_to(self.roots, (len(rows), len(self.roots)))
            for _ in range(self.depth):
                left = flat[row_start + self.feature[node]] <= self.threshold[node]
                node = self.kids[2 * node + left]
            out[start:start + len(rows)] = self.value[node].sum(axis=1)
        return self.baseline + out


@lru_cache(maxsize=1)
def load_forest() -> Forest:
    """The shipped model's trees, ready to evaluate (a ``"kind": "trees"`` model)."""
    return Forest(decision_model()["trees"])
