"""Everyday use, in headless Chromium, on a phone (390 px) and a laptop (1366 px): the public,
an editor and a patroller go through their main pages. On every page: axe-core finds no serious
or critical violation and the page does not scroll sideways. Screenshots of each page are saved
under test-artifacts/screenshots/<width>/ (the path is printed) for a reviewer to look at."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from tests.wiki.history_support import account, edit, radiology_competency
from wiki.models import CompetencyPage

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
VIEWPORTS = {"phone": (390, 844), "laptop": (1366, 768)}


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


@pytest.fixture
def check(axe, viewport):
    width, _height = VIEWPORTS[viewport]
    folder = SCREENSHOTS / str(width)
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")

    def run(page, name: str) -> None:
        page.wait_for_load_state("load")
        overflow = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        wide = page.evaluate(
            """() => {
                const scrolls = (e) => {
                    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
                        if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) {
                            return true;
                        }
                    }
                    return false;
                };
                return [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                    .filter(e => !scrolls(e))
                    .slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id);
            }"""
        )
        assert overflow[0] <= overflow[1], f"{name} scrolls sideways at {width} px: {wide}"
        serious = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in axe(page)
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], f"{name}: {serious}"
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return run


def _set_viewport(page, viewport):
    width, height = VIEWPORTS[viewport]
    page.set_viewport_size({"width": width, "height": height})
    return page


def _open_menu_if_collapsed(page, viewport):
    toggle = page.get_by_role("button", name="Menu")
    if viewport == "phone":
        expect(toggle).to_be_visible()
        expect(page.get_by_role("link", name="Modifications récentes")).to_be_hidden()
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
    else:
        expect(toggle).to_be_hidden()
    expect(page.get_by_role("link", name="Modifications récentes")).to_be_visible()


def test_public_journey(seeded, page, viewport, check):
    _set_viewport(page, viewport)
    page.goto("/")
    expect(page.get_by_role("heading", level=2, name="Référentiels publiés")).to_be_visible()
    check(page, "public-1-home")
    _open_menu_if_collapsed(page, viewport)
    check(page, "public-2-menu")

    socle = CompetencyPage.objects.get(code="SOCLE-D1-C02")
    page.goto(socle.url)
    expect(page.get_by_text("Déclinée dans")).to_have_count(0)  # drafts only: not public
    expect(page.locator("#competency-facts")).to_contain_text("Domaine")
    check(page, "public-3-competency")

    page.goto(socle.get_parent().url)
    check(page, "public-4-domain")

    page.goto("/recherche/?q=donnees+de+sante")
    results = page.locator(".search-results")
    facets = page.locator(".search-facets")
    expect(results).to_be_visible()
    if facets.count():
        # On a phone the results come before the filters; on a laptop the filters sit left.
        results_box, facets_box = results.bounding_box(), facets.bounding_box()
        if viewport == "phone":
            assert results_box["y"] < facets_box["y"]
        else:
            assert facets_box["x"] < results_box["x"]
    check(page, "public-5-search")

    page.goto(reverse("wiki:recent-changes"))
    check(page, "public-6-recent-changes")

    page.goto(reverse("login") + "?next=/")
    expect(page.get_by_label("Nom d’utilisateur")).to_be_visible()
    expect(page.get_by_label("Mot de passe")).to_be_visible()
    check(page, "public-7-login")


def test_editor_journey(seeded, user_page, viewport, check):
    page = _set_viewport(user_page("editeur.radiologie"), viewport)
    page.goto(reverse("wiki:my-drafts"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes brouillons")
    check(page, "editor-1-my-drafts")
    _open_menu_if_collapsed(page, viewport)
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()

    competency = radiology_competency()
    page.goto(reverse("wiki:draft", args=[competency.pk]))
    check(page, "editor-2-draft")
    page.goto(reverse("wiki:edit", args=[competency.pk]))
    check(page, "editor-3-edit")
    page.goto(reverse("wiki:history", args=[competency.pk]))
    check(page, "editor-4-history")


def test_patroller_journey(seeded, user_page, viewport, check):
    change = edit(radiology_competency(), account("editeur.radiologie"), statement="À relire")
    page = _set_viewport(user_page("patrouilleur"), viewport)

    page.goto(reverse("wiki:recent-changes"))
    count = page.locator(f'.unpatrolled-summary tr[data-college-id="{change.college_id}"] td')
    before = int(count.inner_text())
    check(page, "patroller-1-recent-changes")
    row = page.locator(f"#change-{change.pk}")
    row.get_by_role("button", name="Marquer comme patrouillée").click()
    expect(row.get_by_text("patrouillée", exact=True)).to_be_visible()
    expect(count).to_have_text(str(before - 1))  # the summary follows the patrol in place

    second = edit(radiology_competency(), account("editeur.radiologie"), statement="Encore")
    page.goto(reverse("wiki:diff", args=[second.page_id]) + f"?a={second.revision_id}")
    button = page.get_by_role("button", name="Marquer comme patrouillée")
    expect(button).to_be_visible()
    check(page, "patroller-2-diff")
    button.click()
    expect(page.get_by_role("button", name="Marquer comme patrouillée")).to_have_count(0)
    check(page, "patroller-3-diff-patrolled")
