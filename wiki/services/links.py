"""The link graph between wiki pages (PageLink rows), kept current on every save.

A wikilink target resolves, like the renderer, by competency code first, then by page title
(case-insensitive, shallowest page first). Here it resolves against every existing page, drafts
included, so « Pages demandées » only lists pages that truly do not exist; rendering still shows
a link blue only when its target is live. A target that matches no page is stored with no
target (a red link) and keeps its text, so creating or renaming a page later picks it up, and
deleting a page turns its incoming links red again (`on_delete=SET_NULL`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Upper
from wagtail.models import Page

from wiki.markdown import wikilink_targets
from wiki.models import CompetencyPage, DomainPage, HomePage, PageLink, ReferentielPage

# The Markdown fields of wiki pages that may hold wikilinks.
LINK_FIELDS = ("intro", "statement", "body", "references")
TARGET_MAX_LENGTH = PageLink._meta.get_field("target_text").max_length


def content_link_targets(content: dict) -> list[str]:
    """Every wikilink target in the Markdown fields of a page's content (a revision's
    `content`, or a dict of its fields), deduplicated, in order."""
    text = "\n\n".join(str(content.get(field) or "") for field in LINK_FIELDS)
    return [target[:TARGET_MAX_LENGTH] for target in wikilink_targets(text)]


def page_link_targets(page: Page) -> list[str]:
    return content_link_targets({field: getattr(page, field, "") for field in LINK_FIELDS})


def link_targets_resolve(targets: Iterable[str]) -> dict[str, int]:
    """Map each target text to the id of an existing page (code first, then title)."""
    wanted = {t for t in targets if t}
    if not wanted:
        return {}
    resolved: dict[str, int] = {}
    by_code: dict[str, list[str]] = {}
    for target in wanted:
        by_code.setdefault(target.upper(), []).append(target)
    for code, pk in CompetencyPage.objects.filter(code__in=list(by_code)).values_list("code", "pk"):
        for target in by_code.get(code.upper(), []):
            resolved[target] = pk
    remaining = [t for t in wanted if t not in resolved]
    if remaining:
        by_title: dict[str, list[str]] = {}
        for target in remaining:
            by_title.setdefault(target.upper(), []).append(target)
        pages = (
            Page.objects.annotate(title_upper=Upper("title"))
            .filter(title_upper__in=list(by_title), depth__gt=1)
            .order_by("-depth", "-pk")  # the shallowest, oldest page wins (written last)
            .values_list("title_upper", "pk")
        )
        for title_upper, pk in pages:
            for target in by_title.get(title_upper, []):
                resolved[target] = pk
    return resolved


def page_links_update(page: Page, *, live: bool | None = None) -> list[PageLink]:
    """Replace the page's outgoing links by those its Markdown fields hold now: as its latest
    version, and as its published version too when `live` (default: when the page is live and
    has no newer draft)."""
    if live is None:
        live = page.live and not page.has_unpublished_changes
    targets = page_link_targets(page)
    if live:
        _links_replace(page.pk, targets, version="in_live")
    return _links_replace(page.pk, targets, version="in_latest")


def page_links_update_from_content(
    *, page_id: int, content: dict, version: str = "in_latest"
) -> list[PageLink]:
    """The same from a revision's content. Every saved revision updates the latest version's
    links (the working version editors read); each publication, the published version's."""
    return _links_replace(page_id, content_link_targets(content), version=version)


@transaction.atomic
def _links_replace(page_id: int, targets: list[str], *, version: str) -> list[PageLink]:
    """Make `targets` the links of one version (`in_latest` or `in_live`) of the page; a link
    in neither version is deleted. Returns that version's links."""
    assert version in ("in_latest", "in_live")
    resolved = link_targets_resolve(targets)
    links = PageLink.objects.filter(source_id=page_id)
    links.exclude(target_text__in=targets).filter(**{version: True}).update(**{version: False})
    links.filter(in_latest=False, in_live=False).delete()
    links.filter(target_text__in=targets).update(**{version: True})
    existing = set(links.filter(target_text__in=targets).values_list("target_text", flat=True))
    PageLink.objects.bulk_create(
        [
            PageLink(
                source_id=page_id,
                target_id=resolved.get(target),
                target_text=target,
                in_latest=version == "in_latest",
                in_live=version == "in_live",
            )
            for target in dict.fromkeys(targets)
            if target not in existing
        ]
    )
    return list(links.filter(**{version: True}))


def _names(page: Page) -> list[str]:
    names = [page.title.upper()]
    code = getattr(page, "code", "")
    if isinstance(page, CompetencyPage) and code:
        names.insert(0, code.upper())
    return names


@transaction.atomic
def page_links_retarget(page: Page) -> int:
    """After a page is created or renamed: attach the red links that name it, and re-resolve
    the links that pointed to it by a name it no longer has. Returns the rows changed."""
    names = _names(page)
    stale = list(
        PageLink.objects.annotate(text_upper=Upper("target_text"))
        .filter(target_id=page.pk)
        .exclude(text_upper__in=names)
        .values_list("pk", "target_text")
    )
    changed = 0
    if stale:
        resolved = link_targets_resolve({text for _pk, text in stale})
        for pk, text in stale:
            changed += PageLink.objects.filter(pk=pk).update(target_id=resolved.get(text))
    pending = PageLink.objects.annotate(text_upper=Upper("target_text")).filter(
        Q(target__isnull=True) & Q(text_upper__in=names)
    )
    for target_text in set(pending.values_list("target_text", flat=True)):
        # A code always wins over a title; a title only claims what nothing else answers.
        resolved = link_targets_resolve([target_text])
        if resolved.get(target_text) == page.pk:
            changed += PageLink.objects.filter(target__isnull=True, target_text=target_text).update(
                target_id=page.pk
            )
    return changed


LINKED_PAGE_MODELS = (HomePage, ReferentielPage, DomainPage, CompetencyPage)


def page_links_rebuild_count() -> int:
    return sum(model.objects.count() for model in LINKED_PAGE_MODELS)


def page_links_rebuild(progress: Callable[[int], None] | None = None) -> int:
    """Recompute every wiki page's links from its latest and its published revisions (after a
    bulk import, or on a database filled before the link graph existed). Returns the number
    of links of the latest versions; `progress(1)` is called after each page."""
    total = 0
    for model in LINKED_PAGE_MODELS:
        for page in model.objects.all():
            if page.live:
                _links_replace(page.pk, page_link_targets(page), version="in_live")
            total += len(page_links_update(page.get_latest_revision_as_object(), live=False))
            if progress:
                progress(1)
    return total
