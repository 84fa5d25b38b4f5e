"""The national dashboard (`/tableau-de-bord/`): where each référentiel stands against the plan.

Read-only. Everything shown goes through the visibility rule (``wiki.visibility``): a reader
sees the référentiels (and counts the competencies) they may see, the public only what is
published. The plan comes from one source, ``fixtures/phases.json`` (names and months, read by
``wiki.programme.programme_phases``), counted from ``settings.PROGRAMME_START``. The committee's
agenda (votes due, gates blocked) is added for those the lifecycle waits on.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState, WorkflowState

from consensus import permissions
from consensus.models import CommitteeSeat, LifecycleVote, PhaseGateTask, Study, VoteTask
from consensus.rules import CONSENSUS_AGREE, CONSENSUS_DISAGREE
from consensus.selectors import study_results
from consensus.services.lifecycle import GateReport, gate_report, lifecycle_state
from wiki import visibility
from wiki.models import CompetencyPage, Edition, ReferentielPage
from wiki.programme import programme_phases

# --- The plan -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedPhase:
    number: int
    name: str
    months: int
    first_month: int  # counted from 1 at the programme's start
    starts: date
    ends: date  # the last day of the phase

    def contains(self, day: date) -> bool:
        return self.starts <= day <= self.ends


def programme_plan(start: date | None = None) -> list[PlannedPhase]:
    """The four phases with their dates: each lasts its months (fixtures/phases.json) after
    the previous one, from ``settings.PROGRAMME_START``."""
    start = start or settings.PROGRAMME_START
    plan = []
    for phase in programme_phases():
        starts = start + relativedelta(months=phase["first_month"] - 1)
        ends = start + relativedelta(months=phase["last_month"]) - timedelta(days=1)
        plan.append(
            PlannedPhase(
                number=phase["number"],
                name=phase["name"],
                months=phase["months"],
                first_month=phase["first_month"],
                starts=starts,
                ends=ends,
            )
        )
    return plan


# --- Editions (to switch) -----------------------------------------------------------------


def published_versions(referentiels: list[ReferentielPage]) -> dict[int, str]:
    """The latest published edition's version of each référentiel that has one (one query;
    the snapshots are not loaded). « Published » means an immutable edition exists."""
    latest: dict[int, str] = {}
    rows = (
        Edition.objects.filter(referentiel__in=referentiels)
        .order_by("major", "minor")
        .values_list("referentiel_id", "major", "minor")
    )
    for referentiel_id, major, minor in rows:
        latest[referentiel_id] = f"{major}.{minor}"
    return latest


# --- Progress of each référentiel ---------------------------------------------------------


@dataclass
class ReferentielProgress:
    referentiel: ReferentielPage
    phase: int
    status_label: str
    published: bool
    version: str  # the latest published edition's version, "" if none
    planned: PlannedPhase
    late: bool
    phase_since: date | None = None
    drafted: int = 0  # competency pages the reader sees, not withdrawn
    rated: int = 0  # items rated in a Delphi round whose results may be shown
    consensus: int = 0  # of those, classified by consensus (to keep or to drop)
    decided: int = 0  # items with a committee decision
    lifecycle_url: str = ""  # "" unless the reader may open the lifecycle page


def _competency_counts(referentiels: list[ReferentielPage], reader) -> dict[int, int]:
    """Competency pages (not withdrawn) the reader sees under each référentiel, in one query."""
    if not referentiels:
        return {}
    by_path = {r.path: r.pk for r in referentiels}
    under = Q()
    for path in by_path:
        under |= Q(path__startswith=path)
    pages = visibility.visible_pages(CompetencyPage.objects.filter(withdrawn=False), reader)
    counts: dict[int, int] = defaultdict(int)
    for path in pages.filter(under).values_list("path", flat=True):
        for ref_path, pk in by_path.items():
            if path.startswith(ref_path):
                counts[pk] += 1
    return counts


def _delphi_counts(referentiel_ids: list[int]) -> dict[int, tuple[int, int, int]]:
    """(rated, with consensus, decided) per référentiel, item codes counted once (a later
    study's result wins). Only rounds the study may show are counted (its disclosure rule)."""
    per_ref: dict[int, dict[str, tuple[bool, bool, bool]]] = defaultdict(dict)
    studies = Study.objects.filter(referentiel_id__in=referentiel_ids).order_by("created_at", "pk")
    for study in studies:
        for result in study_results(study).items:
            final = result.final
            per_ref[study.referentiel_id][result.item.code] = (
                final is not None,
                final is not None and final.classification in (CONSENSUS_AGREE, CONSENSUS_DISAGREE),
                result.decision is not None,
            )
    return {
        pk: tuple(sum(flags[i] for flags in codes.values()) for i in range(3))
        for pk, codes in per_ref.items()
    }


def _phase_since(state: WorkflowState | None, phase: int) -> date | None:
    if state is None:
        return None
    started = [
        ts.started_at
        for ts in state.task_states.select_related("task")
        if getattr(ts.task.specific, "phase", None) == phase
        and ts.status != TaskState.STATUS_SKIPPED
    ]
    moment = min(started) if started else state.created_at
    return timezone.localdate(moment)


def referentiels_progress(
    reader, *, user=None, today: date | None = None, plan: list[PlannedPhase] | None = None
) -> list[ReferentielProgress]:
    """Each référentiel the reader may see, with its phase, its progress and whether its
    current phase runs later than planned (« En retard »)."""
    today = today or timezone.localdate()
    plan = plan or programme_plan()
    by_number = {p.number: p for p in plan}
    referentiels = list(
        visibility.visible_pages(ReferentielPage.objects.all(), reader)
        .select_related("college")
        .order_by("phase", "title")
    )
    competencies = _competency_counts(referentiels, reader)
    delphi = _delphi_counts([r.pk for r in referentiels])
    versions = published_versions(referentiels)
    rows = []
    for referentiel in referentiels:
        version = versions.get(referentiel.pk, "")
        published = bool(version)
        planned = by_number.get(referentiel.phase, plan[-1])
        rated, consensus, decided = delphi.get(referentiel.pk, (0, 0, 0))
        rows.append(
            ReferentielProgress(
                referentiel=referentiel,
                phase=referentiel.phase,
                status_label=str(referentiel.get_status_display()),
                published=published,
                version=version,
                planned=planned,
                late=not published and today > planned.ends,
                phase_since=_phase_since(lifecycle_state(referentiel), referentiel.phase),
                drafted=competencies.get(referentiel.pk, 0),
                rated=rated,
                consensus=consensus,
                decided=decided,
                lifecycle_url=(
                    reverse("consensus:lifecycle", args=[referentiel.pk])
                    if user is not None and permissions.can_view_lifecycle(user, referentiel)
                    else ""
                ),
            )
        )
    return rows


# --- The timeline chart (SVG geometry; the table beside it is the accessible alternative) --

CHART_WIDTH = 760
LABEL_WIDTH = 250
ROW_HEIGHT = 28
HEADER_HEIGHT = 48


@dataclass(frozen=True)
class ChartBar:
    x: int
    y: int
    width: int
    label: str
    css: str
    text_x: int = 0
    text_y: int = 0


@dataclass
class TimelineChart:
    width: int
    height: int
    bars_top: int
    phases: list[ChartBar] = field(default_factory=list)
    rows: list[ChartBar] = field(default_factory=list)
    years: list[ChartBar] = field(default_factory=list)
    today_x: int | None = None


def timeline_chart(
    plan: list[PlannedPhase], rows: list[ReferentielProgress], today: date
) -> TimelineChart:
    """A Gantt of the plan (one band per phase) and, per référentiel, the planned window of its
    current phase; the line of today. Integers only: SVG numbers are never localised."""
    start, end = plan[0].starts, plan[-1].ends + timedelta(days=1)
    span = (end - start).days
    inner = CHART_WIDTH - LABEL_WIDTH - 10

    def x(day: date) -> int:
        return LABEL_WIDTH + round(inner * (day - start).days / span)

    chart = TimelineChart(
        width=CHART_WIDTH,
        height=HEADER_HEIGHT + ROW_HEIGHT * (len(rows) + 1) + 8,
        bars_top=HEADER_HEIGHT,
    )
    year = date(start.year + (0 if (start.month, start.day) == (1, 1) else 1), 1, 1)
    while year < end:
        chart.years.append(
            ChartBar(x=x(year), y=14, width=0, label=str(year.year), css="", text_x=x(year) + 3)
        )
        year = date(year.year + 1, 1, 1)
    for phase in plan:
        left, right = x(phase.starts), x(phase.ends + timedelta(days=1))
        chart.phases.append(
            ChartBar(
                x=left,
                y=22,
                width=right - left,
                label=f"{phase.number}",
                css=f"timeline__phase timeline__phase--{phase.number}",
                text_x=left + (right - left) // 2,
                text_y=40,
            )
        )
    for index, row in enumerate(rows):
        top = HEADER_HEIGHT + ROW_HEIGHT * index + 6
        left, right = x(row.planned.starts), x(row.planned.ends + timedelta(days=1))
        css = "timeline__bar"
        if row.published:
            css += " timeline__bar--published"
        elif row.late:
            css += " timeline__bar--late"
        chart.rows.append(
            ChartBar(
                x=left,
                y=top,
                width=right - left,
                label=row.referentiel.title,
                css=css,
                text_x=6,
                text_y=top + 15,
            )
        )
    if start <= today <= end:
        chart.today_x = x(today)
    return chart


# --- What waits on the committee ----------------------------------------------------------


@dataclass(frozen=True)
class VoteDue:
    referentiel: ReferentielPage
    task: VoteTask
    seat: CommitteeSeat
    url: str


@dataclass(frozen=True)
class GateHeld:
    referentiel: ReferentielPage
    task: PhaseGateTask
    report: GateReport
    url: str


@dataclass
class CommitteeAgenda:
    votes_due: list[VoteDue] = field(default_factory=list)
    gates_blocked: list[GateHeld] = field(default_factory=list)
    gates_ready: list[GateHeld] = field(default_factory=list)  # conditions hold: move on?


def committee_agenda(user, referentiels: list[ReferentielPage]) -> CommitteeAgenda | None:
    """For the committee and the seats of the voting bodies: the open votes where the user's
    seat has not voted yet, and (for those who move phases) the gates whose conditions do not
    hold, with the French reasons of ``gate_report``, and those ready to be passed. None for
    everyone else."""
    seats = {seat.body: seat for seat in CommitteeSeat.objects.held_by(user)}
    moves = permissions.can_move_phase(user)
    if not seats and not moves:
        return None
    agenda = CommitteeAgenda()
    for referentiel in referentiels:
        state = lifecycle_state(referentiel)
        if state is None or state.status != WorkflowState.STATUS_IN_PROGRESS:
            continue
        current = state.current_task_state
        if current is None or current.status != TaskState.STATUS_IN_PROGRESS:
            continue
        task = current.task.specific
        url = reverse("consensus:lifecycle", args=[referentiel.pk])
        if isinstance(task, VoteTask) and task.body in seats:
            seat = seats[task.body]
            if not LifecycleVote.objects.filter(task_state=current, seat=seat).exists():
                agenda.votes_due.append(VoteDue(referentiel, task, seat, url + "#vote"))
        elif isinstance(task, PhaseGateTask) and moves:
            report = gate_report(referentiel, task)
            held = GateHeld(referentiel, task, report, url)
            (agenda.gates_ready if report.passes else agenda.gates_blocked).append(held)
    return agenda
