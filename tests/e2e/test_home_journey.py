"""Home → a socle domain → a competency, in headless Chromium, with an accessibility check."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_to_domain_to_competency(seeded, page, axe):
    page.goto("/")
    expect(page).to_have_title("Wiki IA_SaNSeS")
    assert page.locator("html").get_attribute("lang") == "fr"
    expect(page.get_by_role("heading", level=1)).to_have_text("Wiki IA_SaNSeS")
    expect(page.get_by_role("link", name="Référentiel socle du numérique en santé")).to_be_visible()
    assert axe(page) == []

    page.get_by_role("link", name="D2 Cybersécurité").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cybersécurité")
    assert axe(page) == []

    page.get_by_role("link", name="Se prémunir et réagir face aux incidents").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Se prémunir et réagir face aux incidents"
    )
    expect(page.locator(".code").first).to_contain_text("SOCLE-D2-C02")
    assert axe(page) == []


def test_skip_link_reaches_main_content(seeded, page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu principal")
    expect(skip).to_be_focused()
    skip.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()
