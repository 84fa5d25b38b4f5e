"""HTML is compressed for anonymous readers, and never when the body may hold a secret (a CSRF
token, a signed-in reader's page): BREACH needs a secret in a compressed body."""

import gzip

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGE = "/socle-numerique-en-sante/"


def test_an_anonymous_page_view_is_compressed(client):
    response = client.get(PAGE, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert b"</html>" in gzip.decompress(response.content)


def test_a_signed_in_readers_page_is_not_compressed(client):
    client.force_login(get_user_model().objects.get(username="editeur.radiologie"))
    response = client.get(PAGE, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


def test_a_page_holding_a_csrf_token_is_not_compressed(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert not response.has_header("Content-Encoding")


def test_no_compression_without_accept_encoding(client):
    response = client.get(PAGE)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
