"""The wiki's part of the read API (`/api/v1/`, gathered in `config/api.py`): référentiels,
their editions and competencies as the public reads them (published pages, through
`wiki.visibility`; editions of a référentiel the public may read, from their snapshots)."""

from __future__ import annotations

from datetime import datetime

from django.db.models.fields.json import KT
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from wiki.models import CompetencyPage, Edition, ReferentielPage
from wiki.public import competencies_public, competency_public, referentiels_public
from wiki.services.editions import edition_get, edition_previous, edition_snapshot
from wiki.snapshots import ReferentielSnapshot, public_referentiel, referentiel_snapshot_live

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

router = Router(tags=["référentiels"])


class Downloads(Schema):
    pdf: str
    csv: str
    xlsx: str
    case: str = Field(description="CASE 1.1 CFPackage (JSON)")


class ReferentielOut(Schema):
    slug: str
    title: str
    college: str
    specialty: str
    professions: list[str]
    cycle: str = Field(description="« 2 » or « 3 »: the cycle of studies")
    cycle_label: str
    phase: int
    phase_label: str
    url: str = Field(description="the public page")
    downloads: Downloads
    last_published_at: datetime | None


class CompetencyOut(Schema):
    code: str
    title: str
    statement: str
    rank: str
    learning_outcomes: list[str]
    evaluation_methods: list[str]
    socle_refs: list[str] = Field(description="codes of the socle competencies it refines")


class CompetencyListOut(CompetencyOut):
    """Read from a page of `wiki.public.competencies_public` (annotated with its domain and
    référentiel)."""

    referentiel: str = Field(description="slug of its référentiel")
    domain: str = Field(description="code of its domain")
    domain_title: str
    url: str = Field(description="the public page")

    @staticmethod
    def resolve_learning_outcomes(page: CompetencyPage) -> list[str]:
        return [o.text for o in page.learning_outcomes.all()]

    @staticmethod
    def resolve_evaluation_methods(page: CompetencyPage) -> list[str]:
        return sorted(m.name for m in page.evaluation_methods.all())

    @staticmethod
    def resolve_socle_refs(page: CompetencyPage) -> list[str]:
        return sorted(s.code for s in page.socle_refs.all())

    @staticmethod
    def resolve_referentiel(page: CompetencyPage) -> str:
        return page.referentiel_slug

    @staticmethod
    def resolve_domain(page: CompetencyPage) -> str:
        return page.domain_code

    @staticmethod
    def resolve_url(page: CompetencyPage) -> str:
        return page.url


class DomainOut(Schema):
    code: str
    title: str
    intro: str
    competencies: list[CompetencyOut]


class ReferentielDetailOut(ReferentielOut):
    intro: str
    source: str
    domains: list[DomainOut]


class EditionOut(Schema):
    version: str = Field(description="« major.minor », e.g. 1.0")
    kind: str = Field(description="« major » (a revision) or « minor » (an amendment)")
    kind_label: str
    title: str = Field(description="the référentiel's title in this edition")
    published_at: datetime
    changelog: str = Field(description="what changed, in Markdown")
    url: str = Field(description="the public page of the edition")
    journal_url: str
    downloads: Downloads


class EditionDetailOut(EditionOut):
    referentiel: str = Field(description="slug of its référentiel")
    previous_version: str | None
    socle_version: str = Field(description="the socle edition its socle links point into")
    intro: str
    source: str
    domains: list[DomainOut]


def _edition_downloads(slug: str, version: str) -> dict:
    return {
        kind: reverse(f"referentiels:edition-export-{kind}", args=[slug, version])
        for kind in ("pdf", "csv", "xlsx", "case")
    }


def _edition(edition: Edition, slug: str, title: str) -> dict:
    return {
        "version": edition.version,
        "kind": edition.kind,
        "kind_label": str(Edition.Kind(edition.kind).label),
        "title": title,
        "published_at": edition.published_at,
        "changelog": edition.changelog,
        "url": reverse("referentiels:edition", args=[slug, edition.version]),
        "journal_url": reverse("referentiels:edition-journal", args=[slug, edition.version]),
        "downloads": _edition_downloads(slug, edition.version),
    }


