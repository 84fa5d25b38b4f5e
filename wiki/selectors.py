"""Read-side queries of the wiki. Each name says what it returns."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import BooleanField, Case, Count, OuterRef, Q, QuerySet, Subquery, When
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, Revision

from wiki import visibility
from wiki.markdown import LinkTarget, normalise_target
from wiki.models import (
    Change,
    CompetencyPage,
    DomainPage,
    EvaluationMethod,
    Institution,
    Message,
    Notification,
    PageLink,
    ReferentielPage,
    Thread,
    Watch,
    WatchlistVisit,
)
from wiki.models.changes import PATROL_ACTIONS
from wiki.pagination import page_slice
from wiki.visibility import Reader


def wikilink_targets_resolved(
    targets: Iterable[str], reader: Reader = visibility.PUBLIC
) -> dict[str, LinkTarget]:
    """Resolve wikilink targets by competency code first, then by page title, among the pages
    `reader` may see (wiki.visibility): a published version they read links to the page, a
    draft they read (a page never published, for its editors) links to the draft reader.

    Two queries whatever the number of links.
    """
    wanted = {normalise_target(t) for t in targets}
    if not wanted:
        return {}
    published = visibility.published_pages_q(reader)
    drafts = visibility.draft_pages_q(reader)
    pages = Page.objects.annotate(
        published_read=Case(When(published, then=True), default=False, output_field=BooleanField())
    )
    if drafts is not None:
        pages = pages.filter(published | drafts)
    resolved: dict[str, LinkTarget] = {}
    codes = {t.upper(): t for t in wanted}
    competencies = pages.filter(
        pk__in=CompetencyPage.objects.filter(code__in=list(codes)).values("pk")
    ).order_by("-published_read")
    for pk, code, title, draft_title, url_path, published_read in competencies.values_list(
        "pk", "competencypage__code", "title", "draft_title", "url_path", "published_read"
    ):
        resolved.setdefault(
            codes[code], _link_target(pk, title, draft_title, url_path, published_read)
        )
    remaining = [t for t in wanted if t not in resolved]
    if remaining:
        title_q = Q()
        for title in remaining:
            # The live title of pages read published, the working title of drafts.
            title_q |= Q(published_read=True, title__iexact=title)
            title_q |= Q(published_read=False, draft_title__iexact=title)
        # Several spellings may differ only by case: each gets the same page.
        lowered: dict[str, list[str]] = {}
        for target in remaining:
            lowered.setdefault(target.lower(), []).append(target)
        rows = (
            pages.filter(depth__gt=1)
            .filter(title_q)
            .order_by("-published_read", "depth")
            .values_list("pk", "title", "draft_title", "url_path", "published_read")
        )
        for pk, title, draft_title, url_path, published_read in rows:
            shown = title if published_read else draft_title
            for key in lowered.get(shown.lower(), []):
                resolved.setdefault(
                    key, _link_target(pk, title, draft_title, url_path, published_read)
                )
    return resolved


def _link_target(
    pk: int, title: str, draft_title: str, url_path: str, published_read: bool
) -> LinkTarget:
    if published_read:
        return LinkTarget(url=_url(url_path), title=title)
    return LinkTarget(url=reverse("wiki:draft", args=[pk]), title=draft_title or title)


MY_DRAFTS_LIMIT = 200


def drafts_editable(user, reader: Reader) -> list[Page]:
    """The wiki pages with unpublished changes (never published, or edited since) that `user`
    may edit (Wagtail's page permissions) and whose drafts `reader` reads (wiki.visibility),
    most recently edited first; at most MY_DRAFTS_LIMIT."""
    from wagtail.permission_policies.pages import PagePermissionPolicy

    editable = PagePermissionPolicy().instances_user_has_any_permission_for(
        user, {"add", "change", "publish"}
    )
    pages = Page.objects.filter(
        has_unpublished_changes=True,
        depth__gt=2,
        pk__in=editable.values("pk"),
    )
    drafts_q = visibility.draft_pages_q(reader)
    if drafts_q is not None:
        pages = pages.filter(drafts_q)
    pages = pages.order_by("-latest_revision_created_at", "path")[:MY_DRAFTS_LIMIT]
    return list(pages.select_related("content_type"))


def _url(url_path: str) -> str:
    # url_path is "/home/…/" under the site root page: drop the root's segment.
    parts = url_path.strip("/").split("/", 1)
    return "/" + (parts[1] + "/" if len(parts) > 1 else "")


# --- History, recent changes, patrol ------------------------------------------------------

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
        change.read_url = _url(change.page.url_path) if change.page.live else None
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


# --- Watchlists, notifications, discussions, links ---------------------------------------

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


def page_threads(page: Page) -> list:
    """The page's discussion threads, open ones first, each with `message_tree`: a list of
    (message, children) pairs, nested as the replies are. Two queries."""

    threads = list(
        Thread.objects.filter(page_id=page.pk)
        .select_related("created_by", "resolved_by")
        .order_by("resolved_at", "-created_at")
    )
    children: dict = {}
    for message in (
        Message.objects.filter(thread__page_id=page.pk)
        .select_related("author")
        .order_by("created_at", "id")
    ):
        children.setdefault((message.thread_id, message.parent_id), []).append(message)

    def tree(thread_id, parent_id):
        return [
            (message, tree(thread_id, message.pk))
            for message in children.get((thread_id, parent_id), [])
        ]

    for thread in threads:
        thread.message_tree = tree(thread.pk, None)
    # Open threads first (resolved_at NULLS come last in PostgreSQL's ascending order).
    threads.sort(key=lambda t: (t.resolved_at is not None, -t.created_at.timestamp()))
    return threads


def _visible_links(reader: Reader) -> QuerySet:
    return PageLink.objects.filter(visibility.links_q(reader))


def page_backlinks(page: Page, reader: Reader) -> list[Page]:
    """The pages linking to `page` in a version `reader` may read, by title."""
    sources = _visible_links(reader).filter(target_id=page.pk).values("source_id")
    return list(Page.objects.filter(pk__in=sources).order_by("title").specific())


def wanted_pages(reader: Reader, limit: int = 500) -> list[dict]:
    """Red links: each missing target with how many visible pages ask for it, and which."""
    links = _visible_links(reader).filter(target__isnull=True)
    rows = links.select_related("source").order_by("target_text", "source__title")
    wanted: dict[str, dict] = {}
    for link in rows:
        # Titles resolve case-insensitively: « Page » and « page » ask for the same page.
        entry = wanted.setdefault(
            link.target_text.casefold(), {"title": link.target_text, "sources": []}
        )
        if link.source not in entry["sources"]:
            entry["sources"].append(link.source)
    result = sorted(wanted.values(), key=lambda e: (-len(e["sources"]), e["title"].lower()))
    for entry in result:
        entry["count"] = len(entry["sources"])
    return result[:limit]


def domains_user_can_add_to(user) -> list:
    """Domains under which `user` may create a competency page (for a red link)."""
    if user is None or not user.is_authenticated:
        return []
    domains = DomainPage.objects.all()
    if not user.is_superuser:
        paths = set(
            GroupPagePermission.objects.filter(
                group__user=user, permission__codename="add_page"
            ).values_list("page__path", flat=True)
        )
        if not paths:
            return []
        allowed = Q()
        for path in paths:
            allowed |= Q(path__startswith=path)
        domains = domains.filter(allowed)
    return list(domains.order_by("path"))
