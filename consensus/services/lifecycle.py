"""The référentiel lifecycle: phases 1 → 4 as one Wagtail workflow (consensus.lifecycle_models).

Every transition goes through here (or through Wagtail, whose task states call back here):
gates re-check their conditions under a row lock, votes are tallied under the task state's
row lock, and the référentiel's ``phase``/``status`` columns are rewritten from the workflow
state after each change (``lifecycle_sync``) — nothing else writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Revision, TaskState, Workflow, WorkflowState, WorkflowTask

from consensus import permissions, signals
from consensus.exceptions import ConsensusError
from consensus.models import (
    Body,
    CommitteeSeat,
    Decision,
    DecisionApplication,
    LifecycleVote,
    PhaseGateTask,
    Referent,
    Round,
    Study,
    VoteTask,
)
from consensus.rules import CONSENSUS_AGREE, CONSENSUS_DISAGREE
from consensus.services import amendments
from consensus.services.publication import referentiel_validated_publish

WORKFLOW_NAME = "Cycle de vie d'un référentiel"

# The workflow's steps, in order: (kind, phase, name, options).
STEPS = (
    ("gate", 1, "Phase 1 → 2 : conditions de sortie de l'état des lieux", {}),
    ("gate", 2, "Phase 2 → 3 : conditions de sortie des référentiels pilotes", {}),
    ("gate", 3, "Phase 3 : décisions du comité enregistrées et appliquées", {}),
    (
        "vote",
        3,
        "Phase 3 → 4 : vote du comité de pilotage",
        {"body": Body.STEERING_COMMITTEE, "quorum": 3, "majority_percent": 50},
    ),
    (
        "vote",
        4,
        "Phase 4 → publication : validation par les Conférences des doyens",
        {"body": Body.DEANS_CONFERENCES, "quorum": 4, "majority_percent": 50},
    ),
)


class GateBlocked(ConsensusError):
    pass


class VoteRefused(ConsensusError):
    pass


# --- The workflow --------------------------------------------------------------------------


@transaction.atomic
def lifecycle_workflow_ensure() -> Workflow:
    """The lifecycle workflow and its tasks (idempotent)."""
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if workflow.workflow_tasks.exists():
        return workflow
    for order, (kind, phase, name, options) in enumerate(STEPS):
        model = PhaseGateTask if kind == "gate" else VoteTask
        task = model.objects.filter(name=name).first() or model.objects.create(
            name=name, phase=phase, **options
        )
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    return workflow


def _tasks(workflow: Workflow) -> list:
    return [wt.task.specific for wt in workflow.workflow_tasks.select_related("task")]


def lifecycle_state(referentiel) -> WorkflowState | None:
    """The référentiel's lifecycle state: the active one, else the last finished one."""
    states = WorkflowState.objects.for_instance(referentiel).filter(workflow__name=WORKFLOW_NAME)
    return (
        states.active().select_related("current_task_state__task").first()
        or states.filter(status=WorkflowState.STATUS_APPROVED).order_by("-created_at").first()
    )


def phase_derived(state: WorkflowState | None) -> tuple[int, str]:
    """(phase, status) of a lifecycle state: the only source of both."""
    from wiki.models import ReferentielPage

    status = ReferentielPage.Status
    if state is None:
        return 1, status.DRAFT
    if state.status == WorkflowState.STATUS_APPROVED:
        return 4, status.VALIDATED
    task = state.current_task_state.task.specific if state.current_task_state else None
    phase = getattr(task, "phase", 1)
    if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return phase, status.CHANGES_REQUESTED
    return phase, {
        1: status.DRAFT,
        2: status.CONSENSUS,
        3: status.FINAL,
        4: status.IN_VALIDATION,
    }[phase]


