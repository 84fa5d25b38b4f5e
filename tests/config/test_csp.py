"""Content-Security-Policy: strict on the site (no inline script or style), its own policy on
the admin paths. The browser journeys (tests/e2e) run with it and fail on any violation."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from consensus.services.rounds import round_open
from tests.factories.consensus import study_with_panel

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


def _assert_strict(response):
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]


def test_a_wiki_page_has_the_strict_policy(client):
    _assert_strict(client.get("/socle-numerique-en-sante/"))


def test_the_search_page_has_the_strict_policy(client):
    _assert_strict(client.get("/recherche/?q=donn%C3%A9es"))


def test_the_ballot_page_has_the_strict_policy(client):
    study = study_with_panel(n_items=2, n_panelists=1)
    delphi_round = round_open(user=study.created_by, study=study)
    client.force_login(study.panelists.get().user)
    _assert_strict(client.get(reverse("consensus:ballot", args=[delphi_round.pk])))


def test_the_admin_has_its_own_policy_without_other_origins(admin_client):
    response = admin_client.get("/admin/")
    policy = _policy(response)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]


def test_no_template_has_inline_script_or_style():
    """What the strict policy would block: inline <script>, on* handlers, style attributes and
    <style> elements, javascript: URLs."""
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|<style|javascript:", re.I
    )
    folders = [settings.SITE_DIR / "templates"] + [
        settings.BASE_DIR / app / "templates" for app in ("wiki", "consensus", "search")
    ]
    found = [
        f"{template.relative_to(settings.BASE_DIR)}: {match.group()}"
        for folder in folders
        for template in folder.rglob("*.html")
        for match in inline.finditer(template.read_text())
    ]
    assert found == []


def test_the_admin_loads_no_avatar_from_a_third_party(client):
    """Gravatar would send a hash of the account's e-mail elsewhere, and the admin's img-src
    ('self') blocks it: every admin page would report a violation."""
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="copil"))  # has an e-mail
    response = client.get("/admin/")
    assert response.status_code == 200
    assert _policy(response)["img-src"] == ["'self'", "data:", "blob:"]
    sources = re.findall(r'<img[^>]+src="([^"]+)"', response.content.decode())
    assert sources  # the avatar is there, from this site
    for src in sources:
        assert src.split(":")[0] in ("data", "blob") or (
            src.startswith("/") and not src.startswith("//")
        ), src
