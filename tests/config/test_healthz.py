import pytest
from django.db import connection
from django.test import override_settings

from search.connection import client as search_client

pytestmark = pytest.mark.django_db


def test_healthz_reports_every_service_ok(client, elasticsearch, redis_url):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "channel_layer": "ok",
        "search": "ok",
    }


def test_healthz_reports_search_down_when_elasticsearch_is_unreachable(client):
    # A real refused connection: nothing listens on port 9.
    search_client.cache_clear()
    try:
        with override_settings(ELASTICSEARCH_URL="http://127.0.0.1:9"):
            response = client.get("/healthz")
    finally:
        search_client.cache_clear()
    assert response.status_code == 200  # the database search answers meanwhile
    assert response.json()["search"] == "down"
    assert response.json()["status"] == "degraded"


def test_healthz_reports_search_disabled_without_elasticsearch(client):
    with override_settings(ELASTICSEARCH_URL=None):
        response = client.get("/healthz")
    assert response.json()["search"] == "disabled"


@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_when_the_database_is_down(client):
    original_port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "9"  # nothing listens there: a real refused connection
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict["PORT"] = original_port
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "down"
    assert body["status"] == "down"
