"""Reverting a page to an earlier revision: the old content becomes a NEW revision."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from wagtail.models import Page, Revision

from wiki.models import Change
from wiki.permissions import can_edit_page
from wiki.services.changes import change_record, changes_recorded_by_caller
from wiki.services.editing import page_lock_refuse


class RevisionNotOfPage(ValueError):
    """The revision asked for belongs to another page."""


def revert_summary(revision: Revision) -> str:
    """« Révocation vers la révision du … », stored in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        when = formats.date_format(timezone.localtime(revision.created_at), "DATETIME_FORMAT")
        return gettext("Revert to the revision of %(date)s") % {"date": when}


@transaction.atomic
def page_revert(*, page: Page, revision: Revision, user) -> Revision:
    """Save `revision`'s content as the page's newest revision (a Change of kind "revert").

    Published at once when the page is live and `user` may publish; otherwise left as a draft.
    """
    locked = Page.objects.select_for_update().get(pk=page.pk)
    if not can_edit_page(user, locked):
        raise PermissionDenied(gettext("You may not edit this page."))
    page_lock_refuse(locked, user)
    if revision.object_id != str(locked.pk) or revision.base_content_type_id != (
        locked.get_base_content_type().pk
    ):
        raise RevisionNotOfPage(revision.pk)
    current = locked.specific
    restored = current.with_content_json(revision.content)
    with changes_recorded_by_caller():
        new_revision = restored.save_revision(
            user=user, log_action=True, previous_revision=revision
        )
    change_record(new_revision, kind=Change.Kind.REVERT, summary=revert_summary(revision))
    if locked.live and locked.permissions_for_user(user).can_publish():
        new_revision.publish(user=user, previous_revision=revision)
    return new_revision