def lifecycle_sync(referentiel) -> tuple[int, str]:
    """Write the derived phase and status on the référentiel's row (no revision: they are
    not content)."""
    from wiki.models import ReferentielPage

    phase, status = phase_derived(lifecycle_state(referentiel))
    changed = (
        ReferentielPage.objects.filter(pk=referentiel.pk)
        .exclude(phase=phase, status=status)
        .update(phase=phase, status=status)
    )
    referentiel.phase, referentiel.status = phase, status
    if changed:
        # In the transaction: receivers (search's outbox) record it with the change.
        signals.referentiel_lifecycle_changed.send(sender=Study, page_id=referentiel.pk)
    return phase, status


@transaction.atomic
def lifecycle_start(*, referentiel, phase: int = 1, validated: bool = False, user=None):
    """Start the référentiel's lifecycle at ``phase`` (earlier steps recorded as skipped: the
    référentiel reached that phase before the lifecycle existed), or as already validated."""
    existing = lifecycle_state(referentiel)
    if existing is not None:
        return existing
    workflow = lifecycle_workflow_ensure()
    revision = (
        referentiel.get_latest_revision()
        or Revision.objects.for_instance(referentiel).order_by("-created_at", "-pk").first()
    )
    if revision is None:
        return None
    state = WorkflowState(
        content_type=referentiel.get_content_type(),
        base_content_type=referentiel.get_base_content_type(),
        object_id=str(referentiel.pk),
        workflow=workflow,
        status=WorkflowState.STATUS_IN_PROGRESS,
        requested_by=user,
    )
    state.save()
    now = timezone.now()
    for task in _tasks(workflow):
        if validated or task.phase < phase:
            TaskState.objects.create(
                workflow_state=state,
                task=task,
                revision=revision,
                status=TaskState.STATUS_SKIPPED,
                finished_at=now,
                comment=_("Reached before the lifecycle was recorded."),
            )
    if validated:
        state.status = WorkflowState.STATUS_APPROVED
        state.save()
    else:
        state.update(user=user)
    lifecycle_sync(referentiel)
    return state


# --- Gates ---------------------------------------------------------------------------------


@dataclass
class Missing:
    message: str
    url: str


@dataclass
class GateReport:
    phase: int
    missing: list[Missing] = field(default_factory=list)

    @property
    def passes(self) -> bool:
        return not self.missing

    def summary(self) -> str:
        return " ".join(m.message for m in self.missing)


def _admin_add(model: str, parent_pk: int) -> str:
    return reverse("wagtailadmin_pages:add", args=["wiki", model, parent_pk])


def _admin_edit(pk: int) -> str:
    return reverse("wagtailadmin_pages:edit", args=[pk])


def _draft(page) -> dict:
    """The content of a page's latest revision (its draft), or {}."""
    revision = page.latest_revision
    return revision.content if revision is not None else {}


def referent_valid(referentiel) -> Referent | None:
    referent = Referent.objects.filter(referentiel=referentiel).select_related("user").first()
    if referent is None:
        return None
    group_id = referentiel.college.editors_group_id
    if group_id is None or not referent.user.groups.filter(pk=group_id).exists():
        return None
    return referent


def closed_studies(referentiel) -> list[Study]:
    """The référentiel's Delphi studies with at least one closed round and none open."""
    return [
        study
        for study in Study.objects.filter(referentiel=referentiel).prefetch_related("rounds")
        if study.rounds.all() and not any(r.status == Round.Status.OPEN for r in study.rounds.all())
    ]


def _competencies(referentiel) -> list:
    from wiki.models import CompetencyPage

    pages = CompetencyPage.objects.descendant_of(referentiel).select_related("latest_revision")
    return [p for p in pages.order_by("path") if not _draft(p).get("withdrawn", p.withdrawn)]


