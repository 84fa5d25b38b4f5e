"""The cached fragments of a page view (wiki/fragments.py): a competency page's article and
breadcrumb are cached for every reader, signed in or not, hold nothing of a user (name, CSRF
token) nor a draft, and are never stale after a publication, a move, a deletion or a change of
what their wikilinks point to."""

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from tests.factories.accounts import UserFactory
from tests.wiki.history_support import account, edit, socle_competency
from wiki import rendering
from wiki.models import CompetencyPage, DomainPage, HomePage

pytestmark = pytest.mark.django_db

# The article's own queries; a view served from the cached fragment runs none of them.
ARTICLE_TABLE = "wiki_learningoutcome"


@pytest.fixture(autouse=True)
def fragments_on(settings):
    settings.WIKI_FRAGMENT_CACHE_SECONDS = 300
    # The test run shares one cache while each test rolls its database back: start from a
    # version no earlier test stored fragments under.
    rendering.links_version_bump()


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def view(client: Client, url: str) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode(), [q["sql"] for q in queries.captured_queries]


def cached(client: Client, url: str) -> str:
    """The page as `client` sees it, after checking that its article came from the cache."""
    view(client, url)
    html, sql = view(client, url)
    assert not any(ARTICLE_TABLE in q for q in sql), "the article was rendered again"
    return html


def csrf_tokens(html: str) -> set[str]:
    return {part.split('"')[0] for part in html.split('name="csrfmiddlewaretoken" value="')[1:]}


def socle_editor(**fields):
    """A member of the socle college's editors (they read the socle's drafts)."""
    user = UserFactory(**fields)
    socle = socle_competency().get_parent().get_parent().specific
    user.groups.add(socle.college.editors_group)
    return user


def publish(page, **fields):
    return edit(
        page, UserFactory(username="admin-fragments", is_superuser=True), publish=True, **fields
    )


def test_a_logged_in_view_serves_the_article_from_the_cache_with_few_queries():
    url = socle_competency().url
    client = client_for(socle_editor())
    view(client, url)
    html, sql = view(client, url)
    assert socle_competency().title in html
    assert not any(ARTICLE_TABLE in q for q in sql)
    assert len(sql) <= 16, "\n".join(sql)


def test_the_home_page_routes_to_a_deep_page_in_two_queries(django_assert_max_num_queries):
    page = socle_competency()
    home = HomePage.objects.get()
    components = [part for part in page.url.split("/") if part]
    assert len(components) == 3
    with django_assert_max_num_queries(2):
        found = home.route(RequestFactory().get(page.url), components)
    assert found.page.pk == page.pk and isinstance(found.page, CompetencyPage)


def test_routing_answers_404_for_a_missing_or_unpublished_page():
    page = socle_competency()
    assert Client().get(page.url + "inexistante/").status_code == 404
    assert Client().get(page.get_parent().url + "inexistante/").status_code == 404
    page.unpublish()
    assert Client().get(page.url).status_code == 404


def test_a_shared_fragment_holds_no_name_csrf_token_or_draft():
    page = socle_competency()
    edit(page, account("patrouilleur"), statement="Brouillon confidentiel non publié.")
    first = client_for(socle_editor(first_name="Henriette", last_name="Nomdecompte"))
    second = client_for(socle_editor(first_name="Ludovic", last_name="Autrecompte"))
    seen = cached(first, page.url)
    assert "Nomdecompte" in seen

    html = cached(second, page.url)  # same audience: the same fragment
    assert "Nomdecompte" not in html and "Autrecompte" in html
    first_tokens, second_tokens = csrf_tokens(seen), csrf_tokens(html)
    assert first_tokens and second_tokens and not first_tokens & second_tokens
    assert "Brouillon confidentiel" not in html
    public = cached(Client(), page.url)
    assert "Nomdecompte" not in public and "csrfmiddlewaretoken" not in public
    assert "Brouillon confidentiel" not in public

    # The draft reader shows the draft, and does not leave it in the live view's fragment.
    draft = first.get(f"/wiki/{page.pk}/brouillon/").content.decode()
    assert "Brouillon confidentiel" in draft
    assert "Brouillon confidentiel" not in cached(first, page.url)


def test_drafts_in_a_fragment_reach_only_the_readers_of_those_drafts():
    page = CompetencyPage.objects.get(code="SOCLE-D1-C02")
    refining = CompetencyPage.objects.filter(socle_refs=page)
    draft = next(p for p in refining if not p.live and p.code.startswith("MG-"))
    mine = cached(client_for(account("editeur.medecine-generale")), page.url)
    assert draft.code in mine and f"/wiki/{draft.pk}/brouillon/" in mine
    assert draft.code not in cached(client_for(account("editeur.radiologie")), page.url)
    assert draft.code not in cached(Client(), page.url)


def test_the_fragment_is_fresh_after_a_publication():
    page = socle_competency()
    client = client_for(socle_editor())
    assert "Énoncé republié" not in cached(client, page.url)
    publish(page, statement="Énoncé republié.")
    assert "Énoncé republié" in cached(client, page.url)


def test_the_fragment_is_fresh_after_a_move():
    page = socle_competency()
    client = client_for(socle_editor())
    old_domain = page.get_parent()
    cached(client, page.url)
    other_domain = DomainPage.objects.live().exclude(pk=old_domain.pk).first()
    page.move(other_domain, pos="last-child")
    moved = Page.objects.get(pk=page.pk)
    assert client.get(page.url).status_code != 200  # Wagtail redirects the old URL
    html = cached(client, moved.url)
    breadcrumb = html.split('class="container breadcrumb"')[1].split("</nav>")[0]
    assert other_domain.title in breadcrumb and old_domain.title not in breadcrumb


def test_the_fragment_is_fresh_after_a_deletion():
    page = socle_competency()
    client = client_for(socle_editor())
    url = page.url
    cached(client, url)
    Page.objects.get(pk=page.pk).delete()
    assert client.get(url).status_code == 404


def test_the_fragment_follows_the_targets_of_its_wikilinks():
    page = socle_competency()
    client = client_for(socle_editor())
    target = CompetencyPage.objects.get(code="SOCLE-D1-C02")
    publish(page, body="Voir [[Une compétence à venir]] et [[SOCLE-D1-C02]].")
    body = cached(client, page.url)
    assert "wikilink--missing" in body and target.title in body

    domain = page.get_parent()
    created = CompetencyPage(title="Une compétence à venir", slug="a-venir", code="TEST-AV")
    domain.add_child(instance=created)
    created.save_revision().publish()
    assert "wikilink--missing" not in cached(client, page.url)

    publish(target, title="Titre renommé de la cible")
    assert "Titre renommé de la cible" in cached(client, page.url)

    Page.objects.get(pk=created.pk).delete()
    assert "wikilink--missing" in cached(client, page.url)
