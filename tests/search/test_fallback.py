"""When Elasticsearch cannot answer: the database searches (PostgreSQL French full-text
search; a Python matcher on SQLite), and the page says so."""

import pytest
from django.contrib.auth.models import AnonymousUser

from search import connection, fallback
from search.results import SearchRequest
from search.visibility import PUBLIC, visibility_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def unreachable_node(settings):
    """Elasticsearch configured on a port where nothing listens: a real refused connection."""
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    connection.client.cache_clear()
    yield
    connection.client.cache_clear()
    connection.breaker.reset()


def search(text: str, **filters):
    return fallback.pages_search(SearchRequest(text=text, filters=filters), PUBLIC)


def test_postgresql_french_search_ignores_accents_case_and_plurals(search_index):
    assert search("OBJETS CONNECTES").results[0].code == "SOCLE-D4-C02"
    assert search("cybersecurite").results[0].title == "Cybersécurité"
    assert search("incident").results[0].code == "SOCLE-D2-C02"


def test_a_code_comes_first_and_snippets_are_highlighted(search_index):
    response = search("socle-d1-c02")
    assert response.results[0].code == "SOCLE-D1-C02"
    response = search("identité numérique")
    assert any("<mark>" in r.highlight for r in response.results)
    assert response.backend == "database"


def test_facets_and_filters_work_on_the_database_too(search_index):
    response = search("données", type=("competency",))
    assert response.count > 0 and {r.type for r in response.results} == {"competency"}
    facets = {f.name: {v.value: v for v in f.values} for f in response.facets}
    assert facets["type"]["competency"].selected and facets["type"]["domain"].count >= 1
    assert "Médecin" in facets["profession"]


def test_did_you_mean_when_nothing_matches(search_index):
    response = search("cybersekurite")
    assert response.count == 0
    assert response.suggestion == "cybersecurite"


def test_the_python_matcher_used_on_sqlite(search_index, cerf_editor):
    rows = fallback.rows_python("objets connectés", PUBLIC)
    assert sorted(rows, key=lambda r: -r.score)[0].code == "SOCLE-D4-C02"
    assert {r.code for r in fallback.rows_python("SOCLE-D2-C02", PUBLIC)} >= {"SOCLE-D2-C02"}
    assert not [r for r in fallback.rows_python("téléradiologie", PUBLIC) if not r.live]
    assert any(
        not r.live for r in fallback.rows_python("téléradiologie", visibility_for(cerf_editor))
    )


def test_autocompletion_falls_back_too(search_index):
    [first, *_] = fallback.pages_autocomplete("cyber", PUBLIC)
    assert first.title == "Cybersécurité"
    assert not fallback.pages_autocomplete("télérad", visibility_for(AnonymousUser()))


def test_an_unreachable_node_falls_back_and_the_page_says_so(client, unreachable_node):
    response = client.get("/recherche/", {"q": "objets connectés"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "moteur de recherche est indisponible" in html
    assert "Utiliser un objet connecté" in html
    data = client.get("/api/search/", {"q": "objets connectés"}).json()
    assert data["backend"] == "database" and data["degraded"] is True
    assert data["results"][0]["code"] == "SOCLE-D4-C02"
    # The breaker is open: the next searches do not even try the node.
    assert not connection.breaker.allow()
    assert client.get("/api/search/autocomplete/", {"q": "cyber"}).json()["results"]


def test_the_python_matcher_folds_accents_and_plurals_like_the_index(search_index):
    """« donnees personnelles », typed without accents and in the plural, finds the page about
    « la donnée à caractère personnel » (both stem to « donne » and « personnel »)."""
    codes = {r.code for r in fallback.rows_python("donnees personnelles", PUBLIC)}
    assert "SOCLE-D1-C02" in codes
    singular = {r.code for r in fallback.rows_python("donnée personnelle", PUBLIC)}
    assert "SOCLE-D1-C02" in singular
