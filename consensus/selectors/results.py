"""A study's results: statistics per item and round, stability, Kendall's W, stop criteria met."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from consensus.models import (
    Decision,
    Item,
    ItemVersion,
    RoundItem,
    Study,
)
from consensus.rules import stop_reasons
from consensus.selectors.ratings import (
    RoundDisclosure,
    ratings_arrays,
    round_disclosure,
)
from consensus.stats import ConsensusReport, ItemStability, ItemStats, compute_all


@dataclass
class ItemResult:
    item: Item
    rounds: dict[int, ItemStats] = field(default_factory=dict)
    stability: dict[int, ItemStability] = field(default_factory=dict)  # keyed by to_round
    versions: dict[int, int] = field(default_factory=dict)  # round -> version number rated
    histograms: dict[int, list[tuple[int, int, float]]] = field(default_factory=dict)
    decision: Decision | None = None
    title: str = ""  # the item's current wording, shown next to its code

    @property
    def final(self) -> ItemStats | None:
        return self.rounds[max(self.rounds)] if self.rounds else None


@dataclass
class StudyResults:
    study: Study
    report: ConsensusReport
    items: list[ItemResult]
    round_numbers: list[int]
    stop_reasons: list[str]
    disclosure: RoundDisclosure

    @property
    def titles(self) -> dict[str, str]:
        """Item code → current wording, for the tables keyed by code."""
        return {result.item.code: result.title for result in self.items}


def study_results(study: Study) -> StudyResults:
    """Per item and round statistics, stability and Kendall's W, by the study's own rule.

    Only the rounds ``round_disclosure`` shows: closed, with at least k submitted ballots."""
    disclosure = round_disclosure(study)
    ratings = ratings_arrays(study, rounds=list(disclosure.shown))
    report = compute_all(ratings, study.scale, study.rule)
    items = list(Item.objects.filter(study=study).select_related("decision__decided_by"))
    by_code = {item.code: ItemResult(item=item) for item in items}
    for item in items:
        with contextlib.suppress(Decision.DoesNotExist):
            by_code[item.code].decision = item.decision
    # Current wordings in one query: the last version of each item wins.
    for code, text in (
        ItemVersion.objects.filter(item__study=study)
        .order_by("item_id", "number")
        .values_list("item__code", "text")
    ):
        by_code[code].title = text
    for row in report.items:
        by_code[row.item].rounds[row.round] = row.stats
        by_code[row.item].histograms[row.round] = row.stats.histogram(study.scale_min)
    for row in report.stability:
        by_code[row.item].stability[row.to_round] = row
    by_id = {result.item.pk: result for result in by_code.values()}
    for item_id, number, version in RoundItem.objects.filter(
        round__study=study, round__number__in=disclosure.shown
    ).values_list("item_id", "round__number", "version__number"):
        by_id[item_id].versions[number] = version
    round_numbers = list(study.rounds.order_by("number").values_list("number", flat=True))
    return StudyResults(
        study=study,
        report=report,
        items=list(by_code.values()),
        round_numbers=round_numbers,
        stop_reasons=_stop_reasons(study, report, round_numbers),
        disclosure=disclosure,
    )


def _stop_reasons(study: Study, report: ConsensusReport, round_numbers: list[int]) -> list[str]:
    """Which of the protocol's stop criteria the last closed round meets (rules.stop_reasons)."""
    closed = list(study.rounds.closed().order_by("number").values_list("number", flat=True))
    if not closed:
        return []
    last = closed[-1]
    return stop_reasons(
        last_round=last,
        max_rounds=study.max_rounds,
        classifications=[row.stats.classification for row in report.items if row.round == last],
        net_changes=[
            row.stability.net_change
            for row in report.stability
            if row.to_round == last and row.stability.net_change is not None
        ],
        stop_when_all_classified=study.stop_when_all_classified,
        stability_max_net_change=study.stability_max_net_change,
    )
