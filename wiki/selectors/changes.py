"""History, recent changes and patrol: changes a reader may see, filtered and paginated."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from wagtail.models import Page, Revision

from wiki import visibility
from wiki.models import (
    Change,
    CompetencyPage,
    EvaluationMethod,
    Institution,
    ReferentielPage,
)
from wiki.models.changes import PATROL_ACTIONS
from wiki.pagination import page_slice
from wiki.selectors.links import public_url
from wiki.visibility import Reader

RECENT_CHANGES_PER_PAGE = 50
PERIOD_DAYS = (1, 7, 30, 90)


@dataclass(frozen=True)
class ChangeFilters:
    """What « Modifications récentes » is filtered by (all optional)."""

    college_id: int | None = None
    referentiel_id: int | None = None
    author: str = ""
    unpatrolled_only: bool = False
    days: int | None = None


def changes_visible_to(reader: Reader) -> QuerySet:
    """The changes `reader` may see (wiki.visibility: published changes of the pages they
    read, every change of the pages whose drafts they read)."""

    visible = visibility.changes_q(reader)
    return Change.objects.all() if visible is None else Change.objects.filter(visible)


def recent_changes(*, reader: Reader, filters: ChangeFilters | None = None) -> QuerySet:
    """Newest first, with what a row shows; filters applied, visibility enforced."""
    filters = filters or ChangeFilters()
    changes = changes_visible_to(reader)
    if filters.college_id:
        changes = changes.filter(college_id=filters.college_id)
    if filters.referentiel_id:
        changes = changes.filter(referentiel_id=filters.referentiel_id)
    if filters.author:
        changes = changes.filter(user__username=filters.author)
    if filters.unpatrolled_only:
        changes = changes.filter(patrolled_at__isnull=True)
    if filters.days:
        changes = changes.filter(created_at__gte=timezone.now() - timedelta(days=filters.days))
    return changes.select_related("user", "college", "page", "patrolled_by").order_by(
        "-created_at", "-id"
    )


def recent_changes_page(
    *, reader: Reader, filters: ChangeFilters | None = None, page: int = 1
) -> tuple[list, bool]:
    """One page of recent changes and whether another follows (no COUNT over 100 000 rows)."""
    rows, has_next = page_slice(
        recent_changes(reader=reader, filters=filters), page, RECENT_CHANGES_PER_PAGE
    )
    return changes_with_read_urls(rows), has_next


def changes_with_read_urls(changes: list) -> list:
    """Set `read_url` on each change (its page selected): the public URL of a live page, None
    for a draft. From `url_path`, as wikilinks do: no site lookup per row."""
    for change in changes:
        change.read_url = public_url(change.page.url_path) if change.page.live else None
    return changes


def unpatrolled_count_per_college() -> list[dict]:
    """[{"college_id", "college__name", "college__acronym", "count"}], largest first."""

    return list(
        Change.objects.unpatrolled()
        .values("college_id", "college__name", "college__acronym")
        .annotate(count=Count("id"))
        .order_by("-count", "college__name")
    )


def unpatrolled_count_for_college(college_id: int | None) -> int:
    """Unpatrolled changes of one college (None: of pages outside any college)."""
    return Change.objects.unpatrolled().filter(college_id=college_id).count()


def recent_changes_filter_choices(reader: Reader) -> dict:
    """Colleges and référentiels offered by the filter form (those `reader` may see)."""

    referentiels = visibility.visible_pages(ReferentielPage.objects.all(), reader)
    referentiels = list(referentiels.order_by("title").values_list("pk", "title", "college_id"))
    colleges = list(
        Institution.objects.filter(pk__in={college for _pk, _title, college in referentiels})
        .order_by("name")
        .values_list("pk", "name")
    )
    return {
        "colleges": colleges,
        "referentiels": [(pk, title) for pk, title, _college in referentiels],
    }


def page_changes(page: Page, reader: Reader) -> QuerySet:
    """The saved revisions of a page `reader` may see (its Changes), newest first."""
    return (
        changes_visible_to(reader)
        .filter(page_id=page.pk)
        .select_related("user", "patrolled_by")
        .order_by("-created_at", "-id")
    )


def page_revision(page: Page, revision_id, reader: Reader) -> Revision | None:
    """A revision of this page that `reader` may see, or None (unknown id, another page's
    revision, or a draft they may not read)."""
    try:
        revision_id = int(revision_id)
    except (TypeError, ValueError):
        return None
    if not visibility.may_view_revision(reader, page, revision_id):
        return None
    return (
        Revision.objects.filter(
            pk=revision_id,
            base_content_type_id=page.get_base_content_type().pk,
            object_id=str(page.pk),
        )
        .select_related("user")
        .first()
    )


def revision_previous(page: Page, revision, reader: Reader) -> Revision | None:
    """The revision of `page` before `revision` among those `reader` may see (for a reader of
    published content, the previous published one)."""
    previous = (
        Revision.objects.filter(
            base_content_type_id=revision.base_content_type_id,
            object_id=revision.object_id,
        )
        .filter(
            Q(created_at__lt=revision.created_at)
            | Q(created_at=revision.created_at, pk__lt=revision.pk)
        )
        .order_by("-created_at", "-pk")
    )
    if not visibility.may_read_drafts(reader, page):
        published = changes_visible_to(reader).filter(page_id=page.pk)
        previous = previous.filter(pk__in=published.values("revision_id"))
    return previous.first()


def revision_diff_labels(*contents: dict) -> dict[str, dict]:
    """Labels of the identifiers and choices two revisions hold, for wiki.diff (two queries)."""

    method_ids, socle_ids = set(), set()
    for content in contents:
        method_ids.update(content.get("evaluation_methods") or [])
        socle_ids.update(content.get("socle_refs") or [])
    methods = dict(EvaluationMethod.objects.filter(pk__in=method_ids).values_list("pk", "name"))
    socle = {
        pk: f"{code} {title}"
        for pk, code, title in CompetencyPage.objects.filter(pk__in=socle_ids).values_list(
            "pk", "code", "title"
        )
    }
    return {
        "evaluation_methods": methods,
        "socle_refs": socle,
        "rank": dict(CompetencyPage.Rank.choices),
    }


def patrol_log_entries(*, reader: Reader, page: int = 1, per_page: int = 50) -> tuple[list, bool]:
    """Patrol marks (audit rows of Change.history) newest first, on changes `reader` may see."""
    rows, has_next = page_slice(
        Change.history.filter(
            history_change_reason__in=PATROL_ACTIONS,
            id__in=changes_visible_to(reader).values("id"),
        )
        .select_related("history_user")
        .order_by("-history_date", "-history_id"),
        page,
        per_page,
    )
    changes = Change.objects.select_related("page", "user").in_bulk([r.id for r in rows])
    for row in rows:
        row.change = changes.get(row.id)
    return rows, has_next
