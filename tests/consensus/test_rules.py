"""consensus.rules: scale and rule validation, classification truth tables (pure)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from consensus.rules import (
    CONSENSUS_AGREE,
    CONSENSUS_DISAGREE,
    NO_CONSENSUS,
    ConsensusRule,
    Scale,
    classify,
    classify_many,
    rand_count_rule_threshold,
    rand_ucla_class,
    rand_ucla_count_rule,
    stop_reasons,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1-9", Scale(1, 9)),
        (" 1 - 5 ", Scale(1, 5)),
        ("0-10", Scale(0, 10)),
        ("-3-3", Scale(-3, 3)),
    ],
)
def test_scale_parse(text, expected):
    assert Scale.parse(text) == expected


@pytest.mark.parametrize("text", ["9-1", "5-5", "1_9", "a-b", "1-9-2", "", "1-200", "1.5-9"])
def test_scale_parse_rejects(text):
    with pytest.raises(ValueError):
        Scale.parse(text)


def test_scale_properties():
    assert Scale().is_rand_ucla and Scale().points == 9
    assert not Scale(0, 8).is_rand_ucla
    assert Scale(1, 5).values.tolist() == [1, 2, 3, 4, 5]
    assert str(Scale(1, 5)) == "1-5"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"threshold": 0},
        {"threshold": 1.01},
        {"threshold": -0.5},
        {"threshold": float("nan")},
        {"agree_from": 3, "disagree_to": 3},
        {"agree_from": 2, "disagree_to": 5},
        {"median_min": float("inf")},
    ],
)
def test_rule_rejects(kwargs):
    with pytest.raises(ValueError):
        ConsensusRule(**kwargs)


def test_rule_defaults_and_warnings():
    rule = ConsensusRule()
    assert (rule.agree_from, rule.disagree_to, rule.threshold, rule.median_min) == (
        7,
        3,
        0.70,
        None,
    )
    assert rule.warnings_for(Scale(1, 9)) == []
    assert len(rule.warnings_for(Scale(1, 5))) == 1  # 7 is above 5: agreement impossible
    assert len(ConsensusRule(agree_from=12, disagree_to=2).warnings_for(Scale(5, 10))) == 2


def _stats(agree: float, disagree: float, median: float) -> SimpleNamespace:
    return SimpleNamespace(share_agree=agree, share_disagree=disagree, median=median)


@pytest.mark.parametrize(
    ("agree", "disagree", "median", "rule", "expected"),
    [
        (0.70, 0.10, 7, ConsensusRule(), CONSENSUS_AGREE),  # exactly at the threshold
        (7 / 10, 0.0, 7, ConsensusRule(), CONSENSUS_AGREE),
        (21 / 30, 0.0, 7, ConsensusRule(), CONSENSUS_AGREE),
        (0.69, 0.0, 8, ConsensusRule(), NO_CONSENSUS),
        (0.10, 0.75, 2, ConsensusRule(), CONSENSUS_DISAGREE),
        (0.80, 0.0, 6.5, ConsensusRule(median_min=7), NO_CONSENSUS),  # median condition fails
        (0.80, 0.0, 7, ConsensusRule(median_min=7), CONSENSUS_AGREE),
        (0.50, 0.50, 5, ConsensusRule(threshold=0.5), NO_CONSENSUS),  # split panel
        (1.0, 0.0, 9, ConsensusRule(threshold=1.0), CONSENSUS_AGREE),
    ],
)
def test_classify_truth_table(agree, disagree, median, rule, expected):
    assert classify(_stats(agree, disagree, median), rule) == expected


@pytest.mark.parametrize(
    ("median", "disagreement", "expected"),
    [
        (9, False, "appropriate"),
        (7, False, "appropriate"),
        (6.5, False, "uncertain"),  # boundary medians are uncertain (EPAGE convention)
        (5, False, "uncertain"),
        (3.5, False, "uncertain"),
        (3, False, "inappropriate"),
        (1, False, "inappropriate"),
        (8, True, "uncertain"),  # any median with disagreement
        (2, True, "uncertain"),
    ],
)
def test_rand_ucla_class(median, disagreement, expected):
    assert rand_ucla_class(median, disagreement) == expected


@pytest.mark.parametrize(
    ("n", "needed"),
    [(7, None), (8, 3), (9, 3), (10, 3), (11, 4), (13, 4), (14, 5), (16, 5), (17, None)],
)
def test_rand_count_rule_table(n, needed):
    """Fitch et al. 2001 via BMC Med Inform Decis Mak 2012;12:93, table 7."""
    assert rand_count_rule_threshold(n) == needed


def test_rand_count_rule_nine_member_panel():
    assert rand_ucla_count_rule([1, 2, 3, 5, 5, 5, 7, 8, 9]) is True
    assert rand_ucla_count_rule([1, 2, 4, 5, 5, 5, 7, 8, 9]) is False
    assert rand_ucla_count_rule([1, 2, 3, 7, 8, 9]) is None


@given(
    agree=st.integers(0, 20),
    disagree=st.integers(0, 20),
    neutral=st.integers(0, 20),
    threshold=st.sampled_from([0.3, 0.5, 0.6, 0.7, 0.8, 1.0]),
    median=st.sampled_from([1, 3, 3.5, 5, 6.5, 7, 9]),
)
def test_classify_many_matches_scalar(agree, disagree, neutral, threshold, median):
    n = agree + disagree + neutral
    if n == 0:
        return
    rule = ConsensusRule(threshold=threshold, median_min=7)
    share_a, share_d = agree / n, disagree / n
    many = classify_many(np.array([share_a]), np.array([share_d]), np.array([median]), rule)
    assert many[0] == classify(_stats(share_a, share_d, median), rule)
    # a verdict always has its share at the threshold
    if many[0] == CONSENSUS_AGREE:
        assert agree >= threshold * n - 1e-9 and median >= 7
    if many[0] == CONSENSUS_DISAGREE:
        assert disagree >= threshold * n - 1e-9


def test_stop_reasons_follow_the_protocol():
    protocol = {"max_rounds": 3, "stop_when_all_classified": True, "stability_max_net_change": 0.15}
    classified = [CONSENSUS_AGREE, CONSENSUS_DISAGREE]
    assert stop_reasons(
        last_round=2, classifications=classified, net_changes=[0.1, 0.15], **protocol
    ) == ["all_classified", "stable"]
    assert (
        stop_reasons(
            last_round=2, classifications=[*classified, NO_CONSENSUS], net_changes=[0.2], **protocol
        )
        == []
    )
    assert stop_reasons(last_round=3, classifications=[], net_changes=[], **protocol) == [
        "max_rounds"
    ]
    no_rule = {**protocol, "stop_when_all_classified": False, "stability_max_net_change": None}
    assert stop_reasons(last_round=1, classifications=classified, net_changes=[0], **no_rule) == []
