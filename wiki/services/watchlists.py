"""« Liste de suivi »: watching pages, and notifying watchers of each change (in the wiki and by
e-mail, never its author, only those who may view the page)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Page

from wiki.models import Change, Notification, Watch, WatchlistVisit
from wiki.visibility import may_view_page, may_view_revision, reader_for

logger = logging.getLogger(__name__)


def watch_add(*, user, page: Page, with_descendants: bool = False) -> Watch:
    """Watch a page (and, for a référentiel or a domain, optionally every page below it)."""
    if not user.is_authenticated or not may_view_page(reader_for(user), page):
        raise PermissionDenied(_("You cannot watch this page."))
    watch, _created = Watch.objects.update_or_create(
        user=user, page=page, defaults={"with_descendants": with_descendants}
    )
    return watch


def watch_remove(*, user, page: Page) -> bool:
    """Stop watching a page. Returns whether it was watched."""
    deleted, _detail = Watch.objects.filter(user_id=user.pk, page_id=page.pk).delete()
    return deleted > 0


def watchlist_visit_record(*, user, at=None) -> WatchlistVisit:
    visit, _created = WatchlistVisit.objects.update_or_create(
        user=user, defaults={"visited_at": at or timezone.now()}
    )
    return visit


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    """Mark the user's unread notifications (all, or those `ids`) as read."""
    unread = Notification.objects.filter(user_id=user.pk, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


def _ancestor_paths(page: Page) -> list[str]:
    step = page.steplen
    return [page.path[:end] for end in range(step, len(page.path), step)]


def change_watchers(change: Change):
    """Users watching the page, or an ancestor with its descendants, except the author."""
    page = change.page
    watched = Q(page_id=page.pk) | Q(with_descendants=True, page__path__in=_ancestor_paths(page))
    user_ids = Watch.objects.filter(watched).values("user_id")
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True)
    if change.user_id is not None:
        users = users.exclude(pk=change.user_id)
    return users


def notifications_for_change(change_id: int) -> list[Notification]:
    """Notify the watchers of a change: one Notification each (idempotent per user and change),
    then one e-mail each. Watchers who may not see this revision (a draft they may not read,
    a restricted page) are left out; once the revision is published it is announced again,
    and those who may read it then are notified."""
    change = Change.objects.select_related("page", "user", "revision").filter(pk=change_id).first()
    if change is None:
        return []
    page = change.page
    recipients = [
        user
        for user in change_watchers(change)
        if may_view_revision(reader_for(user), page, change.revision_id)
    ]
    if not recipients:
        return []
    with transaction.atomic():
        Notification.objects.bulk_create(
            [Notification(user=user, change=change) for user in recipients],
            ignore_conflicts=True,
        )
    pending = list(
        Notification.objects.filter(
            change=change, emailed=False, user__in=[u.pk for u in recipients]
        ).select_related("user")
    )
    notifications_email(change, pending)
    return pending


def change_diff_path(change: Change) -> str:
    """The diff of this change against the page's previous revision, or its history."""
    previous = (
        Change.objects.filter(page_id=change.page_id)
        .filter(
            Q(created_at__lt=change.created_at) | Q(created_at=change.created_at, pk__lt=change.pk)
        )
        .order_by("-created_at", "-pk")
        .values_list("revision_id", flat=True)
        .first()
    )
    if previous is None:
        return reverse("wiki:history", args=[change.page_id])
    return f"{reverse('wiki:diff', args=[change.page_id])}?de={previous}&a={change.revision_id}"


def _author_name(change: Change) -> str:
    if change.user is None:
        return _("the system")
    return change.user.get_full_name() or change.user.get_username()


def _message(change: Change, user, link: str) -> EmailMessage:
    with translation.override(settings.LANGUAGE_CODE):
        values = {"title": change.title, "author": _author_name(change)}
        subject = _("[IA_SaNSeS wiki] « %(title)s » changed by %(author)s") % values
        lines = [
            _("Hello,"),
            "",
            _("The page « %(title)s », which you watch, was changed by %(author)s.") % values,
        ]
        if change.summary:
            lines.append(_("Summary: %(summary)s") % {"summary": change.summary})
        lines += [
            "",
            _("See the change: %(link)s") % {"link": link},
            _("Your watchlist: %(link)s")
            % {"link": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wiki:watchlist")},
            "",
            _("You receive this e-mail because you watch this page on the IA_SaNSeS wiki."),
        ]
    return EmailMessage(subject=subject, body="\n".join(lines), to=[user.email])


def notifications_email(change: Change, notifications: list[Notification]) -> int:
    """Send one e-mail per notification whose user has an address; mark them e-mailed.
    Runs after the change's transaction has committed (from `change_committed`); on failure
    the notifications stay `emailed=False`, so calling `notifications_for_change` again
    sends only what is missing."""
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + change_diff_path(change)
    to_send = [n for n in notifications if n.user.email]
    if not to_send:
        return 0
    messages = [_message(change, n.user, link) for n in to_send]
    try:
        sent = get_connection().send_messages(messages) or 0
    except Exception:  # a mail server down must never break an edit; rows stay unmarked
        logger.warning("watchlist e-mails for change %s failed", change.pk, exc_info=True)
        return 0
    if sent:
        Notification.objects.filter(pk__in=[n.pk for n in to_send]).update(emailed=True)
    return sent
