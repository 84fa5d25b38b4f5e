"""A panelist's ballot: its lines, progress, scale bands and the previous round's feedback."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from consensus.models import (
    Ballot,
    Panelist,
    Rating,
    Round,
    RoundItem,
    Study,
)
from consensus.selectors.ratings import (
    RoundDisclosure,
    ratings_arrays,
    round_disclosure,
    submitted_only,
)
from consensus.stats import compute_all


@dataclass
class Feedback:
    """What a panelist sees of the previous round for one item (never who rated what)."""

    round_number: int
    bars: list[tuple[int, int, float]]  # (score, count, bar length %) for every scale point
    n: int
    median: float | None
    own_score: int | None
    comments: list[str]

    @property
    def histogram(self) -> list[tuple[int, int]]:
        return [(score, count) for score, count, _length in self.bars]


@dataclass
class BallotLine:
    round_item: RoundItem
    score: int | None
    comment: str
    feedback: Feedback | None

    @property
    def title(self) -> str:
        """What a panelist reads for the item: its wording, never the internal code."""
        return self.round_item.version.text


@dataclass(frozen=True)
class BallotProgress:
    rated: int
    total: int
    unrated: list[BallotLine]

    @property
    def complete(self) -> bool:
        return self.rated == self.total


def ballot_progress(lines: list[BallotLine]) -> BallotProgress:
    """How many items of the ballot carry a score, and which do not (in ballot order)."""
    unrated = [line for line in lines if line.score is None]
    return BallotProgress(rated=len(lines) - len(unrated), total=len(lines), unrated=unrated)


@dataclass(frozen=True)
class ScaleBand:
    """A stretch of the scale with its wording (RAND/UCLA: 1–3, 4–6, 7–9)."""

    key: str
    label: str
    values: list[int]


def scale_bands(study: Study) -> list[ScaleBand]:
    """The study's scale cut by its own rule: disagreement up to ``disagree_to``, agreement
    from ``agree_from``, uncertain in between (the wording shown next to the radio buttons)."""
    low = [v for v in study.scale_values if v <= study.disagree_to]
    high = [v for v in study.scale_values if v >= study.agree_from]
    middle = [v for v in study.scale_values if study.disagree_to < v < study.agree_from]
    bands = [
        ScaleBand("disagree", _("Disagree (inappropriate)"), low),
        ScaleBand("uncertain", _("Uncertain"), middle),
        ScaleBand("agree", _("Agree (appropriate)"), high),
    ]
    return [band for band in bands if band.values]


def ballot_for_panelist(
    panelist: Panelist, delphi_round: Round
) -> tuple[Ballot | None, list[BallotLine]]:
    round_items = list(
        RoundItem.objects.filter(round=delphi_round).select_related("item", "version")
    )
    own = {
        r.round_item_id: r
        for r in Rating.objects.filter(panelist=panelist, round_item__round=delphi_round)
    }
    ballot = Ballot.objects.filter(round=delphi_round, panelist=panelist).first()
    feedback = _previous_round_feedback(panelist, delphi_round)
    lines = [
        BallotLine(
            round_item=ri,
            score=own[ri.pk].score if ri.pk in own else None,
            comment=own[ri.pk].comment if ri.pk in own else "",
            feedback=feedback.get(ri.item_id),
        )
        for ri in round_items
    ]
    return ballot, lines


def _previous_round_feedback(panelist: Panelist, delphi_round: Round) -> dict[int, Feedback]:
    study = delphi_round.study
    previous = study.rounds.filter(number=delphi_round.number - 1).first()
    if previous is None or not round_disclosure(study).is_shown(previous.number):
        return {}
    report = compute_all(ratings_arrays(study, rounds=[previous.number]), study.scale, study.rule)
    medians = {row.item: row.stats for row in report.items}
    rows = submitted_only(Rating.objects.filter(round_item__round=previous)).values_list(
        "round_item__item_id", "round_item__item__code", "panelist_id", "score", "comment"
    )
    comments: dict[int, list[str]] = defaultdict(list)
    own: dict[int, int] = {}
    codes: dict[int, str] = {}
    for item_id, code, panelist_id, score, comment in rows:
        codes[item_id] = code
        if comment:
            comments[item_id].append(comment)
        if panelist_id == panelist.pk:
            own[item_id] = score
    result = {}
    for item_id, code in codes.items():
        stats = medians[code]
        result[item_id] = Feedback(
            round_number=previous.number,
            bars=stats.histogram(study.scale_min),
            n=stats.n,
            median=stats.median,
            own_score=own.get(item_id),
            # Sorted text: neither the author nor the order of submission shows through.
            comments=sorted(comments[item_id]),
        )
    return result


def previous_round_withheld(delphi_round: Round) -> RoundDisclosure | None:
    """The disclosure when the previous round exists but holds fewer than k ballots (its
    feedback is then not shown to the panel), else None."""
    study = delphi_round.study
    if delphi_round.number < 2:
        return None
    disclosure = round_disclosure(study)
    if any(number == delphi_round.number - 1 for number, _n in disclosure.withheld):
        return disclosure
    return None


def open_round_for_panelist(user) -> list[tuple[Round, Panelist, Ballot | None]]:
    """Open rounds of the studies where the user sits on the panel."""
    if not user.is_authenticated:
        return []
    result = []
    for panelist in Panelist.objects.filter(user=user).select_related("study"):
        delphi_round = panelist.study.rounds.open().first()
        if delphi_round is not None:
            ballot = Ballot.objects.filter(round=delphi_round, panelist=panelist).first()
            result.append((delphi_round, panelist, ballot))
    return result
