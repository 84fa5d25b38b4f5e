"""Watchlists and notifications."""

from __future__ import annotations

from django.db.models import OuterRef, Q, QuerySet, Subquery

from wiki import visibility
from wiki.models import (
    Change,
    Notification,
    Watch,
    WatchlistVisit,
)
from wiki.selectors.changes import changes_visible_to

WATCHLIST_OLDER_LIMIT = 50
WATCHLIST_NEW_LIMIT = 500


def _previous_revision(page_ref: str, created_ref: str):
    """Subquery: the revision of the page's change just before this one (for diff links)."""

    return Subquery(
        Change.objects.filter(page_id=OuterRef(page_ref), created_at__lt=OuterRef(created_ref))
        .order_by("-created_at", "-id")
        .values("revision_id")[:1]
    )


def watched_changes(user) -> QuerySet:
    """Changes of the pages `user` watches (or below a page watched with its descendants)."""

    watches = list(Watch.objects.filter(user_id=user.pk).values_list("page_id", "page__path"))
    deep = Watch.objects.filter(user_id=user.pk, with_descendants=True)
    if not watches:
        return Change.objects.none()
    watched = Q(page_id__in=[page_id for page_id, _path in watches])
    for path in deep.values_list("page__path", flat=True):
        watched |= Q(page__path__startswith=path)
    changes = changes_visible_to(visibility.reader_for(user)).filter(watched)
    return (
        changes.select_related("user", "page")
        .annotate(previous_revision_id=_previous_revision("page_id", "created_at"))
        .order_by("-created_at", "-id")
    )


def watched_changes_since(user, since) -> QuerySet:
    """Watched changes after `since` (all of them when `since` is None), newest first."""
    changes = watched_changes(user)
    return changes if since is None else changes.filter(created_at__gt=since)


def watchlist_overview(user) -> dict:
    """What « Liste de suivi » shows: changes since the last visit, then older ones."""

    visit = WatchlistVisit.objects.filter(user_id=user.pk).first()
    since = visit.visited_at if visit else None
    new = list(watched_changes_since(user, since)[:WATCHLIST_NEW_LIMIT])
    older = (
        list(watched_changes(user).filter(created_at__lte=since)[:WATCHLIST_OLDER_LIMIT])
        if since is not None
        else []
    )
    watches = list(
        Watch.objects.filter(user_id=user.pk).select_related("page").order_by("page__path")
    )
    return {"since": since, "new_changes": new, "older_changes": older, "watches": watches}


def unread_notifications_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()


def user_notifications(user, limit: int = 100) -> list:
    """The user's notifications, of changes they may still see."""

    visible = visibility.changes_q(visibility.reader_for(user), "change__")
    notifications = Notification.objects.filter(user_id=user.pk)
    if visible is not None:
        notifications = notifications.filter(visible)
    return list(
        notifications.select_related("change", "change__user", "change__page")
        .annotate(previous_revision_id=_previous_revision("change__page_id", "change__created_at"))
        .order_by("-created_at", "-id")[:limit]
    )
