"""The decision model: tree evaluation and the shipped model's sanity."""

import numpy as np
import pytest

from respell import decide
from respell.decide import Forest
from respell.evidence import NONE, Evidence
from respell.features import FEATURES, Features, TranscriptFacts

FACTS = TranscriptFacts(cased=True, lexicon_size=50, cue_before=(), cue_after=())

# Two trees over features (a, b):
#   tree 1: a <= 0.5 ? (b <= 2 ? 1.0 : 2.0) : -1.0
#   tree 2: a single leaf, 0.25
TWO_TREES = {
    "baseline": 0.5,
    "depth": 2,
    "roots": [0, 5],
    "feature": [0, 1, 0, 0, 0, 0],
    "threshold": [0.5, 2.0, float("inf"), float("inf"), float("inf"), float("inf")],
    "left": [1, 2, 2, 3, 4, 5],
    "right": [4, 3, 2, 3, 4, 5],
    "value": [0.0, 0.0, 1.0, 2.0, -1.0, 0.25],
}


@pytest.mark.parametrize(
    "row, expected",
    [
        ((0.2, 1.0), 0.5 + 1.0 + 0.25),
        ((0.5, 2.0), 0.5 + 1.0 + 0.25),  # <= goes left
        ((0.2, 3.0), 0.5 + 2.0 + 0.25),
        ((0.9, 1.0), 0.5 - 1.0 + 0.25),  # a leaf at depth 1 stays put on the second step
    ],
)
def test_forest_walks_each_row_to_its_leaves(row, expected):
    assert Forest(TWO_TREES)(np.array([row]))[0] == pytest.approx(expected)


def test_forest_scores_rows_independently():
    rows = np.array([(0.2, 1.0), (0.9, 5.0), (0.2, 3.0)])
    together = Forest(TWO_TREES)(rows)
    alone = [Forest(TWO_TREES)(rows[k:k + 1])[0] for k in range(3)]
    assert together.tolist() == pytest.approx(alone)


def test_shipped_model_prefers_a_close_rare_name_to_a_common_word():
    model = decide.decision_model()
    assert set(model["features"]) <= set(decide.transform(decide.model_inputs(_features(), FACTS)))
    name = _features(psim=0.95, csim=0.8, span_zipf_max=1.5, span_zipf_mean=1.5, span_zipf_min=1.5)
    word = _features(psim=0.95, csim=0.8, span_zipf_max=6.0, span_zipf_mean=6.0, span_zipf_min=6.0)
    far = _features(psim=0.55, csim=0.3, span_zipf_max=1.5, span_zipf_mean=1.5, span_zipf_min=1.5)
    s_name, s_word, s_far = decide.score_matches([name, word, far], FACTS)
    assert 0.0 <= s_far < s_name <= 1.0 and s_word < s_name


def test_shipped_model_scores_in_one_batch_as_one_by_one():
    rows = [_features(psim=p, span_zipf_max=z) for p in (0.6, 0.8, 1.0) for z in (1.0, 4.0, 7.0)]
    assert decide.score_matches(rows, FACTS) == pytest.approx(
        [decide.score_matches([r], FACTS)[0] for r in rows]
    )


def _features(**changes) -> Features:
    """Plausible features of a match (a one-word span)."""
    f = {
        "psim": 0.9, "rsim": 0.8, "csim": 0.7, "margin": 0.5, "rank": 0, "trim_gain": 0.0,
        "span_zipf_max": 3.0, "span_zipf_mean": 3.0, "span_zipf_min": 3.0, "edge_zipf": 0.0,
        "ent_zipf": 1.0, "n_span": 1, "n_ent": 1, "ent_phones": 6, "span_phones": 6,
        "same_letters": False, "sounds_like": False, "surname": False, "span_capital": False,
        "span_all_capital": False, "sentence_start": False, "given_name": False,
        "ent_capital": True, "name_cue": False, "anchor": 0.0, "ent_person": False,
    }
    f.update(changes)
    return Features(**f)


def test_the_model_reads_every_feature_and_fact_by_its_declared_name():
    row = decide.model_inputs(_features(), FACTS)
    assert list(row) == [*FEATURES, "has_case", "lexicon_size"]
    used = set(decide.transform(row))
    assert set(decide.decision_model()["features"]) <= used


def test_forest_gives_the_same_log_odds_in_chunks(monkeypatch):
    rows = np.random.default_rng(1).random((50, 2)) * 3
    whole = Forest(TWO_TREES)(rows)
    monkeypatch.setattr(Forest, "_CHUNK", 7)
    assert Forest(TWO_TREES)(rows).tolist() == whole.tolist()


