"""Consensus rules and RAND/UCLA classification (pure: numpy only, no Django).

A study fixes its rating scale and its consensus rule *before* a round opens (DESIGN.md §4);
this module holds those two value objects and the functions that turn per-item statistics
into a verdict. Each classifier has a vectorised form (``*_many``) used by
``consensus.stats.compute_all`` and a scalar form that calls it, so both always agree.

Sources
-------
- Fitch K, Bernstein SJ, Aguilar MD, et al. *The RAND/UCLA Appropriateness Method User's
  Manual*. RAND, MR-1269-DG-XII/RE, 2001, ch. 8 ("Classifying appropriateness"):
  appropriate = median 7-9 without disagreement; uncertain = median 4-6 or any median with
  disagreement; inappropriate = median 1-3 without disagreement.
- Disagreement "count" definitions by panel size, as tabulated from the manual in
  Sim I. et al., BMC Med Inform Decis Mak 2012;12:93, table 7 ("default definitions
  according to the developers of the RAND/UCLA Appropriateness Method").
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

CONSENSUS_AGREE = "consensus_agree"
CONSENSUS_DISAGREE = "consensus_disagree"
NO_CONSENSUS = "no_consensus"

APPROPRIATE = "appropriate"
UNCERTAIN = "uncertain"
INAPPROPRIATE = "inappropriate"

# A rating scale is a short ordinal scale; the bound keeps the per-group histograms that
# consensus.stats builds (groups x points) small whatever the number of ratings.
MAX_SCALE_POINTS = 101

# Fitch et al. 2001 (via Sim et al. 2012, table 7): a panel of this size "disagrees" when at
# least this many ratings fall in 1-3 AND at least this many in 7-9.
RAND_COUNT_RULE_TABLE: dict[range, int] = {
    range(8, 11): 3,
    range(11, 14): 4,
    range(14, 17): 5,
}

# Float tolerance for threshold comparisons: shares are count / n, the threshold a decimal
# typed by a person; 7/10 >= 0.70 must hold whatever the last bit of either side.
_EPS = 1e-9

_SCALE_RE = re.compile(r"^\s*(-?\d+)\s*-\s*(-?\d+)\s*$")


@dataclass(frozen=True)
class Scale:
    """An integer rating scale ``min..max`` (inclusive), by default RAND/UCLA's 1-9."""

    min: int = 1
    max: int = 9

    def __post_init__(self) -> None:
        if int(self.min) != self.min or int(self.max) != self.max:
            raise ValueError(f"scale bounds must be integers, got {self.min}-{self.max}")
        if self.min >= self.max:
            raise ValueError(f"scale {self.min}-{self.max}: the minimum must be below the maximum")
        if self.max - self.min + 1 > MAX_SCALE_POINTS:
            raise ValueError(
                f"scale {self.min}-{self.max} has {self.max - self.min + 1} points; "
                f"at most {MAX_SCALE_POINTS} are supported"
            )

    @classmethod
    def parse(cls, text: str) -> Scale:
        """Parse ``"MIN-MAX"`` (e.g. ``"1-9"``, ``"0-10"``)."""
        match = _SCALE_RE.match(text)
        if not match:
            raise ValueError(f"scale {text!r} is not of the form MIN-MAX, e.g. 1-9")
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def points(self) -> int:
        return self.max - self.min + 1

    @property
    def values(self) -> np.ndarray:
        return np.arange(self.min, self.max + 1, dtype=np.int64)

    @property
    def is_rand_ucla(self) -> bool:
        """The IPR/IPRAS machinery of Fitch et al. (2001) is defined on the 1-9 scale only."""
        return self.min == 1 and self.max == 9

    def __str__(self) -> str:
        return f"{self.min}-{self.max}"


@dataclass(frozen=True)
class ConsensusRule:
    """Consensus rule fixed before a round opens.

    ``consensus_agree`` when the share of scores >= ``agree_from`` reaches ``threshold`` (and,
    when ``median_min`` is set, the median is >= ``median_min``); ``consensus_disagree`` when
    the share of scores <= ``disagree_to`` reaches ``threshold``.
    """

    agree_from: float = 7
    disagree_to: float = 3
    threshold: float = 0.70
    median_min: float | None = None

    def __post_init__(self) -> None:
        for name in ("agree_from", "disagree_to", "threshold"):
            value = getattr(self, name)
            if not math.isfinite(value):
                raise ValueError(f"{name} must be a finite number, got {value!r}")
        if self.median_min is not None and not math.isfinite(self.median_min):
            raise ValueError(f"median_min must be a finite number, got {self.median_min!r}")
        if not 0 < self.threshold <= 1:
            raise ValueError(f"threshold must be in (0, 1], got {self.threshold}")
        if self.disagree_to >= self.agree_from:
            raise ValueError(
                f"disagree_to ({self.disagree_to}) must be below agree_from ({self.agree_from})"
            )

    def warnings_for(self, scale: Scale) -> list[str]:
        """Settings that are legal but make a verdict impossible on this scale."""
        found = []
        if self.agree_from > scale.max:
            found.append(
                f"agree_from {self.agree_from:g} is above the scale maximum {scale.max}: "
                "no score can count as agreement"
            )
        if self.disagree_to < scale.min:
            found.append(
                f"disagree_to {self.disagree_to:g} is below the scale minimum {scale.min}: "
                "no score can count as disagreement"
            )
        return found


