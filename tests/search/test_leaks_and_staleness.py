"""What a search could leak or leave stale: draft words in suggestions, expired or unpublished
pages and what inherits their visibility, study-level Delphi items, odd input during an
outage, the fallback's view of reworded drafts. Each docstring says what a user would see."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from search import fallback
from search.connection import breaker
from search.queries import pages_search
from search.results import SearchRequest
from search.visibility import PUBLIC, visibility_for
from tests.search.helpers import indexed, refresh
from wiki.models import CompetencyPage, ReferentielPage

pytestmark = pytest.mark.django_db


def codes(text: str, visibility=PUBLIC) -> list[str]:
    refresh()
    return [r.code for r in pages_search(SearchRequest(text=text), visibility).results]


def urls(text: str, visibility=PUBLIC) -> list[str]:
    refresh()
    return [r.url for r in pages_search(SearchRequest(text=text), visibility).results]


def test_did_you_mean_does_not_reveal_words_that_only_drafts_contain(client, search_index):
    """An anonymous visitor who types « pseudonimiser » is offered « Vouliez-vous dire
    pseudonymiser ? », a word that exists only in an unpublished radiology draft (RAD-D2-C01):
    the phrase suggester reads the whole index's terms, the visibility filter of the search
    does not apply to suggestions. Drafts' wording leaks to the public one word at a time."""
    assert "pseudonymiser" not in {
        r["title"].casefold()
        for r in client.get("/api/search/", {"q": "pseudonymiser"}).json()["results"]
    }
    data = client.get("/api/search/", {"q": "pseudonimiser"}).json()
    assert data["count"] == 0
    assert "pseudonymiser" not in data["suggestion"]


def test_a_page_expired_by_publish_scheduled_leaves_the_public_results(
    reindexed_after, django_capture_on_commit_callbacks
):
    """A page whose expiry date passes is unpublished by Wagtail's `publish_scheduled`
    command, which saves a plain `Page` (not the specific model): no search receiver fires,
    so the expired page stays `live` in the index and anonymous visitors keep finding it
    (and its snippet) in /recherche/ and the autocompletion."""
    page = CompetencyPage.objects.get(code="SOCLE-D4-C03")
    Page.objects.filter(pk=page.pk).update(expire_at=timezone.now() - timezone.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled", verbosity=0)
    assert not CompetencyPage.objects.get(pk=page.pk).live
    # The socle's edition 1.0 keeps it (editions never change); the live page is gone.
    assert page.url not in urls("SOCLE-D4-C03")
    assert indexed(f"page-{page.pk}")["live"] is False
    assert indexed(f"page-{page.pk}")["edition_replaced"] is True


def test_unpublishing_a_competency_hides_its_discussions_and_delphi_items(
    reindexed_after, django_capture_on_commit_callbacks, cerf_editor, cnge_editor
):
    """Discussions and Delphi items carry the visibility of the page they belong to, but
    saving a competency page only reindexes the page itself: after the page is unpublished,
    its Delphi item stays visible to anonymous visitors and its discussion to every
    logged-in member, although neither may see the page any more."""
    from tests.factories.consensus import ItemFactory, StudyFactory
    from wiki.services.discussions import thread_create

    page = CompetencyPage.objects.get(code="SOCLE-D1-C01")
    with django_capture_on_commit_callbacks(execute=True):
        thread_create(
            user=cerf_editor, page=page, title="Pérennité du quorum", body="Le quorum tient-il ?"
        )
        ItemFactory(
            study=StudyFactory(referentiel=page.get_parent().get_parent().specific),
            page=page,
            code="DX-77",
            version__text="Vérifier l'ornithorynque",
        )
    assert codes("ornithorynque") == ["DX-77"]  # public while the page is live
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert codes("ornithorynque") == []
    refresh()
    assert [
        r.title
        for r in pages_search(SearchRequest(text="quorum"), visibility_for(cnge_editor)).results
    ] == []


def test_a_view_restriction_on_a_referentiel_hides_its_study_level_delphi_items(
    reindexed_after, django_capture_on_commit_callbacks
):
    """A Delphi item not tied to one page is indexed under its study's référentiel, but
    reindexing a référentiel's subtree (`tree:` key) only collects items whose own `page` is in
    it. Making the référentiel private (or moving, renaming it) leaves those items with the old
    visibility: anonymous visitors still read their wording once the référentiel is private."""
    from tests.factories.consensus import ItemFactory, StudyFactory

    socle = ReferentielPage.objects.get(slug="socle-numerique-en-sante")
    with django_capture_on_commit_callbacks(execute=True):
        ItemFactory(
            study=StudyFactory(referentiel=socle),
            page=None,
            code="DX-88",
            version__text="Prévenir la tachycardie du cachalot",
        )
    assert codes("cachalot") == ["DX-88"]
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=socle, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
    assert "SOCLE-D1-C01" not in codes("SOCLE-D1-C01")  # the pages below are hidden…
    assert codes("cachalot") == []  # …and so must be the study's items


def test_autocompletion_with_a_null_byte_during_an_outage_is_not_a_server_error(
    client, search_index
):
    """While Elasticsearch is down, /api/search/autocomplete/?q=ab%00cd reaches PostgreSQL
    unvalidated (the view reads request.GET directly, without the form's null-character
    validator): psycopg refuses NUL characters and the endpoint answers 500 instead of a 400
    or an empty list. The results page and /api/search/ reject it cleanly."""
    breaker.failure()  # the node is considered unreachable: the database answers
    response = client.get("/api/search/autocomplete/", {"q": "ab\x00cd"})
    assert response.status_code in (200, 400)


def test_the_fallback_finds_a_never_published_draft_by_its_latest_wording(
    reindexed_after, django_capture_on_commit_callbacks, cerf_editor
):
    """For a page never published, Elasticsearch indexes its latest revision (what the draft
    reader shows) while the database fallback searches the page row, which Wagtail's
    save_revision() leaves at the first wording. During an outage a college editor no longer
    finds the draft they just reworded, and finds it under words it no longer contains."""
    from wiki.services.editing import page_edit

    page = CompetencyPage.objects.get(code="RAD-D1-C01")
    assert not page.live
    with django_capture_on_commit_callbacks(execute=True):
        page_edit(
            page=page,
            user=cerf_editor,
            data={"title": "Utiliser un détecteur de scintigraphie quantique"},
            base_revision_id=page.latest_revision_id,
        )
    editor = visibility_for(cerf_editor)
    assert codes("scintigraphie", editor) == ["RAD-D1-C01"]  # Elasticsearch
    found = fallback.pages_search(SearchRequest(text="scintigraphie"), editor).results
    assert [r.code for r in found] == ["RAD-D1-C01"]