def gate_report(referentiel, task: PhaseGateTask) -> GateReport:
    """What is missing to leave ``task.phase`` (French messages, each with where to fix it).

    Read from the drafts (latest revisions): the référentiel is being written."""
    from consensus import selectors
    from wiki.models import DomainPage, InventoryPage

    report = GateReport(phase=task.phase)
    lifecycle_url = reverse("consensus:lifecycle", args=[referentiel.pk])
    add = report.missing.append
    if task.phase == 1:
        if referent_valid(referentiel) is None:
            add(
                Missing(
                    _("No référent is named: name an account of the college as référent."),
                    lifecycle_url + "#referent",
                )
            )
        inventory = (
            InventoryPage.objects.child_of(referentiel).select_related("latest_revision").first()
        )
        if inventory is None:
            add(
                Missing(
                    _("The « état des lieux » page is missing: create it under the référentiel."),
                    _admin_add("inventorypage", referentiel.pk),
                )
            )
        else:
            draft = _draft(inventory)
            empty = [
                str(InventoryPage._meta.get_field(name).verbose_name)
                for name in InventoryPage.SECTIONS
                if not str(draft.get(name, getattr(inventory, name)) or "").strip()
            ]
            if empty:
                add(
                    Missing(
                        _("The « état des lieux » is incomplete: fill in %(sections)s.")
                        % {"sections": ", ".join(empty)},
                        _admin_edit(inventory.pk),
                    )
                )
        if not DomainPage.objects.child_of(referentiel).exists():
            add(
                Missing(
                    _("The référentiel has no domain yet: add the skeleton of its domains."),
                    _admin_add("domainpage", referentiel.pk),
                )
            )
    elif task.phase == 2:
        studies = closed_studies(referentiel)
        classified = []
        for study in studies:
            results = selectors.study_results(study)
            if results.items and all(
                r.final is not None
                and r.final.classification in (CONSENSUS_AGREE, CONSENSUS_DISAGREE)
                for r in results.items
            ):
                classified.append(study)
        if not classified:
            url = (
                reverse("consensus:results", args=[studies[0].pk])
                if studies
                else reverse("consensus:study-create")
            )
            add(
                Missing(
                    _(
                        "No Delphi study on this référentiel is closed with every item "
                        "classified (consensus to keep or to drop)."
                    ),
                    url,
                )
            )
        for page in _competencies(referentiel):
            if not _draft(page).get("evaluation_methods", []):
                add(
                    Missing(
                        _("Competency %(code)s has no evaluation method.") % {"code": page.code},
                        _admin_edit(page.pk),
                    )
                )
    elif task.phase == 3:
        studies = closed_studies(referentiel)
        if not studies:
            add(
                Missing(
                    _("No closed Delphi study: the committee has nothing to decide."),
                    reverse("consensus:home"),
                )
            )
        for study in studies:
            for item in study.items.select_related("decision__application").order_by(
                "position", "code"
            ):
                decision = getattr(item, "decision", None)
                url = reverse("consensus:decisions", args=[study.pk]) + f"#item-{item.pk}"
                if decision is None:
                    add(
                        Missing(
                            _("Item %(code)s has no committee decision.") % {"code": item.code},
                            url,
                        )
                    )
                    continue
                application = getattr(decision, "application", None)
                if application is None or not application.matches(decision):
                    add(
                        Missing(
                            _("The decision on item %(code)s is not applied to the draft.")
                            % {"code": item.code},
                            lifecycle_url + "#appliquer",
                        )
                    )
    return report


def _locked_state(referentiel) -> WorkflowState:
    state = lifecycle_state(referentiel)
    if state is None:
        raise ConsensusError(_("This référentiel has no lifecycle."))
    return WorkflowState.objects.select_for_update().get(pk=state.pk)


@transaction.atomic
def gate_pass(*, user, referentiel, task_state_id: int | None = None) -> GateReport:
    """Leave the current phase if its gate's conditions hold (the committee's act).

    ``task_state_id``: the gate the user saw (the form's or the admin URL's). A second click,
    or a page left open, names a gate already passed: refused, so that one act never passes
    the next gate as well."""
    if not permissions.can_move_phase(user):
        raise PermissionDenied
    state = _locked_state(referentiel)
    refusal, report = _gate_refusal(referentiel, state, task_state_id)
    if refusal is not None:
        raise GateBlocked(refusal)
    state.current_task_state.specific.approve(user=user)
    lifecycle_sync(referentiel)
    return report


