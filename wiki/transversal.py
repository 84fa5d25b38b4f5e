"""The socle × specialties matrix (« éléments transversaux »): for each competency of the
national socle, the competencies of the other référentiels that refine it (`socle_refs`).

Everything goes through the visibility rule: the public sees published pages only; a reader of
drafts also sees the drafts they may read (marked, as « Déclinée dans » does)."""

from __future__ import annotations

from dataclasses import dataclass

from wiki import visibility
from wiki.models import CompetencyPage, DomainPage, ReferentielPage
from wiki.models.pages import SOCLE_SLUG


@dataclass(frozen=True)
class MatrixRow:
    competency: CompetencyPage
    cells: tuple[tuple[CompetencyPage, ...], ...]  # one per column, in the columns' order

    @property
    def refined(self) -> bool:
        return any(self.cells)


@dataclass(frozen=True)
class MatrixDomain:
    domain: DomainPage
    rows: tuple[MatrixRow, ...]


@dataclass(frozen=True)
class SocleMatrix:
    socle: ReferentielPage
    columns: tuple[ReferentielPage, ...]  # the référentiels that refine some socle competency
    domains: tuple[MatrixDomain, ...]

    @property
    def refinements(self) -> int:
        return sum(len(cell) for d in self.domains for row in d.rows for cell in row.cells)


def socle_matrix(reader: visibility.Reader) -> SocleMatrix | None:
    """The matrix as `reader` may see it; None when they may not read the socle."""
    socle = visibility.published_pages(ReferentielPage.objects.filter(slug=SOCLE_SLUG), reader)
    socle = socle.first()
    if socle is None:
        return None
    domains = list(
        visibility.published_pages(DomainPage.objects.child_of(socle), reader).order_by("path")
    )
    socle_competencies = list(
        visibility.published_pages(CompetencyPage.objects.descendant_of(socle), reader).order_by(
            "path"
        )
    )
    refining = list(
        visibility.visible_pages(
            CompetencyPage.objects.filter(socle_refs__in=socle_competencies)
            .not_descendant_of(socle)
            .distinct(),
            reader,
        ).order_by("path")
    )
    referentiels = list(
        visibility.visible_pages(
            ReferentielPage.objects.exclude(pk=socle.pk).select_related("specialty"), reader
        ).order_by("title")
    )
    referentiel_of = {}
    for competency in refining:
        referentiel_of[competency.pk] = next(
            (r for r in referentiels if competency.path.startswith(r.path)), None
        )
    columns = tuple(r for r in referentiels if r in referentiel_of.values())
    refs: dict[int, set[int]] = {}
    for competency_id, socle_id in CompetencyPage.socle_refs.through.objects.filter(
        from_competencypage__in=refining, to_competencypage__in=socle_competencies
    ).values_list("from_competencypage_id", "to_competencypage_id"):
        refs.setdefault(socle_id, set()).add(competency_id)

    def row(competency: CompetencyPage) -> MatrixRow:
        refiners = refs.get(competency.pk, set())
        return MatrixRow(
            competency=competency,
            cells=tuple(
                tuple(c for c in refining if c.pk in refiners and referentiel_of[c.pk] == column)
                for column in columns
            ),
        )

    return SocleMatrix(
        socle=socle,
        columns=columns,
        domains=tuple(
            MatrixDomain(
                domain=domain,
                rows=tuple(row(c) for c in socle_competencies if c.path.startswith(domain.path)),
            )
            for domain in domains
        ),
    )
