"""The real Elasticsearch node analyses French: accents, plurals and case do not matter."""

import pytest

from search.indexing import competencies_reindex
from search.queries import competencies_search
from wiki.models import CompetencyPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(elasticsearch):
    pages = CompetencyPage.objects.live().filter(code__startswith="SOCLE-")
    assert competencies_reindex(pages) == 15


@pytest.mark.parametrize(
    ("query", "expected_code"),
    [
        ("donnee", "SOCLE-D1-C02"),  # « données », no accent, singular
        ("incident", "SOCLE-D2-C02"),  # « incidents »
        ("TELESANTE reglementation", "SOCLE-D5-C01"),
        ("identite numerique", "SOCLE-D3-C03"),
    ],
)
def test_french_analysis_finds_accented_and_plural_forms(indexed, query, expected_code):
    codes = [hit["code"] for hit in competencies_search(query)]
    assert expected_code in codes, (query, codes)


def test_french_analyzer_folds_accents_and_plurals(elasticsearch, indexed):
    from search.backends import index_name

    def tokens(text: str) -> list[str]:
        result = elasticsearch.indices.analyze(
            index=index_name("competencies"), analyzer="fr_text", text=text
        )
        return [t["token"] for t in result["tokens"]]

    # Elisions and stop words go; accents, case and plurals fold onto one token each.
    assert tokens("Les données de l'incident") == tokens("DONNEE incidents")
    assert len(tokens("Les données de l'incident")) == 2
    assert tokens("Cybersécurité") == tokens("cybersecurite")
