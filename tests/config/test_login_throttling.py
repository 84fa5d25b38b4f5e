"""Login throttling (django-axes) on every login page: per account and per address."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

PASSWORD = "un mot de passe correct 2026"
LOGIN_PAGES = ["/connexion/", "/admin/login/", "/django-admin/login/"]


@pytest.fixture
def accounts():
    users = get_user_model().objects
    return (
        users.create_superuser("cible", "cible@example.org", PASSWORD),
        users.create_superuser("voisin", "voisin@example.org", PASSWORD),
    )


def _login(client, page, username, password, address="10.0.0.1"):
    return client.post(page, {"username": username, "password": password}, REMOTE_ADDR=address)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _fail(client, page, username, times=5, address="10.0.0.1"):
    for _ in range(times):
        response = _login(client, page, username, "mauvais", address)
        assert not _logged_in(client)
    return response


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_a_few_mistakes_do_not_lock_anyone_out(client, accounts, page):
    _fail(client, page, "cible", times=4)
    response = _login(client, page, "cible", PASSWORD)
    assert response.status_code == 302 and _logged_in(client)


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_the_right_password_is_refused_after_five_wrong_ones(client, accounts, page):
    _fail(client, page, "cible")
    response = _login(client, page, "cible", PASSWORD)
    assert response.status_code == 429 and not _logged_in(client)
    html = response.content.decode()
    assert "Trop de tentatives de connexion" in html
    assert "Réessayez dans 15 minutes" in html


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_an_address_that_failed_too_often_is_refused_for_every_account(client, accounts, page):
    _fail(client, page, "cible", address="10.0.0.1")
    response = _login(client, page, "voisin", PASSWORD, address="10.0.0.1")
    assert response.status_code == 429 and not _logged_in(client)


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_an_account_that_failed_too_often_is_refused_from_every_address(client, accounts, page):
    _fail(client, page, "cible", address="10.0.0.1")
    response = _login(client, page, "cible", PASSWORD, address="10.0.0.2")
    assert response.status_code == 429 and not _logged_in(client)


def test_failures_on_one_page_count_on_the_other(client, accounts):
    _fail(client, LOGIN_PAGES[0], "cible", times=3)
    _fail(client, LOGIN_PAGES[1], "cible", times=2)
    assert _login(client, LOGIN_PAGES[0], "cible", PASSWORD).status_code == 429


def test_other_accounts_from_other_addresses_still_log_in(client, accounts):
    _fail(client, LOGIN_PAGES[0], "cible", address="10.0.0.1")
    response = _login(client, LOGIN_PAGES[0], "voisin", PASSWORD, address="10.0.0.2")
    assert response.status_code == 302 and _logged_in(client)
