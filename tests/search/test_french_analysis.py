"""The real node analyses French: accents, case, elisions and plurals do not matter."""

import pytest

from search.indexing import alias_name
from search.queries import pages_search
from search.results import SearchRequest
from search.visibility import PUBLIC

pytestmark = pytest.mark.django_db


def tokens(elasticsearch, analyzer: str, text: str) -> list[str]:
    result = elasticsearch.indices.analyze(index=alias_name(), analyzer=analyzer, text=text)
    return [t["token"] for t in result["tokens"]]


def test_french_text_drops_stop_words_elisions_accents_and_plurals(elasticsearch, search_index):
    # Compared with each other rather than with exact stems: the stemmer may change.
    assert tokens(elasticsearch, "fr_text", "Les données de l’incident") == tokens(
        elasticsearch, "fr_text", "DONNEE incidents"
    )
    assert len(tokens(elasticsearch, "fr_text", "Les données de l’incident")) == 2
    assert tokens(elasticsearch, "fr_text", "objets connectés") == tokens(
        elasticsearch, "fr_text", "Objet connecte"
    )
    assert tokens(elasticsearch, "fr_text", "CYBERSÉCURITÉ") == tokens(
        elasticsearch, "fr_text", "cybersecurite"
    )


def test_autocomplete_indexes_every_prefix_folded(elasticsearch, search_index):
    grams = tokens(elasticsearch, "fr_autocomplete", "Télésanté")
    assert {"t", "te", "tel", "teles", "telesante"} <= set(grams)


@pytest.mark.parametrize(
    ("query", "expected_title"),
    [
        ("cybersecurite", "Cybersécurité"),
        ("objets connectés", "Utiliser un objet connecté ou une application mobile et analyser "
         "leur fiabilité"),
        ("DONNEES DE SANTE", "Données de santé"),
        ("incident", "Se prémunir et réagir face aux incidents"),
        ("TELESANTE", "Télésanté"),
    ],
)  # fmt: skip
def test_accents_case_and_plurals_do_not_matter(search_index, query, expected_title):
    titles = [result.title for result in pages_search(SearchRequest(text=query), PUBLIC).results]
    assert titles[0] == expected_title, (query, titles)


@pytest.mark.parametrize("code", ["SOCLE-D2-C02", "socle-d2-c02", " Socle-D2-C02 "])
def test_a_competency_code_finds_its_competency_first(search_index, code):
    results = pages_search(SearchRequest(text=code), PUBLIC).results
    assert results[0].code == "SOCLE-D2-C02"
    assert results[0].type == "competency"
