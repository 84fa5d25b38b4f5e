"""Read-side queries of the wiki. Each name says what it returns."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from wagtail.models import Page

from wiki.markdown import LinkTarget, normalise_target
from wiki.models import CompetencyPage, DomainPage, ReferentielPage


def published_referentiels() -> QuerySet[ReferentielPage]:
    return (
        ReferentielPage.objects.live()
        .public()
        .select_related("college", "specialty")
        .order_by("phase", "title")
    )


def socle_domains() -> QuerySet[DomainPage]:
    socle = ReferentielPage.objects.live().filter(slug="socle-numerique-en-sante").first()
    if socle is None:
        return DomainPage.objects.none()
    return DomainPage.objects.child_of(socle).live()


def wikilink_targets_resolved(targets: Iterable[str]) -> dict[str, LinkTarget]:
    """Resolve wikilink targets by competency code first, then by page title (live pages).

    Two queries whatever the number of links.
    """
    wanted = {normalise_target(t) for t in targets}
    if not wanted:
        return {}
    resolved: dict[str, LinkTarget] = {}
    codes = {t.upper(): t for t in wanted}
    for code, title, url_path in (
        CompetencyPage.objects.live()
        .filter(code__in=list(codes))
        .values_list("code", "title", "url_path")
    ):
        resolved[codes[code]] = LinkTarget(url=_url(url_path), title=title)
    remaining = [t for t in wanted if t not in resolved]
    if remaining:
        title_q = Q()
        for title in remaining:
            title_q |= Q(title__iexact=title)
        lowered = {t.lower(): t for t in remaining}
        for title, url_path in (
            Page.objects.live().filter(title_q).order_by("depth").values_list("title", "url_path")
        ):
            key = lowered.get(title.lower())
            if key and key not in resolved:
                resolved[key] = LinkTarget(url=_url(url_path), title=title)
    return resolved


def _url(url_path: str) -> str:
    # url_path is "/home/…/" under the site root page: drop the root's segment.
    parts = url_path.strip("/").split("/", 1)
    return "/" + (parts[1] + "/" if len(parts) > 1 else "")
