"""Delphi consensus statistics (pure: numpy/scipy only, no Django import).

Everything is computed from integer scores on a small :class:`~consensus.rules.Scale`, so
``compute_all`` works on per-group histograms (groups x scale points) built with
``np.bincount``: order statistics, shares, means and Scheibe's net change come from the
histograms, the round-to-round pairing from one sort of an integer key. No Python loop runs
per rating or per item.

Formulas and sources
--------------------
- Percentiles (median, quartiles, P30, P70): linear interpolation between order statistics,
  Hyndman & Fan (1996) definition 7 (numpy's default ``"linear"``).
- RAND/UCLA (Fitch et al., *The RAND/UCLA Appropriateness Method User's Manual*, RAND 2001,
  ch. 8), 1-9 scale only: IPR = P70 - P30; IPRCP = (P30 + P70) / 2; AI = |5 - IPRCP|;
  IPRAS = 2.35 + 1.5 * AI; disagreement when IPR > IPRAS.
- Weighted kappa: Cohen J. "Weighted kappa", Psychol Bull 1968;70:213-220, with quadratic
  weights (i - j)^2 over every point of the scale.
- Net change: Scheibe M, Skutsch M, Schofer J. "Experiments in Delphi methodology", in
  Linstone & Turoff (eds.), *The Delphi Method*, 1975: half the sum of the absolute
  differences between the two rounds' relative frequencies ("net person-changes"), here a
  fraction in [0, 1], computed over *all* ratings of each round as Scheibe et al. do.
- Kendall's W: Kendall MG, Babington Smith B. "The problem of m rankings", Ann Math Stat
  1939;10:275-287, average ranks for ties and the tie correction
  W = 12 S / (m^2 (n^3 - n) - m sum(t^3 - t)).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import rankdata

from consensus.rules import (
    ConsensusRule,
    Scale,
    classify_many,
    rand_ucla_class_many,
    rand_ucla_count_rule_many,
)

# Percentiles reported per item and round, in percent (integers keep the index exact).
_PERCENTILES = (25, 30, 50, 70, 75)
# Strict inequality IPR > IPRAS, shielded from floating-point noise at exact equality.
_EPS = 1e-9


class RatingsError(ValueError):
    """Ratings that the statistics cannot be computed from (out of scale, duplicated...)."""


@dataclass(frozen=True, eq=False)  # array fields: compare with np.array_equal, not ==
class Ratings:
    """Ratings as parallel arrays; ``item`` and ``panelist`` index the label tuples.

    Labels are sorted, so ordering by code is ordering by label.
    """

    item: np.ndarray
    panelist: np.ndarray
    round: np.ndarray
    score: np.ndarray
    item_labels: tuple[str, ...]
    panelist_labels: tuple[str, ...]

    @classmethod
    def from_columns(
        cls,
        items: Sequence[str],
        panelists: Sequence[str],
        rounds: Sequence[int],
        scores: Sequence[int],
    ) -> Ratings:
        """Build from one value per rating (labels are factorised here)."""
        item_labels, item = np.unique(np.asarray(items, dtype=str), return_inverse=True)
        panelist_labels, panelist = np.unique(np.asarray(panelists, dtype=str), return_inverse=True)
        return cls(
            item=item.astype(np.int64),
            panelist=panelist.astype(np.int64),
            round=np.asarray(rounds, dtype=np.int64),
            score=np.asarray(scores, dtype=np.int64),
            item_labels=tuple(item_labels.tolist()),
            panelist_labels=tuple(panelist_labels.tolist()),
        )

    def __len__(self) -> int:
        return int(np.asarray(self.score).size)


@dataclass(frozen=True)
class ItemStats:
    """Statistics of one item in one round.

    RAND/UCLA fields (``p30`` .. ``rand_ucla``) are ``None`` on scales other than 1-9.
    ``disagreement`` is the IPRAS test; ``disagreement_count_rule`` the classic count rule
    (``None`` also when the panel size is outside the manual's 8-16 table).
    """

    n: int
    median: float
    q1: float
    q3: float
    iqr: float
    mean: float
    share_agree: float
    share_neutral: float
    share_disagree: float
    p30: float | None
    p70: float | None
    ipr: float | None
    iprcp: float | None
    ai: float | None
    ipras: float | None
    disagreement: bool | None
    disagreement_count_rule: bool | None
    classification: str
    rand_ucla: str | None
    # Ratings per point of the scale, lowest first: the histogram panelists and reports show.
    counts: tuple[int, ...] = ()

    def histogram(self, scale_min: int) -> list[tuple[int, int, float]]:
        """(score, count, bar length in % of the tallest bar) for every point of the scale."""
        top = max(self.counts, default=0) or 1
        return [(scale_min + j, c, 100 * c / top) for j, c in enumerate(self.counts)]


@dataclass(frozen=True)
class Stability:
    """Change of one item's ratings between two consecutive rounds it was rated in.

    ``unchanged`` and ``weighted_kappa`` use the panelists who rated both rounds (``None``
    when there are none); ``net_change`` uses all ratings of each round.
    """

    n_paired: int
    unchanged: float | None
    weighted_kappa: float | None
    net_change: float | None


@dataclass(frozen=True)
class ItemRoundStats:
    item: str
    round: int
    stats: ItemStats


@dataclass(frozen=True)
class ItemStability:
    item: str
    from_round: int
    to_round: int
    stability: Stability


@dataclass(frozen=True)
class PanelRound:
    """Kendall's W over the panelists who rated every item of the round."""

    round: int
    n_panelists: int
    kendall_w: float | None


@dataclass(frozen=True)
class ConsensusReport:
    items: list[ItemRoundStats]
    stability: list[ItemStability]
    panel: list[PanelRound]

    def to_json_data(self) -> dict[str, list[dict[str, Any]]]:
        """The ``consensus_stats`` JSON shape: exactly its keys, floats unrounded."""
        items = []
        for row in self.items:
            fields = dict(row.stats.__dict__)
            # Python API only, not in the CLI contract.
            del fields["disagreement_count_rule"], fields["counts"]
            items.append({"item": row.item, "round": row.round, **fields})
        stability = [
            {
                "item": row.item,
                "from_round": row.from_round,
                "to_round": row.to_round,
                **row.stability.__dict__,
            }
            for row in self.stability
        ]
        panel = [row.__dict__.copy() for row in self.panel]
        return {"items": items, "stability": stability, "panel": panel}


# --- vectorised cores -----------------------------------------------------------------------


def _factorize(keys: np.ndarray, space: int) -> tuple[np.ndarray, np.ndarray]:
    """(codes, sorted distinct keys) for non-negative integer keys below ``space``.

    O(n) with a presence table when the key space is small compared with the data (the
    usual dense Delphi design), a sort otherwise.
    """
    if space <= 4 * keys.size + 1024:
        present = np.bincount(keys, minlength=space) > 0
        lookup = np.cumsum(present) - 1
        return lookup[keys], np.flatnonzero(present)
    distinct, codes = np.unique(keys, return_inverse=True)
    return codes.reshape(-1), distinct


def _argsort_unique(keys: np.ndarray, space: int) -> tuple[np.ndarray, np.ndarray]:
    """(order sorting ``keys``, positions in that order of keys equal to their predecessor)."""
    order = None
    if space <= 4 * keys.size + 1024 and np.bincount(keys, minlength=space).max() <= 1:
        # Distinct keys in a small space: a counting sort (one scatter) beats an argsort.
        slot = np.full(space, -1, dtype=np.int64)
        slot[keys] = np.arange(keys.size)
        order = slot[slot >= 0]
    if order is None:
        order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    return order, np.flatnonzero(sorted_keys[1:] == sorted_keys[:-1]) + 1


def _order_statistic(cum: np.ndarray, j: np.ndarray, low: int) -> np.ndarray:
    """Value of the j-th (0-based) smallest score of each group, from cumulative counts."""
    return low + (cum <= j[:, None]).sum(axis=1)


def _percentile(cum: np.ndarray, n: np.ndarray, percent: int, low: int) -> np.ndarray:
    """Hyndman-Fan type 7 percentile per group; the index h = (n-1)p is kept exact."""
    h_num = (n - 1) * percent  # h = h_num / 100, in integers: 10 x 30% is exactly 3
    lo = h_num // 100
    frac = (h_num % 100) / 100.0
    hi = np.minimum(lo + 1, n - 1)
    x_lo = _order_statistic(cum, lo, low)
    x_hi = _order_statistic(cum, hi, low)
    return x_lo + frac * (x_hi - x_lo)


def _histogram_stats(hist: np.ndarray, scale: Scale, rule: ConsensusRule) -> dict[str, Any]:
    """Per-group statistics from a (groups x scale points) count matrix, as arrays/lists."""
    n = hist.sum(axis=1)
    cum = np.cumsum(hist, axis=1)
    values = scale.values
    p = {q: _percentile(cum, n, q, scale.min) for q in _PERCENTILES}
    n_agree = hist[:, values >= rule.agree_from].sum(axis=1)
    n_disagree = hist[:, values <= rule.disagree_to].sum(axis=1)
    out: dict[str, Any] = {
        "n": n,
        "median": p[50],
        "q1": p[25],
        "q3": p[75],
        "iqr": p[75] - p[25],
        "mean": hist @ values / n,
        "share_agree": n_agree / n,
        "share_neutral": (n - n_agree - n_disagree) / n,
        "share_disagree": n_disagree / n,
        "counts": [tuple(row) for row in hist.tolist()],
    }
    out["classification"] = classify_many(out["share_agree"], out["share_disagree"], p[50], rule)
    if scale.is_rand_ucla:
        ipr = p[70] - p[30]
        iprcp = (p[30] + p[70]) / 2
        ai = np.abs(5 - iprcp)
        ipras = 2.35 + 1.5 * ai
        disagreement = ipr > ipras + _EPS
        out |= {
            "p30": p[30],
            "p70": p[70],
            "ipr": ipr,
            "iprcp": iprcp,
            "ai": ai,
            "ipras": ipras,
            "disagreement": disagreement,
            "disagreement_count_rule": rand_ucla_count_rule_many(
                n, hist[:, :3].sum(axis=1), hist[:, 6:].sum(axis=1)
            ),
            "rand_ucla": rand_ucla_class_many(p[50], disagreement),
        }
    return out


_RAND_FIELDS = ("p30", "p70", "ipr", "iprcp", "ai", "ipras", "disagreement", "rand_ucla")
_FLOAT_FIELDS = ("median", "q1", "q3", "iqr", "mean", "share_agree", "share_neutral")
_FLOAT_FIELDS += ("share_disagree", "p30", "p70", "ipr", "iprcp", "ai", "ipras")


def _item_stats_rows(columns: dict[str, Any], size: int) -> list[ItemStats]:
    """Turn the array columns of ``_histogram_stats`` into ItemStats of Python scalars."""
    lists: dict[str, list[Any]] = {}
    for name in ItemStats.__dataclass_fields__:
        if name not in columns:
            lists[name] = [None] * size
            continue
        value = columns[name]
        value = value.tolist() if isinstance(value, np.ndarray) else list(value)
        if name in _FLOAT_FIELDS:
            value = [float(v) for v in value]
        elif name == "n":
            value = [int(v) for v in value]
        elif name == "disagreement":
            value = [bool(v) for v in value]
        lists[name] = value
    names = list(ItemStats.__dataclass_fields__)
    return [ItemStats(*row) for row in zip(*(lists[name] for name in names), strict=True)]


def _kappa_from_sums(
    n: np.ndarray, sx: np.ndarray, sy: np.ndarray, sxx: np.ndarray, syy: np.ndarray, sd2: np.ndarray
) -> list[float | None]:
    """Quadratic-weighted kappa from per-pair sums (Cohen 1968, algebraically reduced).

    With w_ij = (i - j)^2, sum(w O) = sd2 / n and sum(w E) = (n sxx + n syy - 2 sx sy) / n^2,
    so kappa = 1 - n sd2 / (n sxx + n syy - 2 sx sy). Scores are shifted to start at 0; the
    sums are exact integers in float64. Expected disagreement 0 means both rounds gave one
    and the same score to everyone: identical rounds, kappa 1.0 by convention.
    """
    expected = n * sxx + n * syy - 2 * sx * sy
    out: list[float | None] = []
    for n_i, e_i, d_i in zip(n.tolist(), expected.tolist(), sd2.tolist(), strict=True):
        if n_i == 0:
            out.append(None)
        elif e_i == 0:
            out.append(1.0 if d_i == 0 else None)
        else:
            out.append(1.0 - n_i * d_i / e_i)
    return out


def _net_change(hist_a: np.ndarray, hist_b: np.ndarray) -> np.ndarray:
    """Scheibe et al. (1975) net change between rows of two count matrices, in [0, 1]."""
    share_a = hist_a / hist_a.sum(axis=1, keepdims=True)
    share_b = hist_b / hist_b.sum(axis=1, keepdims=True)
    return 0.5 * np.abs(share_a - share_b).sum(axis=1)


# --- public single-case API -----------------------------------------------------------------


def _validated_scores(scores: Sequence[int] | np.ndarray, scale: Scale) -> np.ndarray:
    arr = np.asarray(scores)
    integral = np.issubdtype(arr.dtype, np.integer) or (
        np.all(np.isfinite(arr)) and np.all(arr == np.round(arr))
    )
    if arr.size and not integral:
        raise RatingsError("scores must be integers")
    arr = arr.astype(np.int64).reshape(-1)
    if arr.size and (arr.min() < scale.min or arr.max() > scale.max):
        raise RatingsError(f"scores must lie on the scale {scale}")
    return arr


def _histogram(scores: np.ndarray, scale: Scale) -> np.ndarray:
    return np.bincount(scores - scale.min, minlength=scale.points)[None, :]


def item_stats(
    scores: Sequence[int] | np.ndarray,
    scale: Scale | None = None,
    rule: ConsensusRule | None = None,
) -> ItemStats:
    """Statistics of one item in one round from its scores (any order)."""
    scale = scale or Scale()
    rule = rule or ConsensusRule()
    arr = _validated_scores(scores, scale)
    if arr.size == 0:
        raise RatingsError("an item needs at least one score")
    return _item_stats_rows(_histogram_stats(_histogram(arr, scale), scale, rule), 1)[0]


def quadratic_weighted_kappa(
    x: Sequence[int] | np.ndarray, y: Sequence[int] | np.ndarray, scale: Scale | None = None
) -> float | None:
    """Cohen's (1968) weighted kappa with quadratic weights, categories = every scale point.

    kappa_w = 1 - sum(w_ij p_ij) / sum(w_ij p_i. p_.j), w_ij = (i - j)^2. ``None`` when there
    is no pair; 1.0 when expected disagreement is 0 (both raters used one same score), which
    can only happen when the two series are identical.
    """
    scale = scale or Scale()
    xs, ys = _validated_scores(x, scale), _validated_scores(y, scale)
    if xs.size != ys.size:
        raise ValueError("x and y must have the same length")
    if xs.size == 0:
        return None
    k = scale.points
    observed = np.bincount((xs - scale.min) * k + (ys - scale.min), minlength=k * k)
    observed = observed.reshape(k, k) / xs.size
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    i, j = np.indices((k, k))
    weights = (i - j) ** 2
    expected_disagreement = float((weights * expected).sum())
    observed_disagreement = float((weights * observed).sum())
    if expected_disagreement == 0:
        return 1.0 if observed_disagreement == 0 else None
    return 1.0 - observed_disagreement / expected_disagreement


def net_change(
    prev_scores: Sequence[int] | np.ndarray,
    curr_scores: Sequence[int] | np.ndarray,
    scale: Scale | None = None,
) -> float | None:
    """Scheibe, Skutsch & Schofer (1975) net change between two rounds, as a fraction.

    Half the sum over the scale's points of |share in round r - share in round r+1|; all
    ratings of each round count, paired or not. ``None`` if a round has no rating.
    """
    scale = scale or Scale()
    a, b = _validated_scores(prev_scores, scale), _validated_scores(curr_scores, scale)
    if a.size == 0 or b.size == 0:
        return None
    return float(_net_change(_histogram(a, scale), _histogram(b, scale))[0])


def stability(
    prev: Mapping[str, int], curr: Mapping[str, int], scale: Scale | None = None
) -> Stability:
    """Stability of one item between two rounds, from ``{panelist: score}`` per round."""
    scale = scale or Scale()
    paired = sorted(prev.keys() & curr.keys())
    x = np.array([prev[p] for p in paired], dtype=np.int64)
    y = np.array([curr[p] for p in paired], dtype=np.int64)
    return Stability(
        n_paired=len(paired),
        unchanged=float(np.mean(x == y)) if paired else None,
        weighted_kappa=quadratic_weighted_kappa(x, y, scale),
        net_change=net_change(list(prev.values()), list(curr.values()), scale),
    )


def kendall_w(matrix: Sequence[Sequence[float]] | np.ndarray) -> float | None:
    """Kendall's W with tie correction for a rating matrix of n items x m panelists.

    Each panelist (column) ranks the items, ties taking their average rank; with R_j the
    rank sum of item j and t the sizes of each panelist's tie groups,
    W = 12 sum (R_j - m(n+1)/2)^2 / (m^2 (n^3 - n) - m sum(t^3 - t))
    (Kendall & Babington Smith 1939). ``None`` with fewer than 2 items or 2 panelists, or
    when every panelist gave all items the same score (no ranking to agree on).
    """
    data = np.asarray(matrix, dtype=float)
    if data.ndim != 2:
        raise ValueError("kendall_w expects a 2-D matrix (items x panelists)")
    if np.isnan(data).any():
        raise ValueError("kendall_w needs a complete matrix (no NaN)")
    n, m = data.shape
    if n < 2 or m < 2:
        return None
    ranks = rankdata(data, axis=0)
    rank_sums = ranks.sum(axis=1)
    s = float(((rank_sums - m * (n + 1) / 2) ** 2).sum())
    ties = 0.0
    for column in data.T:
        _, t = np.unique(column, return_counts=True)
        ties += float((t**3 - t).sum())
    denominator = m**2 * (n**3 - n) - m * ties
    if denominator <= 0:
        return None
    return 12 * s / denominator


# --- the whole study ------------------------------------------------------------------------


def compute_all(
    ratings: Ratings, scale: Scale | None = None, rule: ConsensusRule | None = None
) -> ConsensusReport:
    """Item statistics per (item, round), stability per consecutive rated rounds, W per round.

    Raises :class:`RatingsError` on a score off the scale, a round below 1 or a panelist
    rating the same item twice in a round.
    """
    scale = scale or Scale()
    rule = rule or ConsensusRule()
    item = np.asarray(ratings.item, dtype=np.int64).reshape(-1)
    panelist = np.asarray(ratings.panelist, dtype=np.int64).reshape(-1)
    rounds = np.asarray(ratings.round, dtype=np.int64).reshape(-1)
    score = np.asarray(ratings.score, dtype=np.int64).reshape(-1)
    size = score.size
    if not item.size == panelist.size == rounds.size == size:
        raise ValueError("ratings arrays must have the same length")
    if size == 0:
        return ConsensusReport(items=[], stability=[], panel=[])
    n_items, n_panelists = len(ratings.item_labels), len(ratings.panelist_labels)
    if item.min() < 0 or item.max() >= n_items or panelist.min() < 0:
        raise ValueError("item codes must index item_labels")
    if panelist.max() >= n_panelists:
        raise ValueError("panelist codes must index panelist_labels")
    if score.min() < scale.min or score.max() > scale.max:
        raise RatingsError(f"scores must lie on the scale {scale}")
    if rounds.min() < 1:
        raise RatingsError("rounds must be integers >= 1")

    k = scale.points
    s0 = score - scale.min
    round_idx, round_values = _factorize(rounds, int(rounds.max()) + 1)
    n_rounds = round_values.size

    # Groups = (item, round) pairs that have ratings, numbered in (item, round) order.
    group, group_keys = _factorize(item * n_rounds + round_idx, n_items * n_rounds)
    n_groups = group_keys.size
    group_item = group_keys // n_rounds
    group_round = group_keys % n_rounds
    hist = np.bincount(group * k + s0, minlength=n_groups * k).reshape(n_groups, k)

    columns = _histogram_stats(hist, scale, rule)
    labels = ratings.item_labels
    round_list = round_values.tolist()
    items = [
        ItemRoundStats(labels[i], round_list[r], stats)
        for i, r, stats in zip(
            group_item.tolist(),
            group_round.tolist(),
            _item_stats_rows(columns, n_groups),
            strict=True,
        )
    ]

    # Sorting by (item, panelist, round) puts a panelist's successive ratings of an item side
    # by side; groups are numbered in (item, round) order, so "the item's next rated round"
    # is simply group + 1.
    key = (item * n_panelists + panelist) * n_rounds + round_idx
    order, duplicates = _argsort_unique(key, n_items * n_panelists * n_rounds)
    if duplicates.size:
        first = order[duplicates[0]]
        raise RatingsError(
            f"panelist {ratings.panelist_labels[panelist[first]]!r} rated item "
            f"{labels[item[first]]!r} more than once in round {round_list[round_idx[first]]}"
        )
    stability_rows = _stability_rows(key // n_rounds, order, s0, group, group_item, hist)
    item_stability = [
        ItemStability(
            labels[group_item[g]], round_list[group_round[g]], round_list[group_round[g + 1]], st
        )
        for g, st in stability_rows
    ]

    panel = _panel_rows(panelist, round_idx, s0, group, group_round, k, n_panelists, n_rounds)
    panel_rounds = [PanelRound(round_list[r], m, w) for r, (m, w) in enumerate(panel)]
    return ConsensusReport(items=items, stability=item_stability, panel=panel_rounds)


def _stability_rows(
    item_panelist: np.ndarray,
    order: np.ndarray,
    s0: np.ndarray,
    group: np.ndarray,
    group_item: np.ndarray,
    hist: np.ndarray,
) -> list[tuple[int, Stability]]:
    """(from-group, Stability) for every pair of consecutive groups of the same item.

    ``order`` sorts the ratings by (item, panelist, round); two neighbours in that order are a
    pair when they share (item, panelist) and the second is in the item's next rated round.
    """
    n_groups = hist.shape[0]
    a, b = order[:-1], order[1:]
    linked = (item_panelist[b] == item_panelist[a]) & (group[b] == group[a] + 1)
    a, b = a[linked], b[linked]
    x, y = s0[a].astype(float), s0[b].astype(float)
    t = group[a]

    def total(weights: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(t, weights=weights, minlength=n_groups)

    n_paired = np.bincount(t, minlength=n_groups)
    unchanged = total((x == y).astype(float))
    kappa_sums = (total(x), total(y), total(x * x), total(y * y), total((x - y) ** 2))

    transitions = np.flatnonzero(group_item[:-1] == group_item[1:])
    if transitions.size == 0:
        return []
    nets = _net_change(hist[transitions], hist[transitions + 1]).tolist()
    n_tr = n_paired[transitions]
    kappas = _kappa_from_sums(n_tr, *(s[transitions] for s in kappa_sums))
    shares = np.divide(unchanged[transitions], n_tr, out=np.zeros(transitions.size), where=n_tr > 0)
    rows = []
    for g, n_p, share, kappa, net in zip(
        transitions.tolist(), n_tr.tolist(), shares.tolist(), kappas, nets, strict=True
    ):
        rows.append((g, Stability(int(n_p), float(share) if n_p else None, kappa, float(net))))
    return rows


def _panel_rows(
    panelist: np.ndarray,
    round_idx: np.ndarray,
    s0: np.ndarray,
    group: np.ndarray,
    group_round: np.ndarray,
    k: int,
    n_panelists: int,
    n_rounds: int,
) -> list[tuple[int, float | None]]:
    """(n complete panelists, Kendall's W) per round index, tie-corrected, vectorised.

    A panelist counts in a round only if they rated every item of that round, so the rating
    matrix is complete. Average ranks come from each panelist's score histogram: a score v
    ranks (number of their scores below v) + (number equal to v + 1) / 2.
    """
    items_in_round = np.bincount(group_round, minlength=n_rounds)
    rp, rp_keys = _factorize(round_idx * n_panelists + panelist, n_rounds * n_panelists)
    rp_round = rp_keys // n_panelists
    complete = np.bincount(rp) == items_in_round[rp_round]
    m = np.bincount(rp_round[complete], minlength=n_rounds)

    selected = complete[rp]
    compact = (np.cumsum(complete) - 1)[rp[selected]]
    scores = s0[selected]
    counts = np.bincount(compact * k + scores, minlength=int(complete.sum()) * k)
    counts = counts.reshape(-1, k)
    below = np.cumsum(counts, axis=1) - counts
    ranks = below[compact, scores] + (counts[compact, scores] + 1) / 2
    rank_sums = np.bincount(group[selected], weights=ranks, minlength=group_round.size)

    n = items_in_round[group_round]
    m_g = m[group_round]
    s = np.bincount(group_round, weights=(rank_sums - m_g * (n + 1) / 2) ** 2, minlength=n_rounds)
    ties = np.bincount(
        rp_round[complete], weights=(counts**3 - counts).sum(axis=1), minlength=n_rounds
    )
    out: list[tuple[int, float | None]] = []
    for m_r, n_r, s_r, t_r in zip(
        m.tolist(), items_in_round.tolist(), s.tolist(), ties.tolist(), strict=True
    ):
        denominator = m_r**2 * (n_r**3 - n_r) - m_r * t_r
        w = 12 * s_r / denominator if m_r >= 2 and n_r >= 2 and denominator > 0 else None
        out.append((int(m_r), w))
    return out
