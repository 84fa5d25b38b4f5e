"""Time consensus.stats.compute_all against a plain-numpy computation of the same statistics.

500 items x 300 panelists x 3 rounds = 450 000 random ratings on the 1-9 scale. The baseline
knows the design is complete and dense, so it reshapes to a (item, round, panelist) cube and
uses ``np.percentile`` / ``rankdata`` along axes: the fastest straightforward numpy code, with
none of compute_all's generality (missing ratings, unequal groups, validation, dataclasses).

    .venv/bin/python benchmarks/bench_stats_pure.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from scipy.stats import rankdata

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from consensus.rules import ConsensusRule, Scale  # noqa: E402
from consensus.stats import Ratings, compute_all  # noqa: E402

N_ITEMS, N_PANELISTS, N_ROUNDS = 500, 300, 3


def make_ratings(seed: int = 0) -> Ratings:
    rng = np.random.default_rng(seed)
    item, rnd, panelist = np.meshgrid(
        np.arange(N_ITEMS), np.arange(1, N_ROUNDS + 1), np.arange(N_PANELISTS), indexing="ij"
    )
    size = item.size
    shuffle = rng.permutation(size)  # CSV rows come in no particular order
    return Ratings(
        item=item.reshape(-1)[shuffle],
        panelist=panelist.reshape(-1)[shuffle],
        round=rnd.reshape(-1)[shuffle],
        score=rng.integers(1, 10, size=size)[shuffle],
        item_labels=tuple(f"item-{i:04d}" for i in range(N_ITEMS)),
        panelist_labels=tuple(f"p-{p:04d}" for p in range(N_PANELISTS)),
    )


def baseline(r: Ratings) -> dict[str, np.ndarray]:
    """Same statistics with plain numpy on the dense cube (fastest straightforward code)."""
    cube = np.empty((N_ITEMS, N_ROUNDS, N_PANELISTS), dtype=np.int64)
    cube[r.item, r.round - 1, r.panelist] = r.score
    q1, p30, med, p70, q3 = np.percentile(cube, [25, 30, 50, 70, 75], axis=2)
    agree = (cube >= 7).mean(axis=2)
    disagree = (cube <= 3).mean(axis=2)
    out = {
        "median": med,
        "q1": q1,
        "q3": q3,
        "iqr": q3 - q1,
        "mean": cube.mean(axis=2),
        "share_agree": agree,
        "share_disagree": disagree,
        "share_neutral": 1 - agree - disagree,
    }
    ipr = p70 - p30
    ai = np.abs(5 - (p30 + p70) / 2)
    out["disagreement"] = ipr > 2.35 + 1.5 * ai
    out["classification"] = np.where(agree >= 0.7, 1, np.where(disagree >= 0.7, -1, 0))
    # stability r -> r+1 (everyone paired)
    x, y = cube[:, :-1, :].astype(float), cube[:, 1:, :].astype(float)
    n = N_PANELISTS
    out["unchanged"] = (x == y).mean(axis=2)
    expected = n * (x * x).sum(2) + n * (y * y).sum(2) - 2 * x.sum(2) * y.sum(2)
    out["kappa"] = 1 - n * ((x - y) ** 2).sum(2) / expected
    cats = np.arange(1, 10)
    dist = (cube[..., None] == cats).mean(axis=2)
    out["net_change"] = 0.5 * np.abs(dist[:, :-1] - dist[:, 1:]).sum(axis=2)
    # Kendall's W per round (items x panelists), tie-corrected
    w = []
    for k in range(N_ROUNDS):
        m = cube[:, k, :]
        ranks = rankdata(m, axis=0)
        rs = ranks.sum(axis=1)
        s = ((rs - N_PANELISTS * (N_ITEMS + 1) / 2) ** 2).sum()
        counts = (m[..., None] == cats).sum(axis=0)
        t = (counts**3 - counts).sum()
        w.append(12 * s / (N_PANELISTS**2 * (N_ITEMS**3 - N_ITEMS) - N_PANELISTS * t))
    out["w"] = np.array(w)
    return out


def best_of(fn, repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    ratings = make_ratings()
    scale, rule = Scale(1, 9), ConsensusRule()

    report = compute_all(ratings, scale, rule)
    base = baseline(ratings)
    got_median = np.array([row.stats.median for row in report.items]).reshape(N_ITEMS, N_ROUNDS)
    got_kappa = np.array([row.stability.weighted_kappa for row in report.stability])
    got_w = np.array([row.kendall_w for row in report.panel])
    assert np.allclose(got_median, base["median"])
    assert np.allclose(got_kappa, base["kappa"].reshape(-1))
    assert np.allclose(got_w, base["w"])

    t_all, all_times = best_of(lambda: compute_all(ratings, scale, rule), args.repeat)
    t_base, base_times = best_of(lambda: baseline(ratings), args.repeat)
    print(
        f"ratings: {len(ratings)} ({N_ITEMS} items x {N_PANELISTS} panelists x {N_ROUNDS} rounds)"
    )
    print(
        f"compute_all: best {t_all * 1e3:.1f} ms, "
        f"median {statistics.median(all_times) * 1e3:.1f} ms"
    )
    print(
        f"numpy baseline: best {t_base * 1e3:.1f} ms, "
        f"median {statistics.median(base_times) * 1e3:.1f} ms"
    )
    print(f"ratio (best): {t_all / t_base:.2f}x")


if __name__ == "__main__":
    main()
