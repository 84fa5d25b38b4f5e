"""A member watches a page, another edits it: the watcher sees the header badge, the change
in « Liste de suivi » and in notifications (and gets an e-mail), then discusses the page.
Every page visited passes axe-core."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from tests.factories.accounts import UserFactory
from wiki.models import CompetencyPage

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def login(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_a_watcher_is_notified_and_discusses_the_page(seeded, page, live_server, axe):
    watcher = UserFactory(username="veilleur", first_name="Veille", last_name="Active")
    competency = CompetencyPage.objects.get(code="SOCLE-D2-C02")
    login(page, live_server, watcher)

    page.goto(competency.url)
    page.get_by_role("button", name="Suivre").click()
    expect(page.get_by_role("button", name="Ne plus suivre")).to_be_visible()

    page.goto("/wiki/liste-de-suivi/")  # the visit before the change
    committee = get_user_model().objects.get(username="copil")
    draft = competency.get_latest_revision_as_object()
    draft.statement = "Énoncé revu par le comité de pilotage."
    # A member who may not read drafts hears of the change once it is published.
    draft.save_revision(user=committee)
    assert mail.outbox == []
    competency.get_latest_revision().publish(user=committee)
    assert [m.to for m in mail.outbox] == [[watcher.email]]

    page.goto("/")
    page.get_by_role("link", name="Notifications (1)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.locator(".notification--unread")).to_contain_text(competency.title)
    assert axe(page) == []
    page.get_by_role("button", name="Tout marquer comme lu").click()
    expect(page.get_by_role("link", name="Notifications (0)")).to_be_visible()

    page.get_by_role("link", name="Liste de suivi").first.click()
    expect(page.locator(".watchlist__change--new")).to_contain_text(competency.title)
    assert axe(page) == []

    page.goto(competency.url)
    page.get_by_role("link", name="Discussion").click()
    page.get_by_label("Sujet").fill("Formulation de l'énoncé")
    page.get_by_label("Message (Markdown)").fill("")
    page.get_by_role("button", name="Publier la discussion").click()
    expect(page.get_by_text("Écrivez un message.")).to_be_visible()
    expect(page.get_by_label("Sujet")).to_have_value("Formulation de l'énoncé")
    assert axe(page) == []
    page.get_by_label("Message (Markdown)").fill("Faut-il citer [[SOCLE-D2-C01]] ?")
    page.get_by_role("button", name="Publier la discussion").click()
    thread = page.locator("section.thread").first
    expect(thread.get_by_role("heading", level=2)).to_have_text("Formulation de l'énoncé")
    thread.locator("summary", has_text="Répondre").first.click()
    thread.get_by_label("Votre réponse (Markdown)").first.fill("Oui, **à mon avis**.")
    thread.get_by_role("button", name="Envoyer la réponse").first.click()
    expect(page.locator(".message__replies .message__body strong")).to_have_text("à mon avis")
    page.get_by_role("button", name="Marquer comme résolue").click()
    expect(page.locator(".badge--resolved")).to_be_visible()
    assert axe(page) == []

    page.get_by_role("link", name="Pages liées").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(competency.title)
    assert axe(page) == []
    page.goto("/wiki/pages-demandees/")
    assert axe(page) == []
