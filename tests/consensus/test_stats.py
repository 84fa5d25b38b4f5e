"""consensus.stats: published worked examples, then properties (no database, no Django)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.stats import friedmanchisquare

from consensus.ratings_csv import read_ratings
from consensus.rules import CONSENSUS_AGREE, CONSENSUS_DISAGREE, ConsensusRule, Scale
from consensus.stats import (
    Ratings,
    RatingsError,
    compute_all,
    item_stats,
    kendall_w,
    net_change,
    quadratic_weighted_kappa,
    stability,
)

RAND = Scale(1, 9)

# --- published worked examples ------------------------------------------------------------


def test_rand_ucla_ipras_bmj_open_2012_example():
    """BMJ Open 2012;2:e001431, table 1 (RAND/UCLA method applied to criterion one, round 1).

    15 panellists rate 4, 5, 6 once each, 7 and 8 five times each, 9 twice. Published:
    median 7.0, P30 7.0, P70 8.0, IPR 1.0, IPRCP 7.5, AI 2.5, IPRAS 6.1, no disagreement.
    (The table's text prints "2.5 + AI x 1.5" but its 6.1 is 2.35 + 2.5 x 1.5, the manual's
    constant.)
    """
    scores = [4, 5, 6] + [7] * 5 + [8] * 5 + [9] * 2
    s = item_stats(scores, RAND, ConsensusRule())
    assert (s.n, s.median, s.p30, s.p70) == (15, 7.0, 7.0, 8.0)
    assert s.ipr == pytest.approx(1.0)
    assert s.iprcp == pytest.approx(7.5)
    assert s.ai == pytest.approx(2.5)
    assert s.ipras == pytest.approx(6.1)
    assert s.disagreement is False
    assert s.rand_ucla == "appropriate"
    # "accepted ... because four or less panellists voted outside the 3-point region containing
    # the median"; under the classic count rule (15 members: >= 5 in each extreme) no
    # disagreement either: 0 ratings in 1-3.
    assert s.disagreement_count_rule is False


def test_rand_ucla_ipras_example_file_matches():
    """Same example through the CSV reader (tests/consensus/data/bmjopen_2012_criterion1.csv)."""
    ratings = read_ratings(Path(__file__).parent / "data" / "bmjopen_2012_criterion1.csv")
    (row,) = compute_all(ratings).items
    assert (row.item, row.round, row.stats.ipras) == ("criterion-1", 1, pytest.approx(6.1))


@pytest.mark.parametrize(
    ("y", "published"),
    [
        ([8, 8, 6, 6, 7, 6, 1, 4, 8], 0.758620689655172),
        ([3, 5, 6, 6, 7, 6, 1, 4, 8], 0.438095238095238),
    ],
)
def test_quadratic_kappa_maple_essaytools_examples(y, published):
    """Maple EssayTools[QuadraticWeightedKappa] help page, examples 1 and 2.

    x = [9, 7, 8, 7, 6, 8, 3, 5, 10]; the published values use the score range 1-10.
    By hand for example 1: sum (x-y)^2 = 21, sum x = 63, sum y = 54, sum x^2 = 477,
    sum y^2 = 366, so kappa = 1 - 9*21 / (9*477 + 9*366 - 2*63*54) = 1 - 189/783.
    """
    x = [9, 7, 8, 7, 6, 8, 3, 5, 10]
    assert quadratic_weighted_kappa(x, y, Scale(1, 10)) == pytest.approx(published, abs=1e-12)


def test_kendall_w_siegel_1956_executives_example():
    """Siegel S. Nonparametric Statistics for the Behavioral Sciences (1956), ch. 9, Kendall W.

    Three executives rank six job applicants: X = 1 6 3 2 5 4, Y = 1 5 6 4 2 3,
    Z = 6 3 2 5 4 1; rank sums 8 14 11 11 11 8, s = 25.5, published W = .16
    (12 x 25.5 / (9 x (216 - 6)) = 0.1619).
    """
    ranks = np.array([[1, 6, 3, 2, 5, 4], [1, 5, 6, 4, 2, 3], [6, 3, 2, 5, 4, 1]]).T
    w = kendall_w(ranks)  # items x panelists
    assert round(w, 2) == 0.16
    assert w == pytest.approx(12 * 25.5 / (9 * (6**3 - 6)))


def test_kendall_w_with_ties_equals_friedman_statistic():
    """Kendall & Babington Smith's tie-corrected W equals chi2_F / (m (n - 1)).

    Cross-check against scipy.stats.friedmanchisquare, an independent implementation of the
    tie-corrected Friedman statistic (Siegel & Castellan 1988, section 7.2 / 9.4).
    """
    matrix = np.array([[7, 8, 9, 3], [2, 2, 3, 5], [5, 1, 9, 5]])  # 3 items x 4 panelists
    chi2 = friedmanchisquare(*matrix).statistic
    assert kendall_w(matrix) == pytest.approx(chi2 / (4 * (3 - 1)))
    # By hand: R = 9.5, 6.5, 8; S = 4.5; ties 2 x (8 - 2) = 12; W = 54 / (16*24 - 4*12).
    assert kendall_w(matrix) == pytest.approx(54 / 336)


def test_net_change_scheibe_definition_worked_by_hand():
    """Scheibe, Skutsch & Schofer (1975): net change = half the sum of |% change| per interval.

    Hand-worked (no published distribution was retrievable): 10 ratings in round 1 on 7/8/9
    = 5/3/2, round 2 = 2/6/2. Units of change |5-2| + |3-6| + |2-2| = 6 persons, net person
    changes 6 / 2 = 3 of 10, i.e. 0.30 -- above Scheibe's 15 % stability limit.
    """
    r1 = [7] * 5 + [8] * 3 + [9] * 2
    r2 = [7] * 2 + [8] * 6 + [9] * 2
    assert net_change(r1, r2, RAND) == pytest.approx(0.30)


def test_net_change_uses_all_ratings_of_each_round():
    """Unpaired ratings count: the distributions, not the panelists, are compared."""
    prev = {"a": 7, "b": 7}
    curr = {"a": 7, "b": 7, "c": 1, "d": 1}  # two newcomers rate 1
    s = stability(prev, curr, RAND)
    assert (s.n_paired, s.unchanged, s.weighted_kappa) == (2, 1.0, 1.0)
    assert s.net_change == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([2] * 3 + [5] * 3 + [8] * 3, True),  # 9 members, 3 in 1-3 and 3 in 7-9
        ([2] * 2 + [5] * 4 + [8] * 3, False),  # only 2 in 1-3
        ([1] * 4 + [5] * 4 + [9] * 4, True),  # 12 members need 4
        ([1] * 3 + [5] * 6 + [9] * 3, False),
        ([1] * 5 + [5] * 5 + [9] * 5, True),  # 15 members need 5
        ([1] * 4 + [5] * 7 + [9] * 4, False),
        ([1] * 3 + [5] + [9] * 3, None),  # 7 members: outside the manual's 8-16 table
        ([1] * 6 + [5] * 5 + [9] * 6, None),  # 17 members
    ],
)
def test_rand_ucla_count_rule_table(scores, expected):
    """Fitch et al. 2001 count definitions (tabulated in BMC Med Inform Decis Mak 2012;12:93,
    table 7): 8-10 members >= 3, 11-13 >= 4, 14-16 >= 5 ratings in each of 1-3 and 7-9."""
    assert item_stats(scores, RAND).disagreement_count_rule is expected


def test_rand_ucla_polarised_panel_disagrees_and_is_uncertain():
    """A 9-member panel split 4 / 1 / 4 between the extremes: IPR > IPRAS and count rule."""
    s = item_stats([1, 1, 2, 2, 5, 8, 8, 9, 9], RAND)
    # P30 = 2 (h = 2.4 between 2 and 2), P70 = 8 (h = 5.6 between 8 and 8): IPR 6 > IPRAS 2.35
    assert (s.p30, s.p70, s.ipr, s.ipras) == (2.0, 8.0, 6.0, pytest.approx(2.35))
    assert s.disagreement is True and s.disagreement_count_rule is True
    assert s.rand_ucla == "uncertain"


def test_other_scales_have_no_rand_fields():
    s = item_stats([1, 2, 5, 4, 4], Scale(1, 5), ConsensusRule(agree_from=4, disagree_to=2))
    assert s.share_agree == pytest.approx(0.6)
    for name in ("p30", "p70", "ipr", "iprcp", "ai", "ipras", "disagreement", "rand_ucla"):
        assert getattr(s, name) is None
    assert s.disagreement_count_rule is None


def test_percentile_index_is_exact():
    """Type 7 with n = 11: P30 sits exactly on the 4th order statistic (h = 10 x 0.3 = 3)."""
    s = item_stats([1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9], RAND)
    assert s.p30 == 4.0 and s.p70 == 8.0


def test_item_stats_rejects_bad_scores():
    with pytest.raises(RatingsError):
        item_stats([0, 5], RAND)
    with pytest.raises(RatingsError):
        item_stats([5.5], RAND)
    with pytest.raises(RatingsError):
        item_stats([], RAND)


def test_degenerate_kappa_is_one_for_identical_constant_rounds():
    """Everyone keeps the same single score: expected disagreement 0, rounds identical -> 1."""
    s = stability({"a": 5, "b": 5}, {"a": 5, "b": 5}, RAND)
    assert (s.weighted_kappa, s.unchanged, s.net_change) == (1.0, 1.0, 0.0)


def test_stability_without_paired_panelists():
    s = stability({"a": 5}, {"b": 6}, RAND)
    assert (s.n_paired, s.unchanged, s.weighted_kappa) == (0, None, None)
    assert s.net_change == pytest.approx(1.0)


def test_kendall_w_undefined_cases():
    assert kendall_w([[1, 2, 3]]) is None  # one item
    assert kendall_w([[1], [2]]) is None  # one panelist
    assert kendall_w([[4, 4], [4, 4]]) is None  # no one ranks anything
    assert kendall_w([[1, 2], [2, 1]]) == pytest.approx(0.0)


def test_compute_all_rejects_duplicate_rating():
    ratings = Ratings.from_columns(["A", "A"], ["p", "p"], [1, 1], [5, 6])
    with pytest.raises(RatingsError, match="more than once"):
        compute_all(ratings)


def test_compute_all_pairs_consecutive_rated_rounds_only():
    """Item B is not rated in round 2: its stability row goes from round 1 to round 3."""
    ratings = Ratings.from_columns(
        ["A", "A", "A", "B", "B"], ["p", "p", "p", "p", "p"], [1, 2, 3, 1, 3], [5, 6, 6, 2, 2]
    )
    report = compute_all(ratings)
    pairs = [(r.item, r.from_round, r.to_round, r.stability.n_paired) for r in report.stability]
    assert pairs == [("A", 1, 2, 1), ("A", 2, 3, 1), ("B", 1, 3, 1)]
    # Panel: round 2 has one item only -> W undefined; rounds 1 and 3 have one panelist.
    assert [(p.round, p.n_panelists, p.kendall_w) for p in report.panel] == [
        (1, 1, None),
        (2, 1, None),
        (3, 1, None),
    ]


def test_compute_all_empty():
    report = compute_all(Ratings.from_columns([], [], [], []))
    assert report.to_json_data() == {"items": [], "stability": [], "panel": []}


# --- properties ----------------------------------------------------------------------------

scores_1_9 = st.lists(st.integers(1, 9), min_size=1, max_size=40)
rules = st.builds(
    ConsensusRule,
    agree_from=st.integers(6, 9),
    disagree_to=st.integers(1, 4),
    threshold=st.sampled_from([0.5, 0.6, 0.7, 0.75, 0.8, 1.0]),
    median_min=st.one_of(st.none(), st.sampled_from([6, 6.5, 7, 8])),
)


@given(scores=scores_1_9, rule=rules)
def test_item_stats_bounds_and_numpy_agreement(scores, rule):
    s = item_stats(scores, RAND, rule)
    arr = np.array(scores)
    q1, p30, med, p70, q3 = np.percentile(arr, [25, 30, 50, 70, 75])  # 'linear' = type 7
    assert (s.q1, s.p30, s.median, s.p70, s.q3) == pytest.approx((q1, p30, med, p70, q3))
    assert arr.min() <= s.q1 <= s.median <= s.q3 <= arr.max()
    assert s.p30 <= s.p70 and s.iqr >= 0 and s.ipr >= 0
    assert s.mean == pytest.approx(arr.mean())
    for share in (s.share_agree, s.share_neutral, s.share_disagree):
        assert 0 <= share <= 1
    assert s.share_agree + s.share_neutral + s.share_disagree == pytest.approx(1)
    assert s.share_agree == pytest.approx(np.mean(arr >= rule.agree_from))
    assert s.share_disagree == pytest.approx(np.mean(arr <= rule.disagree_to))
    assert 0 <= s.ai <= 4 and s.ipras == pytest.approx(2.35 + 1.5 * s.ai)


@given(scores=scores_1_9, rule=rules)
def test_classification_consistent_with_shares(scores, rule):
    s = item_stats(scores, RAND, rule)
    agree = s.share_agree >= rule.threshold - 1e-9
    disagree = s.share_disagree >= rule.threshold - 1e-9
    median_ok = rule.median_min is None or s.median >= rule.median_min - 1e-9
    if s.classification == CONSENSUS_AGREE:
        assert agree and median_ok and not disagree
    elif s.classification == CONSENSUS_DISAGREE:
        assert disagree and not agree
    else:
        assert not (agree and median_ok and not disagree) and not (disagree and not agree)
    if s.disagreement:
        assert s.rand_ucla == "uncertain"
    else:
        expected = "appropriate" if s.median >= 7 else "inappropriate" if s.median <= 3 else None
        assert s.rand_ucla == (expected or "uncertain")


@given(
    pairs=st.lists(st.tuples(st.integers(1, 9), st.integers(1, 9)), min_size=1, max_size=30),
)
def test_stability_bounds_and_kappa_formulas_agree(pairs):
    prev = {f"p{i}": x for i, (x, _) in enumerate(pairs)}
    curr = {f"p{i}": y for i, (_, y) in enumerate(pairs)}
    s = stability(prev, curr, RAND)
    assert s.n_paired == len(pairs)
    assert 0 <= s.unchanged <= 1
    assert 0 <= s.net_change <= 1 + 1e-12
    if s.weighted_kappa is not None:
        assert -1 - 1e-12 <= s.weighted_kappa <= 1 + 1e-12
    # compute_all's moment formula agrees with the matrix formula of Cohen (1968)
    ratings = Ratings.from_columns(
        ["A"] * (2 * len(pairs)),
        list(prev) + list(curr),
        [1] * len(pairs) + [2] * len(pairs),
        list(prev.values()) + list(curr.values()),
    )
    (row,) = compute_all(ratings).stability
    assert row.stability.weighted_kappa == pytest.approx(s.weighted_kappa)
    assert row.stability.net_change == pytest.approx(s.net_change)
    assert row.stability.unchanged == pytest.approx(s.unchanged)


@given(
    scores=st.lists(st.integers(1, 9), min_size=2, max_size=30).filter(lambda v: len(set(v)) > 1)
)
def test_kappa_is_one_for_identical_rounds(scores):
    same = {f"p{i}": v for i, v in enumerate(scores)}
    s = stability(same, dict(same), RAND)
    assert (s.weighted_kappa, s.unchanged, s.net_change) == (1.0, 1.0, 0.0)


matrices = st.integers(2, 6).flatmap(
    lambda n: st.integers(2, 6).flatmap(
        lambda m: st.lists(
            st.lists(st.integers(1, 9), min_size=m, max_size=m), min_size=n, max_size=n
        )
    )
)


@given(matrix=matrices, data=st.data())
def test_kendall_w_bounds_invariance_and_friedman(matrix, data):
    arr = np.array(matrix)
    w = kendall_w(arr)
    if w is None:
        assert all(len(set(column)) == 1 for column in arr.T)
        return
    assert -1e-12 <= w <= 1 + 1e-12
    rows = data.draw(st.permutations(range(arr.shape[0])))
    cols = data.draw(st.permutations(range(arr.shape[1])))
    assert kendall_w(arr[rows][:, cols]) == pytest.approx(w)
    if arr.shape[0] < 3:
        return  # scipy's Friedman test needs 3 treatments
    chi2 = friedmanchisquare(*arr).statistic
    if math.isfinite(chi2):
        assert w == pytest.approx(chi2 / (arr.shape[1] * (arr.shape[0] - 1)))


# Ratings of up to 4 items x 6 panelists x 3 rounds, each (item, panelist, round) at most once.
studies = st.dictionaries(
    keys=st.tuples(
        st.sampled_from(["A", "B", "C", "D"]),
        st.sampled_from(["p1", "p2", "p3", "p4", "p5", "p6"]),
        st.integers(1, 3),
    ),
    values=st.integers(1, 9),
    min_size=1,
    max_size=72,
)


def _ratings(study: dict, order: list | None = None, rename: dict | None = None) -> Ratings:
    keys = list(study) if order is None else order
    rename = rename or {}
    return Ratings.from_columns(
        [k[0] for k in keys],
        [rename.get(k[1], k[1]) for k in keys],
        [k[2] for k in keys],
        [study[k] for k in keys],
    )


def _check_against_single_case(study: dict, rule: ConsensusRule) -> None:
    """compute_all agrees with item_stats / stability / kendall_w applied group by group."""
    report = compute_all(_ratings(study), RAND, rule)
    groups: dict[tuple[str, int], dict[str, int]] = {}
    for (item, panelist, rnd), score in study.items():
        groups.setdefault((item, rnd), {})[panelist] = score
    assert [(r.item, r.round) for r in report.items] == sorted(groups)
    for row in report.items:
        assert row.stats == item_stats(list(groups[row.item, row.round].values()), RAND, rule)
    expected_pairs = []
    for item in sorted({i for i, _ in groups}):
        rounds = sorted(r for i, r in groups if i == item)
        expected_pairs += [(item, a, b) for a, b in zip(rounds, rounds[1:], strict=False)]
    assert [(r.item, r.from_round, r.to_round) for r in report.stability] == expected_pairs
    for row in report.stability:
        ref = stability(groups[row.item, row.from_round], groups[row.item, row.to_round], RAND)
        assert row.stability.n_paired == ref.n_paired
        for name in ("unchanged", "weighted_kappa", "net_change"):
            got, want = getattr(row.stability, name), getattr(ref, name)
            assert (got is None) == (want is None)
            if got is not None:
                assert got == pytest.approx(want)
    assert [p.round for p in report.panel] == sorted({r for _, r in groups})
    for panel in report.panel:
        items = sorted(i for i, r in groups if r == panel.round)
        everyone = {p for i in items for p in groups[i, panel.round]}
        panelists = sorted(p for p in everyone if all(p in groups[i, panel.round] for i in items))
        assert panel.n_panelists == len(panelists)
        matrix = [[groups[i, panel.round][p] for p in panelists] for i in items]
        want = kendall_w(matrix) if panelists else None
        if want is None:
            assert panel.kendall_w is None
        else:
            assert panel.kendall_w == pytest.approx(want)


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=150)
@given(study=studies, data=st.data())
def test_compute_all_matches_single_case_functions(study, data):
    _check_against_single_case(study, data.draw(rules))


@pytest.mark.parametrize("seed", range(5))
def test_compute_all_sparse_keys_take_the_sorting_paths(seed):
    """Few ratings over many labels and far-apart rounds: the key spaces are too large for
    the O(n) presence tables, so compute_all falls back to np.unique / argsort."""
    rng = np.random.default_rng(seed)
    study = {}
    for _ in range(400):
        key = (
            f"item-{rng.integers(3000):04d}" if rng.random() < 0.5 else f"hot-{rng.integers(5)}",
            f"p-{rng.integers(2000):04d}" if rng.random() < 0.5 else f"core-{rng.integers(8)}",
            int(rng.choice([1, 2, 7, 10**6])),
        )
        study[key] = int(rng.integers(1, 10))
    _check_against_single_case(study, ConsensusRule())


def test_compute_all_rejects_duplicate_rating_on_the_sorting_path():
    items = [f"i{k}" for k in range(50)] + ["i0"]
    panelists = [f"p{k}" for k in range(50)] + ["p0"]
    ratings = Ratings.from_columns(items, panelists, [10**6] * 51, [5] * 51)
    with pytest.raises(RatingsError, match="'p0' rated item 'i0' more than once in round 1000000"):
        compute_all(ratings)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(study=studies, data=st.data())
def test_compute_all_invariant_under_row_order_and_panelist_names(study, data):
    base = compute_all(_ratings(study)).to_json_data()
    order = data.draw(st.permutations(list(study)))
    names = ["p1", "p2", "p3", "p4", "p5", "p6"]
    shuffled = data.draw(st.permutations(names))
    rename = {old: f"x-{new}" for old, new in zip(names, shuffled, strict=True)}
    other = compute_all(_ratings(study, order, rename)).to_json_data()
    assert other == base


@given(study=studies)
def test_compute_all_json_bounds(study):
    data = compute_all(_ratings(study)).to_json_data()
    for row in data["items"]:
        assert 1 <= row["q1"] <= row["median"] <= row["q3"] <= 9
        assert row["share_agree"] + row["share_neutral"] + row["share_disagree"] == pytest.approx(1)
    for row in data["stability"]:
        assert row["net_change"] is not None and 0 <= row["net_change"] <= 1 + 1e-12
        if row["n_paired"]:
            assert 0 <= row["unchanged"] <= 1
        if row["weighted_kappa"] is not None:
            assert -1 - 1e-12 <= row["weighted_kappa"] <= 1 + 1e-12
    for row in data["panel"]:
        if row["kendall_w"] is not None:
            assert -1e-12 <= row["kendall_w"] <= 1 + 1e-12


@given(scores=st.lists(st.integers(1, 9), min_size=1, max_size=40))
def test_item_stats_carry_the_histogram_of_their_scores(scores):
    """The one histogram: reports, results and ballot feedback read it from the statistics."""
    stats = item_stats(scores)
    assert stats.counts == tuple(scores.count(v) for v in range(1, 10))
    bars = stats.histogram(1)
    assert [(s, c) for s, c, _ in bars] == [(v, scores.count(v)) for v in range(1, 10)]
    assert max(length for *_, length in bars) == 100
    assert sum(stats.counts) == stats.n
