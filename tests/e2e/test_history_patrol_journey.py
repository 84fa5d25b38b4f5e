"""In headless Chromium: a patroller patrols an edit from recent changes, compares two versions
in the page's history; the college's editor reverts the edit. axe-core on every page."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from wiki.models import Change, CompetencyPage

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, live_server, username: str) -> None:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def edit(code: str, username: str, statement: str) -> Change:
    user = get_user_model().objects.get(username=username)
    draft = CompetencyPage.objects.get(code=code).get_latest_revision_as_object()
    draft.statement = statement
    return draft.save_revision(user=user).wiki_change


def test_patroller_patrols_compares_and_reverts(seeded, page, live_server, axe):
    before = CompetencyPage.objects.get(code="RAD-D1-C01").statement
    change = edit("RAD-D1-C01", "editeur.radiologie", "Énoncé remplacé par erreur")
    log_in(page, live_server, "patrouilleur")

    page.goto("/wiki/modifications-recentes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Modifications récentes")
    row = page.locator(f"#change-{change.pk}")
    expect(row).to_contain_text("non patrouillée")
    assert axe(page) == []
    row.get_by_role("button", name="Marquer comme patrouillée").click()
    expect(page.locator("#recent-changes-live")).to_have_text(
        "La modification a été marquée comme patrouillée."
    )  # patrolled in place: the live list is not reloaded
    expect(page.locator(f"#change-{change.pk}")).not_to_contain_text("non patrouillée")

    page.goto(f"/wiki/{change.page_id}/historique/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Historique de")
    assert axe(page) == []
    page.get_by_role("button", name="Comparer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Différences")
    expect(page.locator("ins").first).to_contain_text("remplacé par erreur")
    assert axe(page) == []

    log_in(page, live_server, "editeur.radiologie")  # the college's editor reverts
    page.goto(f"/wiki/{change.page_id}/historique/")
    page.get_by_role("button", name="Révoquer vers cette version").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Historique de")
    expect(page.locator("tbody tr").first).to_contain_text("Révocation vers la révision du")
    latest = CompetencyPage.objects.get(code="RAD-D1-C01").get_latest_revision()
    assert latest.content["statement"] == before


def test_public_recent_changes_are_accessible(seeded, page, axe):
    edit("SOCLE-D1-C01", "copil", "Énoncé du socle retouché")
    page.goto("/wiki/modifications-recentes/?unpatrolled=on&period=7")
    expect(page.get_by_role("heading", level=1)).to_have_text("Modifications récentes")
    expect(page.get_by_label("Non patrouillées seulement")).to_be_checked()
    assert axe(page) == []
