"""Wikilinks: what each target resolves to for a reader, backlinks, wanted pages, and the
domains under which a red link may be created."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.db.models.functions import Upper
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page

from wiki import visibility
from wiki.markdown import LinkTarget, normalise_target
from wiki.models import (
    CompetencyPage,
    DomainPage,
    PageLink,
)
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
        # Several spellings may differ only by case: each gets the same page.
        lowered: dict[str, list[str]] = {}
        for target in remaining:
            lowered.setdefault(target.lower(), []).append(target)
        # Candidates by either title through the UPPER(title) and UPPER(draft_title) indexes
        # (migration wiki 0013: no scan of the whole page table); which title counts, the
        # live one of pages read published or the working one of drafts, is decided below.
        # (Upper on the database's side, as iexact did: its case mapping, not Python's.)
        upper = [Upper(Value(target)) for target in remaining]
        rows = (
            pages.filter(depth__gt=1)
            .annotate(title_upper=Upper("title"), draft_title_upper=Upper("draft_title"))
            .filter(Q(title_upper__in=upper) | Q(draft_title_upper__in=upper))
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
        return LinkTarget(url=public_url(url_path), title=title)
    return LinkTarget(url=reverse("wiki:draft", args=[pk]), title=draft_title or title)


def public_url(url_path: str) -> str:
    # url_path is "/home/…/" under the site root page: drop the root's segment.
    parts = url_path.strip("/").split("/", 1)
    return "/" + (parts[1] + "/" if len(parts) > 1 else "")


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
