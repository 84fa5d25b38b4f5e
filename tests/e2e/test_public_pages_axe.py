"""Every public page type, read anonymously at phone (390 px) and desktop widths: axe-core
finds no serious or critical violation (WCAG 2.1 A/AA rules), and no page scrolls sideways at
390 px (a wide table scrolls inside its own region).

The radiology pilot is published and frozen as editions 1.0 and 1.1, so that a socle
competency shows « Déclinée dans », and an edition has a diff and a journal; the general
practice pilot is published without an edition."""

import pytest
from playwright.sync_api import expect

from search.connection import breaker
from search.indexing import index_drop_all, index_rebuild
from tests.e2e.public_support import (
    GENERAL_PRACTICE,
    RADIOLOGY,
    SOCLE,
    page_url,
    pilot_published,
    radiology_editions,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

BLOCKING = {"serious", "critical"}


@pytest.fixture
def public_site(seeded, elasticsearch):
    radiology_editions(minor=True)
    pilot_published(GENERAL_PRACTICE)  # published, without an edition
    breaker.reset()
    index_rebuild()  # the seed was reloaded after Django flushed the tables: new page ids
    yield
    index_drop_all()


def _public_pages() -> list[tuple[str, str]]:
    """(what, address) of one page of each public type."""
    return [
        ("home", "/"),
        ("référentiels, filtered", "/referentiels/?profession=medecin&cycle=3"),
        ("live référentiel", f"/{RADIOLOGY}/"),
        ("domain", f"/{RADIOLOGY}/ia-en-imagerie/"),
        ("competency", page_url("RAD-D2-C02")),
        ("socle competency refined elsewhere", page_url("SOCLE-D2-C02")),
        ("latest edition", f"/referentiels/{RADIOLOGY}/"),
        ("edition 1.0", f"/referentiels/{RADIOLOGY}/v1.0/"),
        ("référentiel without an edition yet", f"/referentiels/{GENERAL_PRACTICE}/"),
        ("socle edition", f"/referentiels/{SOCLE}/v1.0/"),
        ("diff of two editions", f"/referentiels/{RADIOLOGY}/v1.0/diff/v1.1/"),
        ("journal of an edition", f"/referentiels/{RADIOLOGY}/v1.1/journal/"),
        ("programme", "/programme/"),
        ("programme: phases", "/programme/phases/"),
        ("programme: AMI-CMA laureates", "/programme/laureats-ami-cma/?action=5"),
        ("programme: universities", "/programme/universites/"),
        ("programme: ETU e-Santé", "/programme/etu-e-sante/"),
        ("socle matrix", "/programme/matrice-socle/"),
        ("search results", "/recherche/?q=t%C3%A9l%C3%A9radiologie"),
        ("recent changes", "/wiki/modifications-recentes/"),
        ("national dashboard", "/tableau-de-bord/"),
        ("API docs", "/api/v1/docs"),
        ("login", "/connexion/"),
        ("not found", "/cette-page-n-existe-pas/"),
    ]


def _sideways_scroll(page) -> int:
    """How many CSS pixels the page is wider than the window (0: no horizontal scroll)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
    )


def _summary(violations: list[dict]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in violations
    ]


@pytest.mark.parametrize("width", [390, 1366])
def test_every_public_page_type_passes_axe_and_fits_the_width(public_site, page, axe, width):
    page.set_viewport_size({"width": width, "height": 900})
    failures: dict[str, list[str]] = {}
    for what, url in _public_pages():
        response = page.goto(url)
        expected = 404 if what == "not found" else 200
        assert response.status == expected, (what, url, response.status)
        expect(page.locator("h1, h2").first).to_be_visible()
        problems = _summary([v for v in axe(page) if v["impact"] in BLOCKING])
        if width == 390 and (overflow := _sideways_scroll(page)):
            problems.append(f"the page scrolls sideways by {overflow} px")
        if problems:
            failures[f"{what} {url}"] = problems
    assert not failures, "\n".join(
        f"{where}:\n  " + "\n  ".join(problems) for where, problems in failures.items()
    )
