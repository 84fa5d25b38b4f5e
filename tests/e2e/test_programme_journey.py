"""The programme's pages, from the footer, at desktop and phone widths: every page passes
axe-core and its main content fits the width (wide tables scroll inside their own region)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def _main_fits(page) -> bool:
    return page.evaluate(
        "() => { const m = document.querySelector('main');"
        " return m.scrollWidth <= m.clientWidth + 1; }"
    )


@pytest.mark.parametrize("width", [1366, 390])
def test_the_programme_pages_from_the_footer(seeded, page, axe, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Programme IA_SaNSeS").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Le programme IA_SaNSeS")
    assert axe(page) == []

    page.get_by_role("main").get_by_role("link", name="Lauréats de l’AMI-CMA").first.click()
    expect(page.get_by_role("table")).to_contain_text("SaNuRN")
    expect(page.locator("table caption")).to_have_text("30 projets lauréats")
    assert axe(page) == []
    assert _main_fits(page)
    page.get_by_role("link", name="Action 5", exact=False).first.click()
    expect(page).to_have_url(re.compile(r"/programme/laureats-ami-cma/\?action=5$"))
    expect(page.locator("table caption")).to_contain_text("couvrant l’action 5")
    expect(page.get_by_role("table")).to_contain_text("ArcliMeD")
    assert axe(page) == []

    page.get_by_role("navigation", name="Le programme").get_by_role(
        "link", name="Universités du plan"
    ).click()
    expect(page.get_by_role("table")).to_contain_text("Université de Franche-Comté")
    assert axe(page) == []
    assert _main_fits(page)

    page.get_by_role("navigation", name="Le programme").get_by_role(
        "link", name="ETU e-Santé"
    ).click()
    expect(page.get_by_role("heading", level=2).first).to_have_text("Santé numérique")
    assert axe(page) == []

    page.get_by_role("navigation", name="Le programme").get_by_role(
        "link", name="Les quatre phases"
    ).click()
    expect(page.get_by_role("main")).to_contain_text("24 mois")
    assert axe(page) == []
    assert _main_fits(page)
