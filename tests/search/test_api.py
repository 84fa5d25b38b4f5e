"""/api/v1/search/: the public search (Elasticsearch) in the read API, as the public sees it."""

import pytest
from django.contrib.auth import get_user_model

from wiki.models import CompetencyPage

pytestmark = pytest.mark.django_db


def test_the_search_answers_from_elasticsearch_with_facets(client, search_index):
    response = client.get("/api/v1/search/", {"q": "objets connectés"})
    assert response.status_code == 200
    data = response.json()
    assert data["backend"] == "elasticsearch" and data["degraded"] is False
    assert data["results"][0]["code"] == "SOCLE-D4-C02"
    # The socle has an edition: the public reads its wording, at its address.
    assert data["results"][0]["url"] == "/referentiels/socle-numerique-en-sante/v1.0/#socle-d4-c02"
    assert {"type", "domain"} <= set(data["facets"])
    competencies = client.get("/api/v1/search/", {"q": "données", "type": "competency"}).json()
    assert competencies["count"] and {r["type"] for r in competencies["results"]} == {"competency"}


def test_the_search_reads_as_the_public_even_for_an_editor(client, search_index):
    draft_only = CompetencyPage.objects.filter(live=False).first()
    client.force_login(get_user_model().objects.get(username="copil"))
    data = client.get("/api/v1/search/", {"q": draft_only.title}).json()
    assert draft_only.code not in {r["code"] for r in data["results"]}


def test_bad_input_gets_a_clear_error(client, search_index):
    assert client.get("/api/v1/search/", {"page": "deux", "q": "x"}).status_code == 422
    assert client.get("/api/v1/search/", {"q": "x" * 201}).status_code == 422
    empty = client.get("/api/v1/search/").json()
    assert empty["count"] == 0 and empty["results"] == []
