"""« Compétences proches »: competencies of other référentiels worded alike (more_like_this on
the real node, French analysis), through the visibility rule; socle links when the node is
down; on the competency page and for the editing form."""

import pytest

from search import connection
from search.related import competencies_related
from search.visibility import PUBLIC, visibility_for
from tests.search.helpers import refresh
from tests.wiki.editions.support import competency, edit_published, published_referentiel
from wiki.models import CompetencyPage

pytestmark = pytest.mark.django_db

WORDING = "Interpréter les échographies xylophoniques du nourrisson en téléconsultation"


@pytest.fixture
def alike(reindexed_after, django_capture_on_commit_callbacks):
    """Three référentiels with a competency worded alike: two published, one a draft only."""
    with django_capture_on_commit_callbacks(execute=True):
        first = published_referentiel(prefix="ALA")
        second = published_referentiel(prefix="ALB")
        draft = published_referentiel(prefix="ALC", live=False)
        edit_published(competency(first, "ALA-D1-C1"), statement=WORDING)
        edit_published(
            competency(second, "ALB-D2-C3"),
            statement="Interpréter l'échographie xylophonique d'un nourrisson",
        )
        page = competency(draft, "ALC-D1-C1")
        page.statement = "Échographies xylophoniques chez le nourrisson"
        page.save_revision()
    refresh()
    return first, second, draft


@pytest.fixture
def unreachable_node(settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    connection.client.cache_clear()
    yield
    connection.client.cache_clear()
    connection.breaker.reset()


def codes(related) -> list[str]:
    return [r.code for r in related]


def test_similar_wording_of_other_referentiels_only(alike):
    first, _second, _draft = alike
    related = competencies_related(text=WORDING, visibility=PUBLIC, referentiel_id=first.pk)
    assert codes(related)[0] == "ALB-D2-C3"  # plural, elision and accents do not matter
    assert not any(code.startswith("ALA-") for code in codes(related))
    assert "ALC-D1-C1" not in codes(related)  # a draft: not for the public


def test_readers_of_drafts_also_get_drafts(alike, patroller):
    first, _second, _draft = alike
    related = competencies_related(
        text=WORDING, visibility=visibility_for(patroller), referentiel_id=first.pk
    )
    assert {"ALB-D2-C3", "ALC-D1-C1"} <= set(codes(related))
    [draft] = [r for r in related if r.code == "ALC-D1-C1"]
    assert draft.url.endswith("/brouillon/")


def test_the_public_gets_the_wording_of_the_socle_edition(search_index):
    socle = CompetencyPage.objects.get(code="SOCLE-D4-C02")
    related = competencies_related(
        text="Utiliser un objet connecté ou une application mobile de santé", visibility=PUBLIC
    )
    [found] = [r for r in related if r.code == "SOCLE-D4-C02"]
    assert found.edition == "1.0"
    assert found.url == "/referentiels/socle-numerique-en-sante/v1.0/#socle-d4-c02"
    assert socle.url != found.url


def test_the_competency_page_lists_them_for_an_anonymous_visitor(alike, client):
    first, _second, _draft = alike
    html = client.get(competency(first, "ALA-D1-C1").url).content.decode()
    assert "Compétences proches" in html
    assert "ALB-D2-C3" in html
    assert "ALC-D1-C1" not in html


@pytest.fixture
def socle_linked(django_capture_on_commit_callbacks):
    socle = CompetencyPage.objects.get(code="SOCLE-D4-C02")
    first = published_referentiel(prefix="SLA")
    second = published_referentiel(prefix="SLB")
    hidden = published_referentiel(prefix="SLC", live=False)
    for page in (competency(first, "SLA-D1-C1"), competency(second, "SLB-D1-C2")):
        edit_published(page, socle_refs=[socle])
    draft = competency(hidden, "SLC-D1-C1").get_latest_revision_as_object()
    draft.socle_refs = [socle]
    draft.save_revision()
    draft.save()
    return competency(first, "SLA-D1-C1"), socle


def test_without_the_node_competencies_sharing_a_socle_link(unreachable_node, socle_linked):
    page, socle = socle_linked
    related = competencies_related(
        text=page.title,
        visibility=PUBLIC,
        referentiel_id=page.get_parent().get_parent().pk,
        page=page,
    )
    assert set(codes(related)) == {"SOCLE-D4-C02", "SLB-D1-C2"}
    # The socle competency gets those refining it.
    from_socle = codes(competencies_related(text=socle.title, visibility=PUBLIC, page=socle))
    assert {"SLA-D1-C1", "SLB-D1-C2"} <= set(from_socle)
    assert "SLC-D1-C1" not in from_socle


def test_a_draft_page_shows_them_from_its_revision_without_the_node(
    unreachable_node, socle_linked, client, patroller
):
    """The draft view renders the page from its latest revision, whose socle links are an
    in-memory set: the fallback reads them as such (it raised FieldDoesNotExist: a 500)."""
    draft = CompetencyPage.objects.get(code="SLC-D1-C1")
    client.force_login(patroller)
    response = client.get(f"/wiki/{draft.pk}/brouillon/")
    assert response.status_code == 200
    assert "SLB-D1-C2" in response.content.decode()


def test_without_the_node_a_draft_revision_gets_its_socle_links(unreachable_node, socle_linked):
    """The draft reader renders a revision's page: its socle links live in memory."""
    page, _socle = socle_linked
    draft = page.get_latest_revision_as_object()
    draft.statement = "Énoncé en cours de rédaction."
    draft.save_revision()
    draft = CompetencyPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert draft.has_unpublished_changes
    related = competencies_related(
        text=draft.title,
        visibility=PUBLIC,
        referentiel_id=page.get_parent().get_parent().pk,
        page=draft,
    )
    assert set(codes(related)) == {"SOCLE-D4-C02", "SLB-D1-C2"}


def test_the_editors_fragment_answers_with_what_the_reader_may_read(alike, client, patroller):
    first, _second, _draft = alike
    page = competency(first, "ALA-D1-C1")
    params = {"page": page.pk, "title": "Échographie", "statement": WORDING}
    response = client.get("/recherche/proches/", params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "ALB-D2-C3" in html and "ALC-D1-C1" not in html and "ALA-D1-C1" not in html
    assert "private" in response["Cache-Control"]
    client.force_login(patroller)
    assert "ALC-D1-C1" in client.get("/recherche/proches/", params).content.decode()


def test_the_editors_fragment_falls_back_when_the_node_is_down(
    unreachable_node, socle_linked, client
):
    page, _socle = socle_linked
    response = client.get("/recherche/proches/", {"page": page.pk, "title": page.title})
    assert response.status_code == 200
    assert "SLB-D1-C2" in response.content.decode()
    response = client.get("/recherche/proches/", {"title": "rien"})
    assert response.status_code == 200
    assert "Aucune compétence proche" in response.content.decode()


def test_the_editing_form_has_the_panel(alike, client, django_user_model):
    first, _second, _draft = alike
    page = competency(first, "ALA-D1-C1")
    client.force_login(django_user_model.objects.create_superuser("chef", "chef@example.org"))
    html = client.get(f"/wiki/{page.pk}/modifier/").content.decode()
    assert 'data-related-url="/recherche/proches/"' in html and "search/related.js" in html
