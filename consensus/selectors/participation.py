"""Participation per round and panel composition, categories of fewer than k pooled."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from consensus.models import (
    Ballot,
    Panelist,
    Round,
    Study,
)


@dataclass
class CategoryRate:
    category: str
    label: str
    invited: int
    submitted: int

    @property
    def rate(self) -> float:
        return self.submitted / self.invited if self.invited else 0.0


@dataclass
class RoundParticipation:
    round: Round
    invited: int
    submitted: int
    started: int
    by_category: list[CategoryRate]
    pending: list[str]  # names of who has not submitted yet (for a reminder)
    # Attrition: submitted the previous round, not this one. None while this round is open
    # (nobody is lost yet: they may still answer) and for round 1.
    lost_since_previous: int | None

    @property
    def rate(self) -> float:
        return self.submitted / self.invited if self.invited else 0.0


POOLED_CATEGORY = "pooled"


def _categories_pooled(rows: list[CategoryRate], k: int) -> list[CategoryRate]:
    """Categories of fewer than k panelists are shown together: a category of one member
    would otherwise describe that person."""
    small = [row for row in rows if row.invited < k]
    if not small:
        return rows
    pooled = CategoryRate(
        POOLED_CATEGORY,
        _("Other categories (fewer than %(k)d panelists each)") % {"k": k},
        sum(row.invited for row in small),
        sum(row.submitted for row in small),
    )
    return [row for row in rows if row.invited >= k] + [pooled]


def study_participation(study: Study) -> list[RoundParticipation]:
    """Response rate per round and panelist category, pending panelists, attrition."""
    panelists = list(Panelist.objects.filter(study=study).select_related("user"))
    ballots = defaultdict(dict)
    for round_id, panelist_id, submitted in Ballot.objects.filter(round__study=study).values_list(
        "round_id", "panelist_id", "submitted_at"
    ):
        ballots[round_id][panelist_id] = submitted is not None
    labels = dict(Panelist.Category.choices)
    result = []
    previous_submitted: set[int] | None = None
    for delphi_round in study.rounds.order_by("number"):
        state = ballots.get(delphi_round.pk, {})
        submitted = {pid for pid, done in state.items() if done}
        invited_by_cat = Counter(p.category for p in panelists)
        submitted_by_cat = Counter(p.category for p in panelists if p.pk in submitted)
        by_category = _categories_pooled(
            [
                CategoryRate(
                    category,
                    str(labels[category]),
                    invited_by_cat[category],
                    submitted_by_cat[category],
                )
                for category in Panelist.Category.values
                if invited_by_cat[category]
            ],
            study.min_ballots,
        )
        pending = sorted(
            (p.user.get_full_name() or p.user.get_username())
            for p in panelists
            if p.pk not in submitted
        )
        result.append(
            RoundParticipation(
                round=delphi_round,
                invited=len(panelists),
                submitted=len(submitted),
                started=len(state),
                by_category=by_category,
                pending=pending,
                lost_since_previous=(
                    len(previous_submitted - submitted)
                    if previous_submitted is not None and not delphi_round.is_open
                    else None
                ),
            )
        )
        previous_submitted = submitted
    return result


def panel_composition(study: Study) -> list[tuple[str, int]]:
    """Panelists invited per category; categories of fewer than k are pooled."""
    labels = dict(Panelist.Category.choices)
    counts = dict(
        Panelist.objects.filter(study=study)
        .values_list("category")
        .annotate(n=Count("id"))
        .order_by("category")
    )
    rows = [
        CategoryRate(category, str(labels[category]), counts[category], 0)
        for category in Panelist.Category.values
        if counts.get(category)
    ]
    return [(row.label, row.invited) for row in _categories_pooled(rows, study.min_ballots)]


def rounds_flow(study: Study) -> list[dict]:
    """Participants per round with denominators (CREDES/ACCORD flow)."""
    return [
        {
            "number": p.round.number,
            "invited": p.invited,
            "started": p.started,
            "submitted": p.submitted,
            "rate": p.rate,
            "lost": p.lost_since_previous,
        }
        for p in study_participation(study)
    ]
