"""One visibility rule, asserted on every surface: role × page state × surface.

The page states and LEVELS (what each role may read of each state) are in
visibility_support.py. Each surface is observed from the outside (HTTP responses, e-mails,
search results) and compared with what the level allows. The recent-changes WebSocket is
asserted in test_visibility_websocket.py.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from search.connection import breaker
from tests.search.helpers import refresh
from tests.wiki.history_support import account
from tests.wiki.visibility_support import (
    PASSES_RESTRICTION,
    ROLES,
    build_world,
    level,
    red_link,
    word,
)
from wiki.models import Watch
from wiki.services.watchlists import notifications_for_change

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(user_factory):
    author = user_factory(username="auteur.matrice")
    return build_world(author)


def client_for(role: str) -> tuple[Client, object]:
    client = Client()
    username = ROLES[role]
    if username is None:
        return client, None
    user = account(username)
    client.force_login(user)
    return client, user


ROLE_NAMES = list(ROLES)


def test_the_published_version_of_a_live_page_without_its_newer_draft(world):
    """The live_with_draft fixture is what it says: published text live, draft text not."""
    pages, _target = world
    page = pages["live_with_draft"].page
    assert page.live and page.has_unpublished_changes
    assert page.statement == word("pub", "live_with_draft")


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_public_page_url(world, role):
    pages, _target = world
    client, _user = client_for(role)
    for state, entry in pages.items():
        response = client.get(f"/{entry.page.url_path.split('/', 2)[2]}")
        served = response.status_code == 200
        expected = state in ("live", "live_with_draft") or (
            state == "restricted" and role in PASSES_RESTRICTION
        )
        assert served is expected, (role, state, response.status_code)
        body = response.content.decode()
        assert word("draft", state) not in body, (role, state)
        if served:
            assert word("pub", state) in body


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_draft_reader(world, role):
    pages, _target = world
    client, _user = client_for(role)
    for state, entry in pages.items():
        response = client.get(reverse("wiki:draft", args=[entry.page.pk]))
        body = response.content.decode()
        if level(role, state) == "D":
            assert response.status_code == 200, (role, state)
            latest = "draft" if entry.draft_revision_id else "pub"
            assert word(latest, state) in body
        else:
            assert response.status_code in (302, 404), (role, state, response.status_code)
            assert word("draft", state) not in body and word("pub", state) not in body
            if level(role, state) == "P":  # sent to the published page
                assert response["Location"] == entry.page.url
            elif response.status_code == 302:
                assert "/connexion/" in response["Location"]


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_history(world, role):
    pages, _target = world
    client, _user = client_for(role)
    for state, entry in pages.items():
        response = client.get(reverse("wiki:history", args=[entry.page.pk]))
        lvl = level(role, state)
        if lvl == "-":
            assert response.status_code == 404, (role, state)
            continue
        assert response.status_code == 200, (role, state)
        body = response.content.decode()
        if entry.published_change_id:
            assert f'id="change-{entry.published_change_id}"' in body or (
                f"a={entry.published_revision_id}" in body
            ), (role, state)
        if entry.draft_revision_id:
            shown = f"a={entry.draft_revision_id}" in body
            assert shown is (lvl == "D"), (role, state)


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_diff(world, role):
    pages, _target = world
    client, _user = client_for(role)
    for state, entry in pages.items():
        lvl = level(role, state)
        url = reverse("wiki:diff", args=[entry.page.pk])
        if entry.draft_revision_id:
            response = client.get(f"{url}?a={entry.draft_revision_id}")
            assert (response.status_code == 200) is (lvl == "D"), (role, state)
            if lvl != "D":
                assert word("draft", state) not in response.content.decode()
            if entry.published_revision_id:  # published → draft, asked the other way round
                response = client.get(
                    f"{url}?a={entry.published_revision_id}&de={entry.draft_revision_id}"
                )
                assert (response.status_code == 200) is (lvl == "D"), (role, state)
        if entry.published_revision_id:
            response = client.get(f"{url}?a={entry.published_revision_id}")
            assert (response.status_code == 200) is (lvl != "-"), (role, state)
            if response.status_code == 200:
                assert word("pub", state) in response.content.decode()


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_discussions(world, role):
    pages, _target = world
    client, _user = client_for(role)
    for state, entry in pages.items():
        response = client.get(reverse("wiki:discussion", args=[entry.page.pk]))
        body = response.content.decode()
        if role == "anonymous":
            assert response.status_code == 302 and "/connexion/" in response["Location"]
        elif level(role, state) == "-":
            assert response.status_code == 404, (role, state)
        else:
            assert response.status_code == 200 and word("fil", state) in body, (role, state)
        if response.status_code != 200:
            assert word("fil", state) not in body


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_backlinks_and_wanted_pages(world, role):
    pages, target = world
    client, _user = client_for(role)
    backlinks = client.get(reverse("wiki:backlinks", args=[target.pk])).content.decode()
    wanted = client.get(reverse("wiki:wanted-pages")).content.decode()
    for state, entry in pages.items():
        lvl = level(role, state)
        # Every version links to the target; each version asks for its own missing page.
        assert (entry.page.title in backlinks) is (lvl != "-"), (role, state)
        if entry.published_revision_id:
            assert (red_link("publiée", state) in wanted) is (lvl != "-"), (role, state)
        if entry.draft_revision_id:
            assert (red_link("brouillon", state) in wanted) is (lvl == "D"), (role, state)


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_recent_changes_over_http(world, role):
    pages, _target = world
    client, _user = client_for(role)
    body = client.get(reverse("wiki:recent-changes")).content.decode()
    for state, entry in pages.items():
        lvl = level(role, state)
        if entry.published_change_id:
            shown = f'id="change-{entry.published_change_id}"' in body
            assert shown is (lvl != "-"), (role, state)
        if entry.draft_change_id:
            shown = f'id="change-{entry.draft_change_id}"' in body
            assert shown is (lvl == "D"), (role, state)


@pytest.mark.parametrize("role", [r for r in ROLE_NAMES if r != "anonymous"])
def test_watchlist_notifications_and_emails(world, role):
    pages, _target = world
    _client, user = client_for(role)
    for entry in pages.values():
        Watch.objects.create(user=user, page=entry.page)
    for state, entry in pages.items():
        lvl = level(role, state)
        for change_id, allowed in (
            (entry.published_change_id, lvl != "-"),
            (entry.draft_change_id, lvl == "D"),
        ):
            if change_id is None:
                continue
            mail.outbox.clear()
            notifications_for_change(change_id)
            recipients = {address for message in mail.outbox for address in message.to}
            assert (user.email in recipients) is allowed, (role, state, change_id)
            assert user.wiki_notifications.filter(change_id=change_id).exists() is allowed


@pytest.fixture
def indexed_world(reindexed_after, django_capture_on_commit_callbacks, user_factory):
    """The world, indexed through the outbox (its on-commit flush run here)."""
    breaker.reset()
    with django_capture_on_commit_callbacks(execute=True):
        result = build_world(user_factory(username="auteur.matrice"))
    refresh()
    return result


def _codes(response) -> set[str]:
    assert response.status_code == 200, response.content[:300]
    data = json.loads(response.content)
    assert data.get("backend", "elasticsearch") == "elasticsearch"
    return {result["code"] for result in data["results"]}


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_search_and_autocomplete(indexed_world, role):
    pages, _target = indexed_world
    client, _user = client_for(role)
    suggested = _codes(client.get("/api/search/autocomplete/", {"q": "Visibilité"}))
    for state, entry in pages.items():
        lvl = level(role, state)
        code = entry.page.code
        published = _codes(client.get("/api/search/", {"q": word("pub", state)}))
        draft = _codes(client.get("/api/search/", {"q": word("draft", state)}))
        # The index holds a live page's published version, and the latest version of a page
        # that is not live (for those who read its drafts).
        if state in ("live", "live_with_draft"):
            assert (code in published) is (lvl != "-"), (role, state)
            assert code not in draft, (role, state)  # a live page's newer draft is not indexed
        elif state == "restricted":
            assert (code in published) is (lvl != "-"), (role, state)
        elif state == "draft_only":
            assert (code in draft) is (lvl == "D"), (role, state)
        else:  # unpublished: its last version, for drafts readers only
            assert (code in published) is (lvl == "D"), (role, state)
        assert (code in suggested) is (lvl != "-"), (role, state)


EXPORT_ROLES = {  # who may download a study's exports
    "anonymous": False,
    "editor_cerf": False,
    "editor_cnge": False,
    "patroller": False,
    "panelist": False,
    "committee": True,
    "superuser": True,
}


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_consensus_exports(role):
    from tests.factories.consensus import StudyFactory

    study = StudyFactory()
    client, _user = client_for(role)
    for name in ("consensus:export-csv", "consensus:export-xlsx"):
        response = client.get(reverse(name, args=[study.pk]))
        if EXPORT_ROLES[role]:
            assert response.status_code != 403 and "/connexion/" not in response.get("Location", "")
        else:
            assert response.status_code in (302, 403), (role, name, response.status_code)
            if response.status_code == 302:
                assert "/connexion/" in response["Location"]


def test_a_password_restriction_is_passed_only_by_its_session(world):
    """Wagtail's password restriction: the page, history and backlinks open once the session
    gave the password, and only then."""
    pages, _target = world
    page = pages["live"].page
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="sésame"
    )
    client, _user = client_for("panelist")
    history = reverse("wiki:history", args=[page.pk])
    assert client.get(history).status_code == 404
    assert client.get(page.url).status_code == 200  # Wagtail's password form
    assert word("pub", "live") not in client.get(page.url).content.decode()
    form = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
    client.post(form, {"password": "sésame", "return_url": page.url})
    assert word("pub", "live") in client.get(page.url).content.decode()
    assert client.get(history).status_code == 200


def test_every_role_of_the_matrix_exists():
    users = get_user_model().objects.filter(username__in=[u for u in ROLES.values() if u])
    assert users.count() == len(ROLES) - 1
    assert users.get(username="admin").is_superuser
