"""Socle competency pages show where they sit (domain, référentiel, professions) and the
specialty competencies that refine them (« Déclinée dans »), as each reader may see them."""

import pytest
from django.test import Client

from tests.wiki.history_support import account
from wiki.models import CompetencyPage

pytestmark = pytest.mark.django_db


def _html(username=None) -> str:
    client = Client()
    if username:
        client.force_login(account(username))
    page = CompetencyPage.objects.get(code="SOCLE-D1-C02")
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def test_socle_competency_shows_its_domain_and_professions():
    html = _html()
    socle = CompetencyPage.objects.get(code="SOCLE-D1-C02")
    domain = socle.get_parent()
    assert "Domaine" in html and domain.title in html
    assert "Professions" in html and "Infirmier" in html


def test_refinements_follow_the_visibility_rule():
    refining = CompetencyPage.objects.filter(socle_refs__code="SOCLE-D1-C02")
    drafts = [p for p in refining if not p.live and p.code.startswith("MG-")]
    assert drafts  # the general medicine pilot is a draft
    draft = drafts[0]
    assert "Déclinée dans" not in _html()  # the public sees no draft
    assert draft.code not in _html("editeur.radiologie")  # another college's draft
    mine = _html("editeur.medecine-generale")
    assert "Déclinée dans" in mine and draft.code in mine
    assert f"/wiki/{draft.pk}/brouillon/" in mine
