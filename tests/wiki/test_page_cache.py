"""The full-page cache (wiki/page_cache.py): anonymous views of published pages are served from
Redis, hold nothing of a visitor, and are never stale after a publication, a move, a deletion,
a change of what their wikilinks point to, or a view restriction."""

import pytest
from django.test import Client
from wagtail.models import Page, PageViewRestriction

from tests.factories.accounts import UserFactory
from tests.wiki.history_support import account, edit, socle_competency
from wiki import rendering
from wiki.models import CompetencyPage, DomainPage

pytestmark = pytest.mark.django_db

HIT = "X-Page-Cache"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.WIKI_PAGE_CACHE_SECONDS = 300
    # The test run shares one cache while each test rolls its database back: start from a
    # version no earlier test stored pages under.
    rendering.links_version_bump()


def anonymous_get(url: str):
    response = Client().get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def cached(url: str) -> str:
    """The page as the public sees it, after checking that it now comes from the cache."""
    anonymous_get(url)
    response = anonymous_get(url)
    assert response.get(HIT) == "hit", "the second anonymous view is not served from the cache"
    return response.content.decode()


def publish(page, **fields):
    return edit(
        page, UserFactory(username="admin-cache", is_superuser=True), publish=True, **fields
    )


def test_an_anonymous_view_is_cached_and_holds_nothing_of_a_logged_in_visit():
    page = socle_competency()
    patroller = account("patrouilleur")
    edit(page, patroller, statement="Brouillon confidentiel non publié.")
    editor = UserFactory(first_name="Henriette", last_name="Nomdecompte", is_superuser=True)
    logged_in = Client()
    logged_in.force_login(editor)
    seen = logged_in.get(page.url).content.decode()
    assert "Nomdecompte" in seen and "csrfmiddlewaretoken" in seen  # what must not leak

    body = cached(page.url)
    assert page.title in body
    assert "Nomdecompte" not in body
    assert "csrfmiddlewaretoken" not in body
    assert "Brouillon confidentiel" not in body
    assert "modifications non publiées" not in body and "unpublished changes" not in body
    again = Client().get(page.url)
    assert not again.cookies, "a cached page sets no cookie"

    # A logged-in visit after it is never answered from the cache.
    after = logged_in.get(page.url)
    assert after.get(HIT) is None
    assert "Nomdecompte" in after.content.decode()


def test_requests_with_a_session_or_a_query_string_are_not_answered_from_the_cache():
    url = socle_competency().url
    cached(url)
    client = Client()
    client.cookies["sessionid"] = "une-session"
    assert client.get(url).get(HIT) is None
    assert Client().get(url + "?q=x").get(HIT) is None


def test_the_cached_page_is_fresh_after_a_publication():
    page = socle_competency()
    assert "Énoncé republié" not in cached(page.url)
    publish(page, statement="Énoncé republié.")
    assert "Énoncé republié" in cached(page.url)


def test_the_cached_page_is_fresh_after_a_move():
    page = socle_competency()
    old_url = page.url
    cached(old_url)
    other_domain = DomainPage.objects.live().exclude(pk=page.get_parent().pk).first()
    page.move(other_domain, pos="last-child")
    assert Client().get(old_url).status_code != 200
    assert page.title in cached(Page.objects.get(pk=page.pk).url)


def test_the_cached_page_is_fresh_after_a_deletion():
    page = socle_competency()
    url = page.url
    cached(url)
    Page.objects.get(pk=page.pk).delete()
    assert Client().get(url).status_code == 404


def test_the_cached_page_follows_the_targets_of_its_wikilinks():
    page = socle_competency()
    target = CompetencyPage.objects.get(code="SOCLE-D1-C02")
    publish(page, body="Voir [[Une compétence à venir]] et [[SOCLE-D1-C02]].")
    body = cached(page.url)
    assert "wikilink--missing" in body and target.title in body

    # The target of a red link is created: the link turns blue.
    domain = page.get_parent()
    created = CompetencyPage(title="Une compétence à venir", slug="a-venir", code="TEST-AV")
    domain.add_child(instance=created)
    created.save_revision().publish()
    body = cached(page.url)
    assert "wikilink--missing" not in body

    # A target is renamed: the link shows its new title.
    publish(target, title="Titre renommé de la cible")
    assert "Titre renommé de la cible" in cached(page.url)

    # A target is deleted: its link turns red.
    Page.objects.get(pk=created.pk).delete()
    assert "wikilink--missing" in cached(page.url)


def test_a_restricted_page_is_never_cached():
    page = socle_competency()
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )
    for _ in range(2):
        response = Client().get(page.url)
        assert response.status_code == 302 and response.get(HIT) is None
    restriction.delete()
    cached(page.url)


def test_a_cached_page_is_not_served_once_its_page_is_restricted():
    page = socle_competency()
    cached(page.url)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = Client().get(page.url)
    assert response.status_code == 302, "the restricted page was served from the cache"


def test_an_anonymous_visitor_switches_language_without_a_csrf_token():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
