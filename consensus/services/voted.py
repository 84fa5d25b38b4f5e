"""What a lifecycle vote is on: the revisions it pins when it starts (``VotedRevision``).

A vote validates what its voters saw. When a vote task starts, the latest revision of every
page of the référentiel's subtree (the référentiel included) is recorded; the edition that the
last vote opens publishes exactly those revisions (consensus.services.publication). A draft saved
while the vote is open is not voted on: it stays a draft, for the next cycle.

A vote that follows a passed vote of the same run (the deans' validation after the steering
committee's) is on the same revisions: the deans validate what the committee voted. A vote
started again after a rejection (the référentiel was sent back to be changed) pins afresh.
"""

from __future__ import annotations

from dataclasses import dataclass

from wagtail.models import Page, Revision, TaskState

from consensus.models import CommitteeSeat, VotedRevision
from wiki.visibility import Reader, may_view_revision


def _earlier_vote(task_state: TaskState) -> TaskState | None:
    """The latest vote of the same run that started before this one (it has pins)."""
    return (
        TaskState.objects.filter(
            workflow_state_id=task_state.workflow_state_id,
            pk__lt=task_state.pk,
            voted_revisions__isnull=False,
        )
        .distinct()
        .order_by("-pk")
        .first()
    )


def _latest_revision_ids(referentiel, referentiel_revision_id: int | None) -> dict[int, int]:
    """page id → latest revision id, for the référentiel and its descendants (pages that have
    never been saved as a revision have nothing to pin: their row is their only content)."""
    pins = dict(
        Page.objects.descendant_of(referentiel)
        .filter(latest_revision__isnull=False)
        .values_list("pk", "latest_revision_id")
    )
    # A référentiel's first revision starts its lifecycle before Wagtail points
    # latest_revision at it: the task state records it.
    own = referentiel_revision_id or Page.objects.get(pk=referentiel.pk).latest_revision_id
    if own is not None:
        pins[referentiel.pk] = own
    return pins


def vote_pin(task_state: TaskState) -> int:
    """Record what the vote that ``task_state`` starts is on; the number of pages pinned."""
    earlier = _earlier_vote(task_state)
    if earlier is not None and earlier.status == TaskState.STATUS_APPROVED:
        pins = dict(
            VotedRevision.objects.filter(task_state=earlier).values_list("page_id", "revision_id")
        )
    else:
        referentiel = task_state.workflow_state.content_object
        pins = _latest_revision_ids(referentiel, task_state.revision_id)
    VotedRevision.objects.bulk_create(
        [
            VotedRevision(task_state=task_state, page_id=page_id, revision_id=revision_id)
            for page_id, revision_id in pins.items()
        ],
        ignore_conflicts=True,
    )
    return len(pins)


@dataclass(frozen=True)
class VotedPage:
    """One page as the vote sees it: the pinned revision's content, and whether it differs
    from what is published now."""

    page: Page
    revision: Revision
    content: Page
    changed: bool
    withdrawn: bool


def voted_pages(task_state: TaskState, *, user, reader: Reader) -> list[VotedPage]:
    """The pages the vote is on, in tree order, each with its pinned revision's content.

    A seat of the voting body reads every pinned revision: it votes on them (as Wagtail's
    moderators read the page in moderation). Anyone else reads them through the wiki's rule
    (wiki.visibility): the drafts of the subtrees they edit, or published content."""
    voter = CommitteeSeat.objects.held_by(user).filter(body=task_state.task.specific.body).exists()
    pins = (
        VotedRevision.objects.filter(task_state=task_state)
        .select_related("page", "revision")
        .order_by("page__path")
    )
    result = []
    for pin in pins:
        if not voter and not may_view_revision(reader, pin.page, pin.revision_id):
            continue
        content = pin.revision.as_object()
        result.append(
            VotedPage(
                page=pin.page,
                revision=pin.revision,
                content=content,
                changed=not pin.page.live or pin.page.live_revision_id != pin.revision_id,
                withdrawn=bool(getattr(content, "withdrawn", False)),
            )
        )
    return result
