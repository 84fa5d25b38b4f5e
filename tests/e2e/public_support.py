"""The radiology pilot made public for the public journeys: its seeded drafts published, then
frozen as edition 1.0 (and, when asked, a 1.1 with one competency reworded)."""

from __future__ import annotations

from wagtail.models import Page

from wiki.models import CompetencyPage, Edition, ReferentielPage
from wiki.services.editions import edition_publish

RADIOLOGY = "radiologie-3e-cycle"
GENERAL_PRACTICE = "medecine-generale-3e-cycle"
SOCLE = "socle-numerique-en-sante"


def pilot_published(slug: str = RADIOLOGY) -> ReferentielPage:
    """Publish the latest revision of every page of a seeded pilot (parents first)."""
    referentiel = ReferentielPage.objects.get(slug=slug)
    for page in Page.objects.descendant_of(referentiel, inclusive=True).order_by("path"):
        page.specific.get_latest_revision().publish()
    referentiel.refresh_from_db()
    return referentiel


def radiology_editions(*, minor: bool = False) -> list[Edition]:
    """The pilot published and frozen as 1.0; with `minor`, then reworded and frozen as 1.1."""
    referentiel = pilot_published()
    editions = [
        edition_publish(
            referentiel=referentiel,
            kind="major",
            changelog="Première édition validée par le comité de pilotage.",
        )
    ]
    if minor:
        page = CompetencyPage.objects.descendant_of(referentiel).get(code="RAD-D1-C01")
        draft = page.get_latest_revision_as_object()
        draft.statement = draft.statement + " Dans le respect du cadre réglementaire."
        draft.save_revision().publish()
        editions.append(
            edition_publish(
                referentiel=referentiel, kind="minor", changelog="Une compétence reformulée."
            )
        )
    return editions


def page_url(code: str) -> str:
    """The public address of the competency whose code is `code`."""
    return CompetencyPage.objects.get(code=code).url
