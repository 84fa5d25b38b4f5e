"""The national dashboard at phone and desktop widths, for the public and for the committee:
axe-core finds no violation, nothing sticks out of the viewport (the timeline and the tables
scroll inside their own labelled regions), the SVG chart has its data table."""

import pytest
from playwright.sync_api import expect

from tests.consensus.lifecycle.helpers import committee

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def _fits(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [1366, 390])
def test_the_dashboard_for_the_public_and_the_committee(seeded, page, user_page, axe, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Tableau de bord national").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord national")
    expect(page.locator("tr[data-referentiel='socle-numerique-en-sante']")).to_contain_text(
        "Publié"
    )
    expect(page.get_by_role("img", name="Calendrier des référentiels")).to_be_visible()
    expect(page.locator("table.dashboard-timeline")).to_be_visible()
    assert page.get_by_role("heading", name="Ce qui vous attend").count() == 0
    assert axe(page) == []
    assert _fits(page)

    member = committee()
    staff = user_page(member.username)
    staff.set_viewport_size({"width": width, "height": 900})
    staff.goto("/tableau-de-bord/")
    expect(staff.get_by_role("heading", name="Ce qui vous attend")).to_be_visible()
    expect(staff.locator(".dashboard-gates")).to_contain_text("Aucun référent n'est nommé")
    assert axe(staff) == []
    assert _fits(staff)
