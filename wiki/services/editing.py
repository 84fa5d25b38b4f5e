"""Saving an edit as a new Wagtail revision, refusing to overwrite someone else's save."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from wagtail.models import Page, Revision

from wiki.exceptions import EditConflict, PageLocked
from wiki.models import CompetencyPage, LearningOutcome
from wiki.permissions import can_edit_page
from wiki.services.changes import change_record, changes_recorded_by_caller


def page_latest_object(page: Page) -> Page:
    """The page as its latest revision has it (drafts included)."""
    return page.specific.get_latest_revision_as_object()


@transaction.atomic
def page_edit(
    *, page: Page, user, data: dict, base_revision_id: int | None, summary: str = ""
) -> Revision:
    """Write `data` onto the latest version of `page` as a new revision.

    Raises EditConflict when a revision was saved after `base_revision_id`, so that an editor
    never silently overwrites a colleague; the caller keeps the editor's text.
    """
    if not can_edit_page(user, page):
        raise PermissionDenied
    # Row lock: two editors saving at the same instant are serialised here.
    locked = Page.objects.select_for_update().get(pk=page.pk)
    page_lock_refuse(locked, user)
    if locked.latest_revision_id and locked.latest_revision_id != base_revision_id:
        raise EditConflict(Revision.objects.get(pk=locked.latest_revision_id))
    draft = page_latest_object(locked)
    _apply(draft, data)
    with changes_recorded_by_caller():
        revision = draft.save_revision(user=user, log_action=True)
    change_record(revision, summary=summary)
    if locked.live and locked.permissions_for_user(user).can_publish():
        # Those who may publish see their edit live at once, as on a wiki.
        revision.publish(user=user)
    return revision


def page_lock_refuse(page: Page, user) -> None:
    """Raise PageLocked, with Wagtail's own message, when a lock applies to `user` (a page
    locked by someone else, in a workflow task that locks it, or scheduled for publication)."""
    lock = page.get_lock()
    if lock is not None and lock.for_user(user):
        raise PageLocked(lock.get_message(user))


def _apply(page: Page, data: dict) -> None:
    for name, value in data.items():
        if name == "learning_outcomes" and isinstance(page, CompetencyPage):
            page.learning_outcomes = [
                LearningOutcome(text=text[:500], sort_order=i) for i, text in enumerate(value)
            ]
        elif name == "evaluation_methods" and isinstance(page, CompetencyPage):
            page.evaluation_methods = list(value)
        else:
            setattr(page, name, value)
    if "title" in data:
        page.draft_title = data["title"]