class HasShares(Protocol):
    share_agree: float
    share_disagree: float
    median: float


def classify_many(
    share_agree: np.ndarray, share_disagree: np.ndarray, median: np.ndarray, rule: ConsensusRule
) -> np.ndarray:
    """Vectorised :func:`classify`; returns an object array of labels.

    When the threshold is 0.5 or less both shares can reach it at once: the panel is split
    and neither verdict is claimed (``no_consensus``), whatever the median condition.
    """
    share_agree = np.asarray(share_agree, dtype=float)
    share_disagree = np.asarray(share_disagree, dtype=float)
    median = np.asarray(median, dtype=float)
    agree = share_agree >= rule.threshold - _EPS
    disagree = share_disagree >= rule.threshold - _EPS
    split = agree & disagree
    if rule.median_min is not None:
        agree &= median >= rule.median_min - _EPS
    return np.select(
        [split, agree, disagree], [NO_CONSENSUS, CONSENSUS_AGREE, CONSENSUS_DISAGREE], NO_CONSENSUS
    ).astype(object)


def classify(stats: HasShares, rule: ConsensusRule) -> str:
    """``consensus_agree`` | ``consensus_disagree`` | ``no_consensus`` for one item and round."""
    return str(classify_many([stats.share_agree], [stats.share_disagree], [stats.median], rule)[0])


def rand_ucla_class_many(median: np.ndarray, disagreement: np.ndarray) -> np.ndarray:
    """Vectorised :func:`rand_ucla_class` (1-9 scale).

    Fitch et al. (2001, ch. 8) give integer bands (1-3, 4-6, 7-9). A median of an even panel
    can fall at 3.5 or 6.5; like the manual's co-authors' EPAGE programme (IUMSP Lausanne:
    "uncertain when the median is greater than 3 and less than 7, or in case of
    disagreement") we treat the boundaries as *uncertain*: appropriate needs median >= 7,
    inappropriate needs median <= 3.
    """
    median = np.asarray(median, dtype=float)
    disagreement = np.asarray(disagreement, dtype=bool)
    return np.select(
        [disagreement, median >= 7, median <= 3], [UNCERTAIN, APPROPRIATE, INAPPROPRIATE], UNCERTAIN
    ).astype(object)


def rand_ucla_class(median: float, disagreement: bool) -> str:
    """RAND/UCLA appropriateness class from the panel median and the disagreement verdict."""
    return str(rand_ucla_class_many([median], [disagreement])[0])


def rand_count_rule_threshold(n: int) -> int | None:
    """Ratings needed in *each* extreme tertile for disagreement; ``None`` outside 8-16.

    The manual tabulates only panels of 8-16 members; outside that range we return ``None``
    rather than extrapolate (large panels should use the IPRAS test, which the manual
    introduced precisely because it does not depend on panel size).
    """
    for sizes, needed in RAND_COUNT_RULE_TABLE.items():
        if n in sizes:
            return needed
    return None


def rand_ucla_count_rule_many(
    n: np.ndarray, low: np.ndarray, high: np.ndarray
) -> list[bool | None]:
    """Vectorised :func:`rand_ucla_count_rule` from counts in 1-3 (``low``) and 7-9 (``high``)."""
    n = np.asarray(n, dtype=np.int64)
    needed = np.zeros(n.shape, dtype=np.int64)
    for sizes, count in RAND_COUNT_RULE_TABLE.items():
        needed[(n >= sizes.start) & (n < sizes.stop)] = count
    verdict = (np.asarray(low) >= needed) & (np.asarray(high) >= needed)
    return [bool(v) if k else None for v, k in zip(verdict.tolist(), needed.tolist(), strict=True)]


def rand_ucla_count_rule(scores: np.ndarray) -> bool | None:
    """Classic RAND/UCLA disagreement on a 1-9 scale by panel size (Fitch et al. 2001).

    For a 9-member panel: at least 3 ratings in 1-3 and at least 3 in 7-9. ``None`` when the
    panel size is outside the manual's table (8-16).
    """
    scores = np.asarray(scores)
    return rand_ucla_count_rule_many(
        [scores.size], [np.count_nonzero(scores <= 3)], [np.count_nonzero(scores >= 7)]
    )[0]


def stop_reasons(
    *,
    last_round: int,
    max_rounds: int,
    classifications: Sequence[str],
    net_changes: Sequence[float],
    stop_when_all_classified: bool,
    stability_max_net_change: float | None,
) -> list[str]:
    """The protocol's stop criteria that the last closed round meets (codes), from that round's
    item classifications and net changes (Scheibe) since the round before:

    - "all_classified": every item reached consensus to keep or to drop (when the protocol
      stops on it);
    - "stable": no item's net change exceeds the protocol's limit;
    - "max_rounds": the last round allowed was held.
    """
    reasons = []
    if (
        stop_when_all_classified
        and classifications
        and all(c in (CONSENSUS_AGREE, CONSENSUS_DISAGREE) for c in classifications)
    ):
        reasons.append("all_classified")
    limit = stability_max_net_change
    if limit is not None and net_changes and max(net_changes) <= limit + 1e-9:
        reasons.append("stable")
    if last_round >= max_rounds:
        reasons.append("max_rounds")
    return reasons
