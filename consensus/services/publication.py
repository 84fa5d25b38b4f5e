"""Publishing a validated référentiel as an edition (wiki.models.Edition).

When the last validation vote passes, Wagtail's end-of-workflow action has published the
référentiel page (consensus.workflow_actions); here the revisions of its subtree the votes were
on (pinned when the vote started: consensus.services.voted) are published too, then the wiki
freezes the published pages as the next edition, with the provenance as plain data: the
decisions (study, item, choice, adopted wording) and the votes (body and seat label, choice,
comment, date — never a person's name)."""

from __future__ import annotations

from collections import Counter

from django.db import transaction
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import Page, TaskState, WorkflowState

from consensus.models import Decision, LifecycleVote, Study, VotedRevision, VoteTask
from wiki.models import CompetencyPage, Edition, ReferentielPage
from wiki.services.editions import edition_latest, edition_publish


def _iso(value) -> str:
    return value.isoformat() if value is not None else ""


def edition_kind_chosen(task_state: TaskState, first: bool) -> str:
    """The kind the approving votes chose (major on a tie or when none chose); a first
    edition is always major (1.0)."""
    if first:
        return Edition.Kind.MAJOR
    kinds = Counter(
        LifecycleVote.objects.filter(task_state=task_state, choice=LifecycleVote.Choice.APPROVE)
        .exclude(edition_kind="")
        .values_list("edition_kind", flat=True)
    )
    if kinds.get(Edition.Kind.MINOR, 0) > kinds.get(Edition.Kind.MAJOR, 0):
        return Edition.Kind.MINOR
    return Edition.Kind.MAJOR


def edition_provenance(referentiel: ReferentielPage, workflow_state: WorkflowState) -> dict:
    """The decisions and votes that led to the edition, as plain data (no person's name).

    Decisions: those taken since the previous edition (all of them for the first one)."""
    previous = edition_latest(referentiel)
    decisions = Decision.objects.filter(item__study__referentiel=referentiel).select_related(
        "item__study"
    )
    if previous is not None:
        decisions = decisions.filter(decided_at__gt=previous.published_at)
    decisions = list(decisions.order_by("item__study_id", "item__position", "item__code"))
    study_ids = sorted({d.item.study_id for d in decisions})
    studies = []
    for study in Study.objects.filter(pk__in=study_ids).prefetch_related("rounds").order_by("pk"):
        closed = [r.closed_at for r in study.rounds.all() if r.closed_at is not None]
        studies.append(
            {
                "id": study.pk,
                "title": study.title,
                "rounds": len(closed),
                "items": study.items.count(),
                "panelists": study.panelists.count(),
                "closed_at": _iso(max(closed) if closed else None),
            }
        )
    votes = []
    task_states = (
        TaskState.objects.filter(workflow_state=workflow_state)
        .select_related("task")
        .order_by("started_at", "pk")
    )
    for task_state in task_states:
        task = task_state.task.specific
        if not isinstance(task, VoteTask):
            continue
        for vote in LifecycleVote.objects.filter(task_state=task_state).select_related(
            "seat__institution"
        ):
            votes.append(
                {
                    "step": task.name,
                    "body": vote.seat.get_body_display(),
                    "seat": f"{vote.seat.institution.acronym or vote.seat.institution.name}"
                    f" — {vote.seat.role_label}",
                    "choice": vote.choice,
                    "comment": vote.comment,
                    "cast_at": _iso(vote.cast_at),
                    "outcome": task_state.status,
                }
            )
    return {
        "source": "lifecycle",
        "studies": studies,
        "decisions": [
            {
                "study": d.item.study.title,
                "item": d.item.code,
                "choice": d.decision,
                "wording": d.wording,
                "rationale": d.rationale,
                "decided_at": _iso(d.decided_at),
            }
            for d in decisions
        ],
        "votes": votes,
    }


def referentiel_voted_publish(
    referentiel: ReferentielPage, task_state: TaskState, user=None
) -> int:
    """Publish what the votes validated: the revisions pinned when the vote started
    (consensus.services.voted), not the latest drafts. A competency withdrawn in its pinned
    revision is unpublished instead; a draft saved during the vote, or a page added then,
    stays a draft."""
    published = 0
    pins = (
        VotedRevision.objects.filter(task_state=task_state)
        .select_related("revision")
        .order_by("page__path")
    )
    in_subtree = set(
        Page.objects.descendant_of(referentiel, inclusive=True).values_list("pk", flat=True)
    )
    pages = Page.objects.in_bulk([pin.page_id for pin in pins])
    for pin in pins:
        page = pages.get(pin.page_id)
        if page is None or page.pk not in in_subtree:  # moved out of the référentiel since
            continue
        page = page.specific
        voted = pin.revision.as_object()
        if isinstance(voted, CompetencyPage) and voted.withdrawn:
            if page.live:
                # The votes are the authority, not the last voter's page rights.
                UnpublishPageAction(page, user=user).execute(skip_permission_checks=True)
            continue
        if page.live and page.live_revision_id == pin.revision_id:
            continue
        pin.revision.publish(user=user, skip_permission_checks=True)
        published += 1
    return published


@transaction.atomic
def referentiel_validated_publish(*, task_state: TaskState, user=None) -> Edition | None:
    """After the validation vote approved the lifecycle: publish the subtree and freeze the
    edition. Does nothing while the workflow is still running."""
    workflow_state = WorkflowState.objects.get(pk=task_state.workflow_state_id)
    if workflow_state.status != WorkflowState.STATUS_APPROVED:
        return None
    referentiel = workflow_state.content_object.specific
    referentiel_voted_publish(referentiel, task_state, user=user)
    first = edition_latest(referentiel) is None
    return edition_publish(
        referentiel=referentiel,
        kind=edition_kind_chosen(task_state, first),
        user=user,
        provenance=edition_provenance(referentiel, workflow_state),
    )
