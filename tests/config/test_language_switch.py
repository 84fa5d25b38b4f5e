"""The language chosen with the header's switch holds on every page, Wagtail's and the others."""

import re

import pytest
from django.urls import reverse

from tests.wiki.history_support import account

pytestmark = pytest.mark.django_db


def _h1(html: str) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()


def _switch(client, language: str, next_url: str = "/"):
    response = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert response.status_code == 302
    return response


def test_english_holds_on_search_recent_changes_consensus_and_wagtail_pages(client):
    client.force_login(account("animateur.delphi"))
    response = _switch(client, "en", "/recherche/")
    assert response["Location"] == "/recherche/"  # same URL, no language prefix

    pages = {
        "/recherche/?q=donnees": "Search the wiki",
        reverse("wiki:recent-changes"): "Recent changes",
        reverse("consensus:home"): "Delphi consensus",
    }
    for url, heading in pages.items():
        html = client.get(url).content.decode()
        assert '<html lang="en">' in html, url
        assert _h1(html) == heading, url

    home = client.get("/").content.decode()
    assert '<html lang="en">' in home
    assert "Published competency frameworks" in home

    _switch(client, "fr")
    html = client.get(reverse("wiki:recent-changes")).content.decode()
    assert '<html lang="fr">' in html
    assert _h1(html) == "Modifications récentes"
    assert "Référentiels publiés" in client.get("/").content.decode()


def test_french_by_default_and_english_for_anonymous_readers_too(client):
    assert _h1(client.get(reverse("wiki:recent-changes")).content.decode()) == (
        "Modifications récentes"
    )
    _switch(client, "en")
    assert _h1(client.get("/recherche/").content.decode()) == "Search the wiki"


def test_an_english_browser_still_gets_french_until_it_switches(client):
    html = client.get("/recherche/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="fr">' in html
    _switch(client, "en")
    html = client.get("/recherche/", HTTP_ACCEPT_LANGUAGE="fr-FR").content.decode()
    assert '<html lang="en">' in html