def test_the_users_names_of_a_known_list_are_scored_at_the_size_of_the_users_list():
    facts = TranscriptFacts(cased=True, lexicon_size=400, cue_before=(), cue_after=(),
                            known=True, n_entities=5, users_size=40)
    typed = Features(*[0.5] * len(FEATURES))._replace(from_document=0.0, from_pattern=0.0)
    found = typed._replace(from_document=1.0)
    mined = typed._replace(from_pattern=1.0)
    rows = np.array([typed, found, mined], dtype=float)
    columns = decide.with_facts(dict(zip(FEATURES, rows.T)), facts, 3)
    assert columns["lexicon_size"].tolist() == [40.0, 400.0, 400.0]
    alone = facts._replace(users_size=0)
    assert decide.with_facts(dict(zip(FEATURES, rows.T)), alone, 3)["lexicon_size"].tolist() == [400.0] * 3
    # and so each is scored: the user's name as in the user's list alone
    scores = decide.score_matches([typed, found], facts)
    assert scores[0] == decide.score_matches([typed], alone._replace(lexicon_size=40))[0]


def test_a_pair_of_the_wider_search_has_its_odds_lowered():
    facts = TranscriptFacts(cased=True, lexicon_size=20, cue_before=(), cue_after=(),
                            known=True, n_entities=5)
    base = Features(*[0.5] * len(FEATURES))._replace(psim=0.7, from_document=0.0, from_pattern=0.0)
    at, under = base._replace(rsim=0.6), base._replace(rsim=0.55)
    columns = {name: np.array([v, w], dtype=float) for name, v, w in zip(FEATURES, at, under)}
    columns = decide.with_facts(columns, facts, 2)
    z = decide.log_odds_rows(columns, 2, told=False)
    z = decide.known_log_odds(columns, z, facts.n_entities)
    p_at, p_under = decide.score_matches([at, under], facts)
    logit = lambda p: np.log(p / (1 - p))
    assert logit(p_at) == pytest.approx(z[0])
    assert logit(p_under) == pytest.approx(z[1] - decide._WIDE_LOG_ODDS)
    assert decide._WIDE_LOG_ODDS > 0


def test_a_known_list_second_stage_of_trees_reads_the_match_and_its_evidence(monkeypatch):
    # a stage of boosted trees over two named columns, the sounds' likeness (a raw
    # input) and how often the name is repaired elsewhere (the evidence), averaged with
    # a logistic stage that here adds nothing to the trees' log-odds z (= 0)
    nothing = {"features": [], "weights": [], "mean": [], "scale": [], "bias": 0.0}
    model = dict(decide.decision_model())
    model["known"] = dict(model["known"], second={
        "kind": "trees", "features": ["psim", "ev_repaired"], "trees": TWO_TREES,
        "linear": nothing})
    monkeypatch.setattr(decide, "decision_model", lambda: model)
    monkeypatch.setattr(decide, "load_known_forest", lambda: Forest(TWO_TREES))
    base = Features(*[0.5] * len(FEATURES))._replace(from_document=0.0, from_pattern=0.0)
    like, unlike = base._replace(psim=0.4), base._replace(psim=0.9)
    columns = {name: np.array([v, w], dtype=float) for name, v, w in zip(FEATURES, like, unlike)}
    columns = decide.with_facts(columns, FACTS, 2)
    z = np.zeros(2)
    seen_often = Evidence(0, 20, True, 0.9)  # log1p(20) = 3.04 > 2: tree 1's right leaf
    got = decide.known_log_odds(columns, z, 5, [NONE, NONE])
    assert got.tolist() == pytest.approx([(0.5 + 1.0 + 0.25) / 2, (0.5 - 1.0 + 0.25) / 2])
    got = decide.known_log_odds(columns, z, 5, [seen_often, NONE])
    assert got[0] == pytest.approx((0.5 + 2.0 + 0.25) / 2)
    # and the logistic half counts as much: an offset of 1 adds 1 / 2
    model["known"]["second"]["linear"] = dict(nothing, bias=1.0)
    assert decide.known_log_odds(columns, z, 5, [seen_often, NONE])[0] == pytest.approx(
        (0.5 + 2.0 + 0.25 + 1.0) / 2)
    # the first stage, without evidence, is the logistic one as before
    assert decide.known_log_odds(columns, z, 5).tolist() != got.tolist()


def test_the_shipped_known_list_model_scores_a_short_lists_matches():
    facts = FACTS._replace(lexicon_size=8, known=True, n_entities=8)
    base = Features(*[0.5] * len(FEATURES))._replace(from_document=0.0, from_pattern=0.0)
    near, far = base._replace(psim=0.95, csim=0.9), base._replace(psim=0.3, csim=0.2)
    p_near, p_far = decide.score_matches([near, far], facts, [NONE, NONE])
    assert 0.0 <= p_far < p_near <= 1.0


def test_forest_walks_each_tree_only_as_deep_as_it_goes():
    forest = Forest(TWO_TREES)
    assert [(trees.tolist(), int(depth)) for trees, depth in forest.groups] == [([1], 0), ([0], 2)]
    rows = np.random.default_rng(2).random((20, 2)) * 3
    one_by_one = sum(Forest({**TWO_TREES, "roots": [root]})(rows) - TWO_TREES["baseline"]
                     for root in TWO_TREES["roots"]) + TWO_TREES["baseline"]
    assert forest(rows) == pytest.approx(one_by_one)
