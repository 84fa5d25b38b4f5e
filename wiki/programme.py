"""The programme's reference content, read-only and public: the four phases and the ETU e-Santé
outline (from `fixtures/`, as the seed gives them), the AMI-CMA laureates and the university
posts of the IA_SaNSeS plan (from the database, where the seed loads them). No wiki page is read
here, so nothing goes through the visibility rule."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Sum

from wiki.models import AmiCmaAction, AmiCmaProject, PlanPost


@cache
def _fixture(name: str) -> dict | list:
    with (Path(settings.FIXTURES_DIR) / name).open(encoding="utf-8") as handle:
        return json.load(handle)


def programme_phases() -> list[dict]:
    """The four phases: number, name, months, summary, deliverable, and the month each starts
    and ends in, counted from the programme's start."""
    phases, start = [], 0
    for phase in _fixture("phases.json"):
        phases.append({**phase, "first_month": start + 1, "last_month": start + phase["months"]})
        start += phase["months"]
    return phases


def etu_outline() -> dict:
    """The ETU e-Santé outline: a title and its parts, each with its lessons."""
    return _fixture("etu_esante.json")


@dataclass(frozen=True)
class LaureatesView:
    actions: list[AmiCmaAction]  # each annotated with `project_count`
    projects: list[AmiCmaProject]
    selected: AmiCmaAction | None
    total: int


def ami_cma_laureates(action_number: int | None) -> LaureatesView:
    """The laureate projects, all or those covering one action (None: all). An unknown action
    number selects nothing and lists every project."""
    actions = list(AmiCmaAction.objects.annotate(project_count=Count("amicmaproject")))
    selected = next((a for a in actions if a.number == action_number), None)
    projects = AmiCmaProject.objects.for_display()
    return LaureatesView(
        actions=actions,
        projects=list(projects.with_action(selected.number if selected else None)),
        selected=selected,
        total=AmiCmaProject.objects.count(),
    )


def plan_posts() -> tuple[list[PlanPost], int]:
    """The university posts of the IA_SaNSeS plan, in the plan's order, and their total."""
    posts = PlanPost.objects.select_related("project", "institution").prefetch_related(
        "co_institutions"
    )
    return list(posts), PlanPost.objects.aggregate(total=Sum("ccu_posts"))["total"] or 0
