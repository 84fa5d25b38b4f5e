"""The French results page, the JSON API and the autocompletion endpoint."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_results_page_is_french_with_facets_highlights_and_a_live_count(client, search_index):
    response = client.get("/recherche/", {"q": "donnees de sante"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "<h1>Rechercher dans le wiki</h1>" in html
    assert 'id="search-count" class="search-count" role="status" aria-live="polite"' in html
    assert "résultats pour « donnees de sante »" in html
    assert '<ol class="result-list" start="1">' in html
    assert "<mark>" in html
    assert "<legend>Type</legend>" in html and "<legend>Domaine</legend>" in html
    assert "moteur de recherche est indisponible" not in html


def test_an_empty_search_invites_to_type_and_bad_input_says_why(client, search_index):
    response = client.get("/recherche/")
    assert response.status_code == 200
    assert "Saisissez un ou plusieurs mots" in response.content.decode()
    response = client.get("/recherche/", {"q": "données", "page": "deux"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and "Saisissez un nombre entier" in html
    # What the user typed is kept.
    assert 'value="données"' in html


def test_the_json_api_has_the_documented_shape(client, search_index):
    response = client.get("/api/search/", {"q": "objets connectés"})
    assert response.status_code == 200
    data = response.json()
    assert {"count", "results", "facets"} <= set(data)
    first = data["results"][0]
    fields = {"title", "url", "type", "referentiel", "domain", "code", "highlight", "edition"}
    assert set(first) == fields
    assert first["code"] == "SOCLE-D4-C02" and first["edition"] == "1.0"
    assert first["url"] == "/referentiels/socle-numerique-en-sante/v1.0/#socle-d4-c02"
    assert set(data["facets"]) <= {"profession", "specialty", "domain", "cycle", "phase", "type"}
    assert {"type", "profession", "domain", "cycle", "phase"} <= set(data["facets"])
    assert data["backend"] == "elasticsearch" and data["degraded"] is False


def test_facets_narrow_the_results_and_count_the_other_choices(client, search_index):
    everything = client.get("/api/search/", {"q": "données"}).json()
    narrowed = client.get("/api/search/", {"q": "données", "type": "competency"}).json()
    assert 0 < narrowed["count"] < everything["count"]
    assert {r["type"] for r in narrowed["results"]} == {"competency"}
    types = {v["value"]: v for v in narrowed["facets"]["type"]}
    assert types["competency"]["selected"] and types["domain"]["count"] >= 1
    both = client.get(
        "/api/search/", {"q": "données", "type": ["competency", "domain"], "cycle": "1"}
    ).json()
    assert {r["type"] for r in both["results"]} <= {"competency", "domain"}
    assert both["count"] > narrowed["count"] - 1


def test_results_are_paginated(client, search_index):
    first = client.get("/api/search/", {"q": "socle"}).json()
    assert first["count"] > 10 and first["pages"] >= 2
    second = client.get("/api/search/", {"q": "socle", "page": 2}).json()
    assert second["page"] == 2
    assert not {r["url"] for r in first["results"]} & {r["url"] for r in second["results"]}
    html = client.get("/recherche/", {"q": "socle"}).content.decode()
    assert 'aria-label="Pages de résultats"' in html
    assert 'rel="next"' in html and "page=2" in html


def test_did_you_mean(client, search_index):
    data = client.get("/api/search/", {"q": "telesamte"}).json()
    assert data["suggestion"] == "telesante"
    html = client.get("/recherche/", {"q": "telesamte"}).content.decode()
    assert "Vouliez-vous dire" in html and "?q=telesante" in html


def test_autocompletion(client, search_index):
    data = client.get("/api/search/autocomplete/", {"q": "cyber"}).json()
    assert data["results"][0]["title"] == "Cybersécurité"
    assert data["results"][0]["url"] == "/referentiels/socle-numerique-en-sante/v1.0/#d2"
    assert "suggestion" in data["message"]
    data = client.get("/api/search/autocomplete/", {"q": "socle-d4"}).json()
    assert {r["code"] for r in data["results"]} >= {"SOCLE-D4-C01", "SOCLE-D4-C02"}
    assert client.get("/api/search/autocomplete/", {"q": "c"}).json()["results"] == []
    assert client.get("/api/search/autocomplete/", {"q": "x" * 101}).status_code == 400


def test_invalid_api_input_is_a_400_with_the_reason(client, search_index):
    response = client.get("/api/search/", {"q": "x" * 201})
    assert response.status_code == 400
    assert "q" in response.json()["errors"]
    assert client.get("/api/search/", {"q": "a", "page": "0"}).status_code == 400