def _gate_refusal(
    referentiel, state: WorkflowState, task_state_id: int | None
) -> tuple[str | None, GateReport | None]:
    """Why the gate the user saw (``task_state_id``) cannot be passed now, and its report."""
    task_state = state.current_task_state
    if state.status != WorkflowState.STATUS_IN_PROGRESS or task_state is None:
        return _("The lifecycle of this référentiel is not waiting on a gate."), None
    if task_state_id is not None and task_state.pk != task_state_id:
        return _("The référentiel has already left the step you saw: nothing was changed."), None
    task = task_state.task.specific
    if not isinstance(task, PhaseGateTask):
        return _("The lifecycle of this référentiel is not waiting on a gate."), None
    report = gate_report(referentiel, task)
    if not report.passes:
        return _("The phase cannot be left yet: %(missing)s") % {
            "missing": report.summary()
        }, report
    return None, report


# --- Votes ---------------------------------------------------------------------------------


def seat_for(user, body: str) -> CommitteeSeat | None:
    return CommitteeSeat.objects.held_by(user).filter(body=body).first()


@dataclass(frozen=True)
class Tally:
    approve: int
    reject: int
    abstain: int
    eligible: int
    quorum: int
    majority_percent: int

    @property
    def cast(self) -> int:
        return self.approve + self.reject + self.abstain

    @property
    def remaining(self) -> int:
        return max(0, self.eligible - self.cast)

    def _passes(self, approve: int, reject: int) -> bool:
        expressed = approve + reject
        return expressed > 0 and approve * 100 > self.majority_percent * expressed

    @property
    def outcome(self) -> str | None:
        """ "approve", "reject" or None (not decided yet)."""
        if self.cast < min(self.quorum, self.eligible) or self.cast == 0:
            return None
        # Decided when the seats yet to vote cannot change it.
        if self._passes(self.approve, self.reject + self.remaining):
            return "approve"
        if not self._passes(self.approve + self.remaining, self.reject):
            return "reject"
        return None


def vote_tally(task: VoteTask, task_state_id: int) -> Tally:
    counts = {choice: 0 for choice in LifecycleVote.Choice.values}
    for choice in LifecycleVote.objects.filter(task_state_id=task_state_id).values_list(
        "choice", flat=True
    ):
        counts[choice] += 1
    eligible = CommitteeSeat.objects.filter(
        body=task.body, active=True, holder__isnull=False
    ).count()
    return Tally(
        approve=counts["approve"],
        reject=counts["reject"],
        abstain=counts["abstain"],
        eligible=eligible,
        quorum=task.quorum,
        majority_percent=task.majority_percent,
    )


