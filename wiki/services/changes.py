"""Recording each saved revision as a Change, and who is trusted enough to be autopatrolled.

`change_record` is the one place that decides what a Change is. The wiki's services call it
themselves, with the kind and summary they know, inside `changes_recorded_by_caller()`; the
post_save receiver records the revisions saved elsewhere (Wagtail's admin, imports)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.utils import timezone
from wagtail.models import Revision

from wiki import broadcast, signals
from wiki.models import Change, ReferentielPage
from wiki.permissions import is_trusted_editor

WIKI_PAGE_MODELS = {"referentielpage", "domainpage", "competencypage", "homepage"}
TEXT_FIELDS = ("title", "code", "statement", "intro", "body", "references")


def revision_size(content: dict) -> int:
    """Characters of text a revision holds: MediaWiki's page size, for the ± column."""
    size = sum(len(str(content.get(field) or "")) for field in TEXT_FIELDS)
    size += sum(len(item.get("text", "")) for item in content.get("learning_outcomes") or [])
    return size


# True while a service saves a revision it records itself (see changes_recorded_by_caller).
_recorded_by_caller: ContextVar[bool] = ContextVar("wiki_change_recorded_by_caller", default=False)


@contextmanager
def changes_recorded_by_caller() -> Iterator[None]:
    """Within this block the revisions saved are not recorded by the post_save receiver: the
    calling service records each one with `change_record(revision, kind=…, summary=…)`."""
    token = _recorded_by_caller.set(True)
    try:
        yield
    finally:
        _recorded_by_caller.reset(token)


def revision_saved(revision: Revision) -> Change | None:
    """A revision was saved (post_save): record it, unless a service records it itself."""
    if _recorded_by_caller.get():
        return None
    return change_record(revision)


def change_record(
    revision: Revision, *, kind: str | None = None, summary: str = ""
) -> Change | None:
    """Create the Change of a wiki page's revision (idempotent: one per revision)."""
    if revision.content_type.model not in WIKI_PAGE_MODELS:
        return None
    existing = Change.objects.filter(revision=revision).first()
    if existing is not None:
        return existing
    page = revision.content_object
    referentiel = (
        ReferentielPage.objects.ancestor_of(page, inclusive=True).only("pk", "college_id").first()
    )
    previous = Change.objects.filter(page_id=page.pk).order_by("-created_at", "-id").first()
    size = revision_size(revision.content)
    user = revision.user
    trusted = user is None or is_trusted_editor(user)  # None: system loads, already reviewed
    change = Change.objects.create(
        revision=revision,
        page_id=page.pk,
        referentiel_id=referentiel.pk if referentiel else None,
        college_id=referentiel.college_id if referentiel else None,
        user=user,
        created_at=revision.created_at,
        kind=kind or (Change.Kind.EDIT if previous else Change.Kind.CREATE),
        title=(revision.content.get("title") or page.title)[:255],
        summary=summary[:500],
        size=size,
        size_delta=size - (previous.size if previous else 0),
        patrolled_at=revision.created_at if trusted else None,
        patrolled_by=user if trusted else None,
        autopatrolled=trusted,
    )
    _announce_after_commit(change.pk)
    return change


def change_mark_published(revision: Revision) -> Change | None:
    """Record that `revision` was published. Once committed, the change is announced again:
    readers who could not see it as a draft (recent changes, watchers) may see it now."""
    change = Change.objects.filter(revision_id=revision.pk).first()
    if change is None or change.published_at is not None:
        return change
    change.published_at = timezone.now()
    Change.objects.filter(pk=change.pk).update(published_at=change.published_at)
    _announce_after_commit(change.pk, published=True)
    return change


class _Announcement:
    """An on-commit callback that knows its change, so that a change saved and published in
    the same transaction is announced once."""

    def __init__(self, change_id: int, published: bool) -> None:
        self.change_id = change_id
        self.published = published

    def __call__(self) -> None:
        signals.change_committed.send(
            sender=Change, change_id=self.change_id, published=self.published
        )
        broadcast.change_saved(self.change_id, published=self.published)


def _announce_after_commit(change_id: int, published: bool = False) -> None:
    """`published`: the change was saved earlier and is published now (only those who could
    not read it as a draft need it again)."""
    connection = transaction.get_connection()
    pending = getattr(connection, "run_on_commit", None) or []
    if any(getattr(entry[1], "change_id", None) == change_id for entry in pending):
        return
    transaction.on_commit(_Announcement(change_id, published))
