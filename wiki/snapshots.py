"""A référentiel as its public reads it, frozen in plain data: what every export is built from.

A snapshot is taken from the live pages (their published revisions, through the visibility
rule); editions (wiki.models.Edition) store the same structure as JSON (`snapshot_to_json`,
`snapshot_from_json`), so exports never need to know where it came from."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime

from django.utils.text import slugify

from wiki import visibility
from wiki.models import CaseImport, CaseItem, CompetencyPage, DomainPage, ReferentielPage


def code_anchor(code: str) -> str:
    """The fragment id of a domain or competency on an edition page (« SOCLE-D2-C02 » →
    « socle-d2-c02 »): links from search results and elsewhere point at it."""
    return slugify(code) or "sans-code"


@dataclass(frozen=True)
class CompetencySnapshot:
    code: str
    title: str
    statement: str
    rank: str
    learning_outcomes: tuple[str, ...]
    evaluation_methods: tuple[str, ...]
    socle_refs: tuple[str, ...]
    body: str
    references: str
    changed_at: datetime
    # What a CASE import kept of the item (wiki.models.CaseItem): {} for the wiki's own.
    case: dict = field(default_factory=dict)

    @property
    def anchor(self) -> str:
        return code_anchor(self.code)


@dataclass(frozen=True)
class DomainSnapshot:
    code: str
    title: str
    intro: str
    competencies: tuple[CompetencySnapshot, ...]
    changed_at: datetime
    case: dict = field(default_factory=dict)

    @property
    def anchor(self) -> str:
        return code_anchor(self.code)


@dataclass(frozen=True)
class ReferentielSnapshot:
    slug: str
    title: str
    college: str
    specialty: str
    professions: tuple[str, ...]
    cycle: str
    intro: str
    source: str
    domains: tuple[DomainSnapshot, ...]
    changed_at: datetime
    language: str = "fr"
    # What a CASE import kept of the package (wiki.models.CaseImport): {} for the wiki's own.
    case: dict = field(default_factory=dict)

    @property
    def competencies(self) -> list[CompetencySnapshot]:
        return [c for d in self.domains for c in d.competencies]


def _changed(page) -> datetime:
    return page.last_published_at or page.latest_revision_created_at or page.first_published_at


def referentiel_snapshot_live(
    referentiel: ReferentielPage,
    reader: visibility.Reader = visibility.PUBLIC,
    progress: Callable[[int], None] | None = None,
) -> ReferentielSnapshot:
    """The published pages of `referentiel` that `reader` may read (the public by default), in
    the tree's order. Wagtail's page rows hold the published content; drafts stay out, and so
    do competencies a committee decision withdrew. `progress` is told how many competencies
    each domain added."""
    case_items = _case_items(referentiel)
    domains = []
    domain_pages = visibility.published_pages(DomainPage.objects.child_of(referentiel), reader)
    for domain in domain_pages.order_by("path"):
        competencies = (
            visibility.published_pages(CompetencyPage.objects.child_of(domain), reader)
            .filter(withdrawn=False)
            .prefetch_related("learning_outcomes", "evaluation_methods", "socle_refs")
        )
        domains.append(
            DomainSnapshot(
                code=domain.code,
                title=domain.title,
                intro=domain.intro,
                competencies=tuple(
                    CompetencySnapshot(
                        code=c.code,
                        title=c.title,
                        statement=c.statement,
                        rank=c.rank,
                        learning_outcomes=tuple(o.text for o in c.learning_outcomes.all()),
                        evaluation_methods=tuple(
                            sorted(m.name for m in c.evaluation_methods.all())
                        ),
                        socle_refs=tuple(sorted(s.code for s in c.socle_refs.all())),
                        body=c.body,
                        references=c.references,
                        changed_at=_changed(c),
                        case=case_items.get(c.pk, {}),
                    )
                    for c in competencies.order_by("path")
                ),
                changed_at=_changed(domain),
                case=case_items.get(domain.pk, {}),
            )
        )
        if progress is not None:
            progress(len(domains[-1].competencies))
    return ReferentielSnapshot(
        slug=referentiel.slug,
        title=referentiel.title,
        college=referentiel.college.name,
        specialty=referentiel.specialty.name if referentiel.specialty else "",
        professions=tuple(sorted(p.name for p in referentiel.professions.all())),
        cycle=referentiel.get_cycle_display(),
        intro=referentiel.intro,
        source=referentiel.source,
        domains=tuple(domains),
        changed_at=max(
            [_changed(referentiel), *(d.changed_at for d in domains)],
        ),
        case=_case_package(referentiel),
    )


def _case_items(referentiel: ReferentielPage) -> dict[int, dict]:
    """What the CASE import of `referentiel` kept of each item, by page id ({} when it was
    not imported)."""
    rows = CaseItem.objects.filter(case_import__referentiel=referentiel)
    return {
        row.page_id: {
            "identifier": str(row.identifier),
            "record": row.record,
            "parent_association": row.parent_association,
            "depth": row.depth,
            "imported_title": row.imported_title,
            "imported_code": row.imported_code,
        }
        for row in rows
    }


def _case_package(referentiel: ReferentielPage) -> dict:
    found = CaseImport.objects.filter(referentiel=referentiel).first()
    if found is None:
        return {}
    return {
        "document": found.document,
        "associations": found.associations,
        "rest": found.rest,
        "items": sorted(str(i) for i in found.items.values_list("identifier", flat=True)),
    }


def snapshot_to_json(snapshot: ReferentielSnapshot) -> dict:
    """Plain JSON data (dates in ISO 8601, tuples as lists); `snapshot_from_json` reverses it."""
    return json.loads(json.dumps(asdict(snapshot), default=_json_default))


def _json_default(value):
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _from_data(cls, data: dict):
    values = {}
    for f in fields(cls):
        if f.name not in data:
            continue  # a field added later keeps its default
        value = data[f.name]
        if f.name == "changed_at":
            value = datetime.fromisoformat(value)
        elif f.name == "domains":
            value = tuple(_from_data(DomainSnapshot, d) for d in value)
        elif f.name == "competencies":
            value = tuple(_from_data(CompetencySnapshot, c) for c in value)
        elif isinstance(value, list):
            value = tuple(value)
        values[f.name] = value
    return cls(**values)


def snapshot_from_json(data: dict) -> ReferentielSnapshot:
    return _from_data(ReferentielSnapshot, data)


def snapshot_digest(data: dict) -> str:
    """SHA-256 of the canonical JSON of a serialised snapshot."""
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def public_referentiels():
    """The référentiels the public may read (live, unrestricted), by title."""
    return visibility.published_pages(ReferentielPage.objects.all(), visibility.PUBLIC).order_by(
        "title"
    )


def public_referentiel(slug: str) -> ReferentielPage | None:
    return public_referentiels().filter(slug=slug).first()
