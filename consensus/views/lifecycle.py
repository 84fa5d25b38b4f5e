"""The lifecycle page of a référentiel: where it stands, what blocks its gate, the votes.

Thin: each POST calls one service; refusals come back as French messages, nothing stored."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import TaskState

from consensus import permissions
from consensus.exceptions import ConsensusError
from consensus.forms import LifecycleVoteForm, ReferentForm
from consensus.models import LifecycleVote, PhaseGateTask, VoteTask
from consensus.services import lifecycle, voted
from wiki.services.editions import edition_latest
from wiki.visibility import request_reader


def _referentiel(request: HttpRequest, pk: int):
    from wiki.models import ReferentielPage

    referentiel = get_object_or_404(ReferentielPage, pk=pk)
    if not permissions.can_view_lifecycle(request.user, referentiel):
        raise PermissionDenied
    return referentiel


def _steps(state) -> list[dict]:
    if state is None:
        return []
    latest = {}
    for task_state in state.task_states.select_related("task").order_by("started_at", "pk"):
        latest[task_state.task_id] = task_state
    return [
        {"task": wt.task.specific, "state": latest.get(wt.task_id)}
        for wt in state.workflow.workflow_tasks.select_related("task")
    ]


@login_required
def lifecycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referentiel = _referentiel(request, pk)
    state = lifecycle.lifecycle_state(referentiel)
    current = state.current_task_state if state else None
    task = current.task.specific if current else None
    context = {
        "referentiel": referentiel,
        "state": state,
        "steps": _steps(state),
        "task": task,
        "task_state": current,
        "gate": None,
        "votes": [],
        "vote_form": None,
        "referent": lifecycle.referent_valid(referentiel),
        "can_move": permissions.can_move_phase(request.user),
        "can_resume": state is not None
        and state.status == state.STATUS_NEEDS_CHANGES
        and (
            permissions.can_move_phase(request.user)
            or permissions.can_edit_referentiel(request.user, referentiel)
        ),
    }
    if isinstance(task, PhaseGateTask):
        context["gate"] = lifecycle.gate_report(referentiel, task)
    if isinstance(task, VoteTask) and current is not None:
        context["votes"] = LifecycleVote.objects.filter(task_state=current).select_related(
            "seat__institution"
        )
        context["tally"] = lifecycle.vote_tally(task, current.pk)
        context["voted"] = voted.voted_pages(
            current, user=request.user, reader=request_reader(request)
        )
        context["edition"] = edition_latest(referentiel)
        seat = lifecycle.seat_for(request.user, task.body)
        if seat is not None and current.status == TaskState.STATUS_IN_PROGRESS:
            context["vote_form"] = LifecycleVoteForm()
            context["seat"] = seat
    if context["can_move"]:
        context["referent_form"] = ReferentForm(referentiel=referentiel)
    return render(request, "consensus/lifecycle_detail.html", context)


def _posted_task_state_id(request: HttpRequest) -> int | None:
    """The step the form was shown for (hidden ``task_state``), if the POST names one."""
    value = request.POST.get("task_state", "")
    return int(value) if value.isdigit() else None


def _back(referentiel, anchor: str = "") -> HttpResponse:
    return redirect(reverse("consensus:lifecycle", args=[referentiel.pk]) + anchor)


@require_POST
@login_required
def gate_pass(request: HttpRequest, pk: int) -> HttpResponse:
    referentiel = _referentiel(request, pk)
    try:
        lifecycle.gate_pass(
            user=request.user,
            referentiel=referentiel,
            task_state_id=_posted_task_state_id(request),
        )
    except ConsensusError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The référentiel moved on to the next step."))
    return _back(referentiel)


@require_POST
@login_required
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    referentiel = _referentiel(request, pk)
    state = lifecycle.lifecycle_state(referentiel)
    form = LifecycleVoteForm(request.POST)
    task_state = state.current_task_state if state is not None else None
    shown = _posted_task_state_id(request)
    if state is not None and shown is not None:
        # The vote the form was shown for: once closed, a form left open is refused rather
        # than counted on the next vote.
        task_state = TaskState.objects.filter(workflow_state=state, pk=shown).first()
    if task_state is None:
        messages.error(request, _("There is no vote in progress: your vote was not recorded."))
    elif not form.is_valid():
        messages.error(request, _("Choose approve, reject or abstain."))
    else:
        try:
            lifecycle.vote_cast(
                user=request.user,
                task_state=task_state,
                choice=form.cleaned_data["choice"],
                comment=form.cleaned_data["comment"],
                edition_kind=form.cleaned_data["edition_kind"],
            )
        except ConsensusError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your vote was recorded."))
    return _back(referentiel, "#vote")


@require_POST
@login_required
def referent_name(request: HttpRequest, pk: int) -> HttpResponse:
    referentiel = _referentiel(request, pk)
    if not permissions.can_move_phase(request.user):
        raise PermissionDenied
    form = ReferentForm(request.POST, referentiel=referentiel)
    if not form.is_valid():
        messages.error(request, _("Choose an account of the college."))
        return _back(referentiel, "#referent")
    try:
        lifecycle.referent_name(
            user=request.user, referentiel=referentiel, account=form.cleaned_data["account"]
        )
    except ConsensusError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The référent was named."))
    return _back(referentiel, "#referent")


@require_POST
@login_required
def decisions_apply(request: HttpRequest, pk: int) -> HttpResponse:
    referentiel = _referentiel(request, pk)
    try:
        report = lifecycle.decisions_apply(user=request.user, referentiel=referentiel)
    except ConsensusError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Decisions applied: %(n)d new revision(s), %(a)d already applied.")
            % {"n": report.revisions, "a": report.already},
        )
    return _back(referentiel, "#appliquer")


@require_POST
@login_required
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    referentiel = _referentiel(request, pk)
    try:
        lifecycle.lifecycle_resume(user=request.user, referentiel=referentiel)
    except ConsensusError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The référentiel was submitted again."))
    return _back(referentiel)