def _downloads(slug: str) -> dict:
    return {
        kind: reverse(f"referentiels:export-{name}", args=[slug])
        for kind, name in (("pdf", "pdf"), ("csv", "csv"), ("xlsx", "xlsx"), ("case", "case"))
    }


def _referentiel(page: ReferentielPage) -> dict:
    return {
        "slug": page.slug,
        "title": page.title,
        "college": page.college.name,
        "specialty": page.specialty.name if page.specialty else "",
        "professions": sorted(p.name for p in page.professions.all()),
        "cycle": page.cycle,
        "cycle_label": str(page.get_cycle_display()),
        "phase": page.phase,
        "phase_label": str(page.get_phase_display()),
        "url": page.url,
        "downloads": _downloads(page.slug),
        "last_published_at": page.last_published_at,
    }


def _snapshot_domains(snapshot: ReferentielSnapshot) -> list[dict]:
    return [
        {
            "code": domain.code,
            "title": domain.title,
            "intro": domain.intro,
            "competencies": [
                {
                    "code": c.code,
                    "title": c.title,
                    "statement": c.statement,
                    "rank": c.rank,
                    "learning_outcomes": list(c.learning_outcomes),
                    "evaluation_methods": list(c.evaluation_methods),
                    "socle_refs": list(c.socle_refs),
                }
                for c in domain.competencies
            ],
        }
        for domain in snapshot.domains
    ]


@router.get("/referentiels/", response=list[ReferentielOut], summary="Published référentiels")
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def referentiel_list(request: HttpRequest):
    return [_referentiel(page) for page in referentiels_public()]


@router.get(
    "/referentiels/{slug}/",
    response=ReferentielDetailOut,
    summary="A published référentiel with its domains and competencies",
)
def referentiel_detail(request: HttpRequest, slug: str):
    page = public_referentiel(slug)
    if page is None:
        raise Http404
    snapshot = referentiel_snapshot_live(page)
    return {
        **_referentiel(page),
        "intro": snapshot.intro,
        "source": snapshot.source,
        "domains": _snapshot_domains(snapshot),
    }


@router.get("/competencies/", response=list[CompetencyListOut], summary="Published competencies")
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def competency_list(request: HttpRequest, referentiel: str = "", domain: str = ""):
    """Every published competency, in the order of the référentiels' trees; `referentiel`
    (a slug) and `domain` (a domain code, e.g. `D1`) narrow the list."""
    return competencies_public(referentiel=referentiel, domain=domain)


@router.get("/competencies/{code}/", response=CompetencyListOut, summary="A published competency")
def competency_detail(request: HttpRequest, code: str):
    page = competency_public(code)
    if page is None:
        raise Http404
    return page


@router.get(
    "/referentiels/{slug}/editions/",
    response=list[EditionOut],
    summary="The published editions of a référentiel, newest first",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def edition_list(request: HttpRequest, slug: str):
    page = public_referentiel(slug)
    if page is None:
        raise Http404
    editions = (
        Edition.objects.for_referentiel(page)
        .newest_first()
        .defer("snapshot", "provenance")
        .annotate(snapshot_title=KT("snapshot__title"))
    )
    return [_edition(e, page.slug, e.snapshot_title) for e in editions]


@router.get(
    "/referentiels/{slug}/editions/{version}/",
    response=EditionDetailOut,
    summary="One edition: its metadata, changelog and content (domains, competencies)",
)
def edition_detail(request: HttpRequest, slug: str, version: str):
    page = public_referentiel(slug)
    edition = edition_get(slug, version) if page is not None else None
    if edition is None or edition.referentiel_id != page.pk:
        raise Http404
    snapshot = edition_snapshot(edition)
    previous = edition_previous(edition)
    return {
        **_edition(edition, page.slug, snapshot.title),
        "referentiel": page.slug,
        "previous_version": previous.version if previous is not None else None,
        "socle_version": edition.socle_version,
        "intro": snapshot.intro,
        "source": snapshot.source,
        "domains": _snapshot_domains(snapshot),
    }
