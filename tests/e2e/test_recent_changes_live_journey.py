"""Done-means journey: a patroller has « Modifications récentes » open; two colleges' editors
save; both rows appear live (announced in the aria-live region) and the patroller patrols them.
Served by daphne (ASGI: HTTP + WebSocket) over the test database and Redis."""

import threading

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from wiki.models import Change, CompetencyPage

pytestmark = pytest.mark.django_db(transaction=True)


def edit_in_thread(*edits: tuple[str, str, str]) -> list[int]:
    """Save revisions outside the browser's event-loop thread (as a real request would)."""
    ids: list[int] = []

    def run():
        from django.db import connections

        try:
            for code, username, statement in edits:
                user = get_user_model().objects.get(username=username)
                draft = CompetencyPage.objects.get(code=code).get_latest_revision_as_object()
                draft.statement = statement
                ids.append(draft.save_revision(user=user).wiki_change.pk)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    return ids


def test_patroller_sees_two_edits_live_and_patrols_them(
    seeded, redis_url, asgi_server, browser, axe
):
    client = Client()
    patroller = get_user_model().objects.get(username="patrouilleur")
    client.force_login(patroller)
    context = browser.new_context(base_url=asgi_server, locale="fr-FR")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": asgi_server,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto("/wiki/modifications-recentes/")
        table = page.locator("#recent-changes")
        expect(table).to_have_attribute("data-live-state", "open")

        rad, mg = edit_in_thread(
            ("RAD-D1-C01", "editeur.radiologie", "Énoncé revu par le CERF"),
            ("MG-D1-C01", "editeur.medecine-generale", "Énoncé revu par le CNGE"),
        )
        expect(page.locator(f"#change-{rad}")).to_contain_text("non patrouillée")
        expect(page.locator(f"#change-{mg}")).to_contain_text("non patrouillée")
        expect(page.locator("#recent-changes-live")).to_have_text("2 nouvelles modifications")
        assert page.locator("tbody tr").first.get_attribute("id") == f"change-{mg}"
        assert axe(page) == []

        for change_id in (rad, mg):
            page.locator(f"#change-{change_id}").get_by_role(
                "button", name="Marquer comme patrouillée"
            ).click()
            expect(page.locator("#recent-changes-live")).to_have_text(
                "La modification a été marquée comme patrouillée."
            )
            expect(page.locator(f"#change-{change_id}")).not_to_contain_text("non patrouillée")
        assert Change.objects.filter(pk__in=[rad, mg], patrolled_by=patroller).count() == 2
    finally:
        context.close()
