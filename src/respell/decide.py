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

from .evidence import EVIDENCE
from .features import FEATURES, SOUND_CLASS_CUTOFF, TRANSCRIPT_INPUTS, Features, TranscriptFacts


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


def score_matches(
    features: Sequence[Features], facts: TranscriptFacts, evidence: Sequence | None = None
) -> list[float]:
    """Calibrated probability for each match's features, in a transcript of these facts.

    For a list of names known to be in the transcript (``facts.known``) the known-list
    model adds its log-odds to the shipped model's: on the match alone (first pass), or
    with what the rest of the transcript says (``evidence``, one
    :class:`~respell.evidence.Evidence` per match: second pass).
    """
    if not features:
        return []
    n = len(features)
    rows = np.array(features, dtype=float).reshape(n, len(FEATURES))
    columns = with_facts(dict(zip(FEATURES, rows.T)), facts, n)
    if not (facts.known and "known" in decision_model()):
        return score_rows(columns, n)
    z = log_odds_rows(columns, n, told=False)
    z = known_log_odds(columns, z, facts.n_entities, evidence)
    return _probabilities(_told(columns, _lowered_if_wide(columns, z)))


# A pair found only by a known list's wider search (respell.match.find_matches) lies
# where the model never learned: its odds are lowered by this much (log-odds), so that
# one the model would give 0.5 is scored 0.35, the default threshold.
_WIDE_LOG_ODDS = 0.62


def _lowered_if_wide(columns: Mapping[str, np.ndarray], z: np.ndarray) -> np.ndarray:
    return z - _WIDE_LOG_ODDS * (np.asarray(columns["rsim"]) < SOUND_CLASS_CUTOFF)


def with_facts(columns: dict[str, np.ndarray], facts: TranscriptFacts, n: int) -> dict:
    """``columns`` (the matches' features) with the transcript's facts as columns too:
    the same value in every row, but the list's size, which for a known list that
    documents added to is the user's part's for the user's names (``facts.users_size``)."""
    for name, value in zip(TRANSCRIPT_INPUTS, _fact_values(facts)):
        columns[name] = np.full(n, float(value))  # a column like the others: the same floats
    if facts.users_size:
        found = np.maximum(columns["from_document"], columns["from_pattern"]) > 0
        columns["lexicon_size"] = np.where(found, columns["lexicon_size"], float(facts.users_size))
    return columns


def score_rows(columns: Mapping[str, np.ndarray], n: int) -> list[float]:
    """Calibrated probability for each of ``n`` rows of raw inputs, given as columns by name
    (:data:`~respell.features.FEATURES` and :data:`~respell.features.TRANSCRIPT_INPUTS`)."""
    return _probabilities(log_odds_rows(columns, n))


def log_odds_rows(columns: Mapping[str, np.ndarray], n: int, *, told: bool = True) -> np.ndarray:
    """The shipped model's log-odds for ``n`` rows of raw inputs (see :func:`score_rows`);
    with ``told``, a misrecognition the user listed ("sounds_like") is raised to 3."""
    model = decision_model()
    x = transform(columns)
    if model.get("kind") == "trees":
        matrix = np.empty((n, len(model["features"])))
        for k, name in enumerate(model["features"]):
            matrix[:, k] = x[name]  # a column, or one value for all
        z = load_forest()(matrix)
    else:
        z = linear_log_odds(model, x, n)
    return _told(columns, z) if told else z


def _told(columns: Mapping[str, np.ndarray], z: np.ndarray) -> np.ndarray:
    """The user told us this exact misrecognition: at least 3 (a probability of 0.95)."""
    told = (np.asarray(columns["sounds_like"]) > 0) & (np.asarray(columns["psim"]) > 0.85)
    return np.where(told, np.maximum(z, 3.0), z)


def _probabilities(z: np.ndarray) -> list[float]:
    return (1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))).tolist()


def known_inputs(columns: Mapping[str, np.ndarray], z: np.ndarray, n_entities: int,
                 evidence: Sequence | None = None) -> dict[str, np.ndarray]:
    """The known-list model's columns: the shipped model's log-odds ``z``, what kind of
    variant and entry the match is (kinds the trees never saw: short given names, parts,
    a document's entries) and, in the second pass, the transcript's evidence.

    Few and plain on purpose: it recalibrates the trees for lists of names known to be
    there, fitted on one kind of conversation (earnings calls), and must hold on others.
    """
    c = {k: np.asarray(v, dtype=float) for k, v in columns.items()}
    n = len(z)
    one_word = c["n_span"] == 1
    out = {
        "z": np.clip(z, -10.0, 10.0),
        "z_neg": np.clip(-z, 0.0, 10.0),  # below even odds the trees err otherwise
        "short_form": c["short_form"],
        "part": c["part"],
        "from_document": c["from_document"],
        "from_pattern": c["from_pattern"],
        "several_words": (~one_word).astype(float),
        "common_word": (one_word & (c["span_zipf_max"] >= 5.0)).astype(float),
        "edge_function": c["edge_function"],
        "same_letters": c["same_letters"],
        "ent_person": c["ent_person"],
    }
    if evidence is not None:
        ev = np.array([e[:len(EVIDENCE)] for e in evidence], dtype=float).reshape(n, len(EVIDENCE))
        out.update(
            ev_present=np.log1p(ev[:, 0]), ev_repaired=np.log1p(ev[:, 1]), ev_near=ev[:, 2],
            ev_best=ev[:, 3],
            # other names of the user's list beside a name of it (a document's entries
            # are judged without: their own words are full of other names)
            ev_others=np.log1p(ev[:, 4]) * (1.0 - np.maximum(c["from_document"], c["from_pattern"])),
            # the content words around the match that stand around the name elsewhere (in
            # the transcript where it is written right, in the documents), and whether
            # any such words are known
            ev_said_with=np.log1p(ev[:, 5]), ev_context=ev[:, 6],
        )
    return out


