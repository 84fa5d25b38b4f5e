"""Who finds what: enforced inside the query, for both backends."""

import pytest
from django.contrib.auth.models import AnonymousUser

from search import fallback
from search.queries import pages_autocomplete, pages_search
from search.results import SearchRequest
from search.visibility import PUBLIC, visibility_for

pytestmark = pytest.mark.django_db

BACKENDS = {"elasticsearch": pages_search, "database": fallback.pages_search}


def codes(search, user, text: str) -> set[str]:
    """Codes found by any of the words of `text`, searched one at a time."""
    found = set()
    for word in text.split():
        request = SearchRequest(text=word, page_size=50)
        found |= {r.code for r in search(request, visibility_for(user)).results if r.code}
    return found


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_public_sees_published_pages_only(search_index, backend):
    found = codes(BACKENDS[backend], AnonymousUser(), "téléconsultation télésanté téléradiologie")
    assert "SOCLE-D5-C02" in found
    assert not {c for c in found if c.startswith(("RAD-", "MG-"))}


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_college_editor_also_sees_the_drafts_of_their_college(
    search_index, backend, cerf_editor, cnge_editor
):
    text = "téléconsultation télésanté téléradiologie"
    cerf = codes(BACKENDS[backend], cerf_editor, text)
    assert {"SOCLE-D5-C02", "RAD-D3-C01"} <= cerf
    assert not {c for c in cerf if c.startswith("MG-")}
    cnge = codes(BACKENDS[backend], cnge_editor, text)
    assert "MG-D1-C02" in cnge
    assert not {c for c in cnge if c.startswith("RAD-")}


@pytest.mark.parametrize("backend", BACKENDS)
def test_patrollers_see_every_draft(search_index, backend, patroller):
    found = codes(BACKENDS[backend], patroller, "téléconsultation télésanté téléradiologie")
    assert {"SOCLE-D5-C02", "RAD-D3-C01", "MG-D1-C02"} <= found


def test_a_draft_result_leads_to_the_draft_reader(search_index, cerf_editor):
    [result] = [
        r
        for r in pages_search(SearchRequest(text="RAD-D3-C01"), visibility_for(cerf_editor)).results
        if r.code == "RAD-D3-C01"
    ]
    assert not result.live
    assert result.url.startswith("/wiki/") and result.url.endswith("/brouillon/")


def test_autocompletion_hides_drafts_from_the_public(search_index, cerf_editor):
    assert not [s for s in pages_autocomplete("télérad", PUBLIC) if s.code.startswith("RAD")]
    assert [s.title for s in pages_autocomplete("télérad", visibility_for(cerf_editor))]