@transaction.atomic
def vote_cast(
    *, user, task_state, choice: str, comment: str = "", edition_kind: str = ""
) -> LifecycleVote:
    """Record one seat's vote; end the task when its rule is met (reasons: the comments).

    The vote that ends the lifecycle publishes the référentiel as its next edition
    (consensus.services.publication); ``edition_kind`` is the kind this seat approves."""
    # The task state's row lock serialises the votes of one task: each tally sees them all.
    task_state = TaskState.objects.select_for_update().get(pk=task_state.pk)
    task = task_state.task.specific
    seat = seat_for(user, task.body) if isinstance(task, VoteTask) else None
    refusal = _vote_refusal(task_state, task, seat)
    if refusal is not None:
        raise VoteRefused(refusal)
    if choice not in LifecycleVote.Choice.values:
        raise VoteRefused(_("Choose approve, reject or abstain."))
    comment = (comment or "").strip()
    if choice == LifecycleVote.Choice.REJECT and not comment:
        raise VoteRefused(_("Give the reasons of a rejection in the comment."))
    if edition_kind not in ("", "major", "minor"):
        raise VoteRefused(_("Choose a major or a minor edition."))
    vote = LifecycleVote(
        task_state=task_state,
        seat=seat,
        voter=user,
        choice=choice,
        comment=comment,
        edition_kind=edition_kind if choice == LifecycleVote.Choice.APPROVE else "",
    )
    vote._history_user = user
    try:
        with transaction.atomic():
            vote.save()
    except IntegrityError:
        raise VoteRefused(_second_vote(seat)) from None
    tally = vote_tally(task, task_state.pk)
    outcome = tally.outcome
    if outcome is not None:
        specific = task_state.specific
        specific._lifecycle_tallied = True
        if outcome == "approve":
            specific.approve(user=user, comment=_("Vote passed."))
        else:
            reasons = [
                f"{v.seat} : {v.comment}"
                for v in LifecycleVote.objects.filter(
                    task_state=task_state, choice=LifecycleVote.Choice.REJECT
                ).select_related("seat__institution")
            ]
            specific.reject(user=user, comment="\n".join(reasons))
        referentiel = task_state.workflow_state.content_object.specific
        lifecycle_sync(referentiel)
        if outcome == "approve":
            referentiel_validated_publish(task_state=task_state, user=user)
    return vote


def _vote_refusal(task_state: TaskState, task, seat: CommitteeSeat | None) -> str | None:
    """Why no vote can be cast by ``seat`` on ``task_state`` (the ballot's own checks aside)."""
    if not isinstance(task, VoteTask):
        return _("This step of the lifecycle is not a vote.")
    if task_state.status != TaskState.STATUS_IN_PROGRESS:
        return _("This vote is closed: your vote was not recorded.")
    if seat is None:
        return _("Only the members of %(body)s vote here: your vote was not recorded.") % {
            "body": Body(task.body).label
        }
    return None


def _second_vote(seat: CommitteeSeat) -> str:
    return _("%(seat)s has already voted: the second vote was not recorded.") % {"seat": seat}


def admin_action_refusal(*, user, task_state: TaskState, action_name: str) -> str | None:
    """Why a lifecycle action asked through the Wagtail admin (its workflow-action view, its
    page editor) would be refused, in French; None if it may go ahead, or if the task is not
    one of the lifecycle's. The services check again when they act (a race is refused there)."""
    task = task_state.task.specific
    if isinstance(task, PhaseGateTask):
        if action_name != "approve":
            return _("This action is not offered at this step: nothing was changed.")
        if not permissions.can_move_phase(user):
            return _(
                "Only the steering committee moves a référentiel to its next phase: "
                "nothing was changed."
            )
        state = task_state.workflow_state
        return _gate_refusal(state.content_object.specific, state, task_state.pk)[0]
    if isinstance(task, VoteTask):
        if action_name != "vote":
            return _("A vote ends only when its rule is met.")
        seat = seat_for(user, task.body)
        refusal = _vote_refusal(task_state, task, seat)
        voted = LifecycleVote.objects.filter(task_state=task_state, seat=seat)
        if refusal is None and voted.exists():
            refusal = _second_vote(seat)
        return refusal
    return None


@transaction.atomic
def lifecycle_resume(*, user, referentiel) -> WorkflowState:
    """After a rejection, submit the référentiel again: the rejected step starts over."""
    if not (
        permissions.can_move_phase(user) or permissions.can_edit_referentiel(user, referentiel)
    ):
        raise PermissionDenied
    state = _locked_state(referentiel)
    if state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        raise ConsensusError(_("This référentiel was not sent back."))
    state.resume(user=user)
    lifecycle_sync(referentiel)
    return state


# --- Référents -----------------------------------------------------------------------------