def known_tree_inputs(columns: Mapping[str, np.ndarray], z: np.ndarray, n_entities: int,
                      evidence: Sequence) -> dict[str, np.ndarray]:
    """The columns of the known-list model's trees (its second stage, when boosted trees):
    the match's raw inputs (:data:`~respell.features.FEATURES`, and whether the transcript
    has case) and the linear stage's columns, the transcript's evidence among them.

    The list's size is left out: the trees' log-odds ``z`` already weigh it, and in the
    few lists the known-list model is fitted on it would name the list, not describe it.
    """
    n = len(z)
    raw = {name: np.broadcast_to(np.asarray(columns[name], dtype=float), (n,))
           for name in FEATURES + ("has_case",)}
    return {**raw, **known_inputs(columns, z, n_entities, evidence)}


def known_log_odds(columns: Mapping[str, np.ndarray], z: np.ndarray, n_entities: int,
                   evidence: Sequence | None = None) -> np.ndarray:
    """The known-list model's log-odds: fitted on lists of names known to be in their
    transcripts, from the shipped model's log-odds ``z``. Its first stage (without the
    transcript's evidence) is a logistic model on top of ``z``; its second (with it) the
    same, or (``"kind": "trees"``) the mean of such a logistic model (``"linear"``) and
    boosted trees on the match's inputs, ``z`` and the evidence."""
    stage = decision_model()["known"]["first" if evidence is None else "second"]
    if stage.get("kind") != "trees":
        return _known_linear(stage, known_inputs(columns, z, n_entities, evidence), z)
    x = known_tree_inputs(columns, z, n_entities, evidence)  # the logistic half's among them
    trees = load_known_forest()(np.column_stack([x[name] for name in stage["features"]]))
    return (trees + _known_linear(stage["linear"], x, z)) / 2


def _known_linear(stage: dict, x: Mapping[str, np.ndarray], z: np.ndarray) -> np.ndarray:
    """A logistic stage's log-odds from its columns ``x`` (:func:`known_inputs`)."""
    offset = linear_log_odds(stage, x, len(z))
    # A name the user listed whole (or its surname, its given name) is judged no lower
    # than the trees judge it in a biasing list: the calls it was fitted on say that
    # such lists' garbles of first names are often ordinary words, but a short list is
    # no weaker evidence of a name than a long one. The kinds the trees never saw (short
    # given names, parts, demonyms' numbers) and documents' entries take it as fitted.
    fitted = (x["short_form"] + x["part"] + x["from_document"] + x["from_pattern"]) > 0
    return z + np.where(fitted, offset, np.maximum(offset, 0.0))


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
        # the trees grouped by their own depth, each group walked only that many steps
        # (a deep tree among shallow ones costs the shallow ones nothing)
        depths = self._depths(spec)
        self.groups = [(np.flatnonzero(depths == d), d) for d in np.unique(depths)]

    def _depths(self, spec: dict) -> np.ndarray:
        """Each tree's depth: the most steps from its root to a leaf."""
        left, right = np.asarray(spec["left"]), np.asarray(spec["right"])
        inner = left != np.arange(len(left))
        below = np.zeros(len(left), dtype=np.int32)
        for _ in range(self.depth):  # a node's count is right once its children's are
            below = np.where(inner, 1 + np.maximum(below[left], below[right]), 0)
        return below[self.roots]

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Log-odds for each row of ``x`` (rows: candidates, columns: the model's features)."""
        x = np.ascontiguousarray(x, dtype=float)
        out = np.empty(len(x))
        for start in range(0, len(x), self._CHUNK):
            rows = x[start:start + self._CHUNK]
            flat = rows.ravel()
            row_start = (np.arange(len(rows), dtype=np.int32) * x.shape[1])[:, None]
            leaves = np.empty((len(rows), len(self.roots)))
            for trees, depth in self.groups:
                node = np.broadcast_to(self.roots[trees], (len(rows), len(trees)))
                for _ in range(depth):
                    left = flat[row_start + self.feature[node]] <= self.threshold[node]
                    node = self.kids[2 * node + left]
                leaves[:, trees] = self.value[node]
            out[start:start + len(rows)] = leaves.sum(axis=1)
        return self.baseline + out


@lru_cache(maxsize=1)
def load_forest() -> Forest:
    """The shipped model's trees, ready to evaluate (a ``"kind": "trees"`` model)."""
    return Forest(decision_model()["trees"])


@lru_cache(maxsize=1)
def load_known_forest() -> Forest:
    """The known-list model's trees (its second stage, when ``"kind": "trees"``)."""
    return Forest(decision_model()["known"]["second"]["trees"])
