"""The public finds a published référentiel in the wording of its latest edition, whatever was
edited in the wiki since; readers of drafts still find the pages as they are today. Both
backends: the real Elasticsearch node and the database fallback."""

import pytest

from search import fallback
from search.queries import pages_autocomplete, pages_search
from search.results import SearchRequest
from search.visibility import PUBLIC, visibility_for
from tests.search.helpers import indexed, refresh
from tests.wiki.editions.support import competency, edit_published, published_referentiel
from wiki.services.editions import edition_publish

pytestmark = pytest.mark.django_db

BACKENDS = {"elasticsearch": pages_search, "database": fallback.pages_search}


@pytest.fixture
def edited_after_edition(reindexed_after, django_capture_on_commit_callbacks):
    """A référentiel published as edition 1.0 with « xylophonique » in one competency, whose
    live page then says « zébrure » instead (published in the wiki, no new edition)."""
    with django_capture_on_commit_callbacks(execute=True):
        referentiel = published_referentiel(prefix="XYL")
        page = competency(referentiel, "XYL-D1-C2")
        edit_published(page, statement="Interpréter un tracé xylophonique en consultation")
        edition = edition_publish(referentiel=referentiel, kind="major")
        edit_published(
            competency(referentiel, "XYL-D1-C2"),
            statement="Interpréter une zébrure du tracé en consultation",
        )
    refresh()
    return referentiel, edition


def found(backend: str, text: str, visibility=PUBLIC, **filters):
    request = SearchRequest(text=text, filters=filters, page_size=50)
    return BACKENDS[backend](request, visibility).results


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_public_finds_the_editions_wording_not_a_later_edit(edited_after_edition, backend):
    referentiel, _edition = edited_after_edition
    [result] = found(backend, "xylophonique")
    assert result.code == "XYL-D1-C2" and result.edition == "1.0"
    assert result.url == f"/referentiels/{referentiel.slug}/v1.0/#xyl-d1-c2"
    assert "xylophonique" in result.highlight
    assert found(backend, "zébrure") == []


@pytest.mark.parametrize("backend", BACKENDS)
def test_readers_of_drafts_find_both_the_edition_and_the_page_of_today(
    edited_after_edition, backend, patroller
):
    patrolling = visibility_for(patroller)
    [edition_result] = found(backend, "xylophonique", patrolling)
    assert edition_result.edition == "1.0"
    [today] = found(backend, "zébrure", patrolling)
    assert today.code == "XYL-D1-C2" and not today.edition
    assert today.url == competency(edited_after_edition[0], "XYL-D1-C2").url


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_referentiel_without_edition_is_found_in_its_live_pages(
    reindexed_after, django_capture_on_commit_callbacks, backend
):
    with django_capture_on_commit_callbacks(execute=True):
        referentiel = published_referentiel(prefix="VIF")
        page = competency(referentiel, "VIF-D2-C1")
        edit_published(page, statement="Prévenir la quinconce hospitalière")
    refresh()
    [result] = found(backend, "quinconce")
    assert not result.edition and result.url == competency(referentiel, "VIF-D2-C1").url


@pytest.mark.parametrize("backend", BACKENDS)
def test_facets_count_and_filter_the_editions_documents(edited_after_edition, backend):
    referentiel, _edition = edited_after_edition
    results = found(backend, "xylophonique", type=("competency",))
    assert [r.code for r in results] == ["XYL-D1-C2"]
    assert found(backend, "xylophonique", type=("domain",)) == []
    response = BACKENDS[backend](SearchRequest(text="xylophonique"), PUBLIC)
    facets = {f.name: {v.value: v.count for v in f.values} for f in response.facets}
    assert facets["type"] == {"competency": 1}
    assert facets["domain"] == {"Domaine 1": 1}
    assert facets["cycle"] == {"3": 1}


def test_a_new_edition_replaces_the_previous_ones_documents(
    edited_after_edition, django_capture_on_commit_callbacks
):
    referentiel, first = edited_after_edition
    with django_capture_on_commit_callbacks(execute=True):
        edition_publish(referentiel=referentiel, kind="minor")
    refresh()
    assert indexed(f"edition-{first.pk}-d0-c1") is None
    for backend in BACKENDS:
        [result] = found(backend, "zébrure")
        assert result.edition == "1.1"
        assert result.url == f"/referentiels/{referentiel.slug}/v1.1/#xyl-d1-c2"
        assert found(backend, "xylophonique") == []


@pytest.mark.parametrize(
    "autocomplete", [pages_autocomplete, fallback.pages_autocomplete], ids=["es", "db"]
)
def test_autocompletion_offers_the_editions_titles(edited_after_edition, autocomplete):
    referentiel, _edition = edited_after_edition
    [suggestion] = [s for s in autocomplete("XYL-D1-C2", PUBLIC) if s.code == "XYL-D1-C2"]
    assert suggestion.url == f"/referentiels/{referentiel.slug}/v1.0/#xyl-d1-c2"


def test_the_socle_is_searched_in_its_edition(search_index):
    """The seed publishes the socle as edition 1.0: the public reads that one."""
    for backend in BACKENDS:
        result = found(backend, "objets connectés")[0]
        assert result.code == "SOCLE-D4-C02" and result.edition == "1.0"
        assert result.url == "/referentiels/socle-numerique-en-sante/v1.0/#socle-d4-c02"