@transaction.atomic
def referent_name(*, user, referentiel, account) -> Referent:
    if not permissions.can_move_phase(user):
        raise PermissionDenied
    group_id = referentiel.college.editors_group_id
    if group_id is None or not account.groups.filter(pk=group_id).exists():
        raise ConsensusError(
            _("The référent must be an account of the college that owns the référentiel.")
        )
    referent = Referent.objects.select_for_update().filter(referentiel=referentiel).first()
    referent = referent or Referent(referentiel=referentiel)
    referent.user = account
    referent.named_by = user
    referent._history_user = user
    referent.save()
    return referent


@transaction.atomic
def referent_remove(*, user, referentiel) -> None:
    if not permissions.can_move_phase(user):
        raise PermissionDenied
    referent = Referent.objects.select_for_update().filter(referentiel=referentiel).first()
    if referent is not None:
        referent._history_user = user
        referent.delete()


# --- Committee decisions applied to the draft ----------------------------------------------


@dataclass
class ApplyReport:
    revisions: int = 0
    unchanged: int = 0
    already: int = 0


@transaction.atomic
def decisions_apply(*, user, referentiel) -> ApplyReport:
    """One new draft revision per competency page a decision changes (reword: the adopted
    wording; drop: withdrawn from the draft); keep changes nothing. Nothing published
    changes (drafts only); applying twice changes nothing."""
    from wiki.models import CompetencyPage

    if not permissions.can_move_phase(user):
        raise PermissionDenied
    _locked_state(referentiel)  # one application at a time per référentiel
    report = ApplyReport()
    for study in closed_studies(referentiel):
        decisions = Decision.objects.filter(item__study=study).select_related("item", "application")
        for decision in decisions.order_by("item__position", "item__code"):
            application = getattr(decision, "application", None)
            if application is not None and application.matches(decision):
                report.already += 1
                continue
            revision = None
            page = (
                CompetencyPage.objects.filter(pk=decision.item.page_id).first()
                if decision.item.page_id
                else None
            )
            if page is not None and decision.decision != Decision.Choice.KEEP:
                draft = page.get_latest_revision_as_object()
                changed = False
                if decision.decision == Decision.Choice.REWORD and decision.wording.strip():
                    if draft.statement != decision.wording.strip():
                        draft.statement = decision.wording.strip()
                        changed = True
                    # An amendment's title and learning outcomes come with its wording.
                    changed = amendments.amendment_draft_apply(draft, decision) or changed
                elif decision.decision == Decision.Choice.DROP and not draft.withdrawn:
                    draft.withdrawn = True
                    changed = True
                if changed:
                    revision = draft.save_revision(user=user, log_action=True)
                    _change_summary(revision, decision, study)
                    report.revisions += 1
                else:
                    report.unchanged += 1
            else:
                report.unchanged += 1
            DecisionApplication.objects.update_or_create(
                decision=decision,
                defaults={
                    "choice": decision.decision,
                    "wording": decision.wording,
                    "decided_at": decision.decided_at,
                    "revision": revision,
                    "applied_by": user,
                },
            )
    amendments.amendments_conclude(referentiel=referentiel)
    return report


def _change_summary(revision: Revision, decision: Decision, study: Study) -> None:
    """The revision cites the decision and the study (the wiki's change summary)."""
    from wiki.models import Change

    summary = _(
        "Committee decision « %(decision)s » on item %(code)s (Delphi study « %(study)s », "
        "decision of %(date)s): %(rationale)s"
    ) % {
        "decision": decision.get_decision_display(),
        "code": decision.item.code,
        "study": study.title,
        "date": timezone.localtime(decision.decided_at).strftime("%d/%m/%Y %H:%M"),
        "rationale": decision.rationale,
    }
    citation = amendments.amendment_citation(decision)
    if citation:  # first: the summary is cut at 500 characters
        summary = f"{citation[:1].upper()}{citation[1:]} — {summary}"
    Change.objects.filter(revision=revision).update(summary=summary[:500])
