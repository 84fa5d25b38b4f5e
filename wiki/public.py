"""What the public reads of the référentiels, as queries for the read API: published pages only,
through the visibility rule (`wiki.visibility`, the anonymous reader).

A competency is public when its page, its domain and its référentiel are published and
unrestricted: the same pages a référentiel snapshot (`wiki.snapshots`) holds."""

from __future__ import annotations

from django.db.models import F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Greatest, Length, Substr
from wagtail.models import Page

from wiki import visibility
from wiki.models import CompetencyPage, DomainPage, ReferentielPage
from wiki.snapshots import public_referentiels


def referentiels_public() -> QuerySet[ReferentielPage]:
    """The published référentiels, by title, with what their listing shows."""
    return (
        public_referentiels().select_related("college", "specialty").prefetch_related("professions")
    )


def competencies_public(*, referentiel: str = "", domain: str = "") -> QuerySet[CompetencyPage]:
    """Published competencies of published domains of published référentiels, in the tree's
    order, annotated with `domain_code`, `domain_title` and `referentiel_slug`; optionally
    those of one référentiel (slug) and one domain (code)."""
    steplen = Page.steplen
    domains = visibility.published_pages(DomainPage.objects.all(), visibility.PUBLIC).filter(
        path=OuterRef("domain_path")
    )
    referentiels = public_referentiels().filter(path=OuterRef("referentiel_path")).order_by()
    queryset = (
        visibility.published_pages(CompetencyPage.objects.all(), visibility.PUBLIC)
        # Greatest: PostgreSQL may compute these for rows the type join drops later (the root's
        # path is shorter than two steps), and a negative length is an error, not an empty string.
        .annotate(
            domain_path=Substr("path", 1, Greatest(Length("path") - steplen, Value(0))),
            referentiel_path=Substr("path", 1, Greatest(Length("path") - 2 * steplen, Value(0))),
        )
        .annotate(
            domain_code=Subquery(domains.values("code")[:1]),
            domain_title=Subquery(domains.values("title")[:1]),
            referentiel_slug=Subquery(referentiels.values("slug")[:1]),
        )
        .filter(domain_code__isnull=False, referentiel_slug__isnull=False)
        .prefetch_related("learning_outcomes", "evaluation_methods", "socle_refs")
        .order_by(F("path"))
    )
    if referentiel:
        queryset = queryset.filter(referentiel_slug=referentiel)
    if domain:
        queryset = queryset.filter(domain_code=domain)
    return queryset


def competency_public(code: str) -> CompetencyPage | None:
    return competencies_public().filter(code=code).first()
