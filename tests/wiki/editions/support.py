"""Published référentiels built for the edition tests (Wagtail pages, published revisions)."""

from __future__ import annotations

import itertools

from wiki.models import (
    CompetencyPage,
    DomainPage,
    EvaluationMethod,
    HomePage,
    Institution,
    LearningOutcome,
    ReferentielPage,
)

_numbers = itertools.count(1)


def published_referentiel(
    *, domains: int = 2, per_domain: int = 3, live: bool = True, prefix: str | None = None
) -> ReferentielPage:
    """A référentiel of CERF with `domains` × `per_domain` competencies, all published
    (`live=False`: saved as drafts only)."""
    n = next(_numbers)
    prefix = prefix or f"ED{n}"
    home = HomePage.objects.get()
    referentiel = ReferentielPage(
        title=f"Référentiel d'édition {n}",
        slug=f"referentiel-edition-{n}",
        college=Institution.objects.get(slug="cerf"),
        cycle="3",
        intro="Introduction du référentiel.",
        live=live,
    )
    home.add_child(instance=referentiel)
    _publish(referentiel, live)
    method = EvaluationMethod.objects.get(code="ecos")
    for d in range(1, domains + 1):
        domain = DomainPage(
            title=f"Domaine {d}", slug=f"domaine-{d}", code=f"{prefix}-D{d}", live=live
        )
        referentiel.add_child(instance=domain)
        _publish(domain, live)
        for c in range(1, per_domain + 1):
            page = CompetencyPage(
                title=f"Compétence {d}.{c}",
                slug=f"competence-{d}-{c}",
                code=f"{prefix}-D{d}-C{c}",
                statement=f"Utiliser les outils numériques pour la tâche {d}.{c}",
                learning_outcomes=[LearningOutcome(text=f"Acquis {d}.{c}", sort_order=0)],
                live=live,
            )
            page.evaluation_methods = [method]
            domain.add_child(instance=page)
            _publish(page, live)
    referentiel.refresh_from_db()
    return referentiel


def _publish(page, live: bool) -> None:
    revision = page.save_revision()
    if live:
        revision.publish()


def competency(referentiel: ReferentielPage, code: str) -> CompetencyPage:
    return CompetencyPage.objects.descendant_of(referentiel).get(code=code)


def edit_published(page, **values) -> None:
    """A new published revision of `page` with `values` changed."""
    draft = page.get_latest_revision_as_object()
    for name, value in values.items():
        setattr(draft, name, value)
    draft.save_revision().publish()
