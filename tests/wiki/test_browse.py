"""`/referentiels/`: the référentiels the reader may see, filtered by GET parameters."""

import pytest
from django.contrib.auth import get_user_model

from wiki.models import CompetencyPage, ReferentielPage

pytestmark = pytest.mark.django_db

URL = "/referentiels/"


def _titles(response) -> list[str]:
    return [r.title for r in response.context["result"].referentiels]


def test_the_public_sees_published_referentiels_only(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert _titles(response) == list(
        ReferentielPage.objects.live().public().order_by("title").values_list("title", flat=True)
    )
    assert "Référentiel socle du numérique en santé" in _titles(response)
    assert not any(not r.live for r in response.context["result"].referentiels)


def test_an_editor_also_sees_the_drafts_of_their_college(client):
    editor = get_user_model().objects.get(username="editeur.radiologie")
    client.force_login(editor)
    response = client.get(URL)
    radiology = ReferentielPage.objects.get(specialty__slug="radiologie-et-imagerie-medicale")
    assert radiology.title in _titles(response)
    assert "brouillon" in response.content.decode()


def test_filters_by_profession_cycle_and_socle_domain(client):
    client.force_login(get_user_model().objects.get(username="copil"))
    radiology = ReferentielPage.objects.get(specialty__slug="radiologie-et-imagerie-medicale")
    by_profession = _titles(client.get(URL, {"profession": "medecin"}))
    assert radiology.title in by_profession
    assert "Référentiel socle du numérique en santé" in by_profession
    assert radiology.title not in _titles(client.get(URL, {"cycle": "1"}))
    excluded = 0
    for pilot in ReferentielPage.objects.filter(live=False):
        domains = {
            ref.get_parent().specific.code
            for competency in CompetencyPage.objects.descendant_of(pilot)
            for ref in competency.socle_refs.all()
        }
        for code in ("D1", "D2", "D3", "D4", "D5"):
            titles = _titles(client.get(URL, {"domain": code}))
            assert (pilot.title in titles) == (code in domains), (pilot.title, code)
            assert "Référentiel socle du numérique en santé" in titles
            excluded += code not in domains
    assert excluded  # the filter is tried where it must leave a pilot out


def test_an_unknown_filter_value_says_so_and_keeps_the_list(client):
    response = client.get(URL, {"profession": "inconnue"})
    assert response.status_code == 200
    assert response.context["result"].form.errors["profession"]
    assert "Référentiel socle du numérique en santé" in _titles(response)
