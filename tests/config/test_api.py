"""/api/v1/: a valid OpenAPI 3 description, browsable docs, open to other sites for reading
(CORS), and a rate per client (429 with Retry-After)."""

import pytest
from django.test import override_settings
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

ORIGIN = "https://autre-site.example"


def test_the_openapi_description_validates_and_lists_every_endpoint(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    spec = response.json()
    validate(spec)  # raises on an invalid OpenAPI document
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) >= {
        "/api/v1/referentiels/",
        "/api/v1/referentiels/{slug}/",
        "/api/v1/referentiels/{slug}/editions/",
        "/api/v1/referentiels/{slug}/editions/{version}/",
        "/api/v1/competencies/",
        "/api/v1/competencies/{code}/",
        "/api/v1/search/",
    }
    assert all(set(operations) == {"get"} for operations in spec["paths"].values())


def test_the_docs_are_browsable(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/v1/schema/" in html
    assert 'lang="fr"' in html


def test_other_sites_may_read_but_not_send_credentials(client):
    response = client.get("/api/v1/referentiels/", headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        "/api/v1/competencies/",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 200
    assert set(preflight["Access-Control-Allow-Methods"].replace(" ", "").split(",")) == {
        "GET",
        "HEAD",
        "OPTIONS",
    }
    case = client.get("/ims/case/v1p1/CFDocuments", headers={"Origin": ORIGIN})
    assert case["Access-Control-Allow-Origin"] == "*"


def test_the_site_itself_is_not_opened_to_other_origins(client):
    response = client.get("/referentiels/", headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in response


@override_settings(API_RATE_LIMIT=(3, 3600))
def test_each_client_has_its_own_rate_then_gets_429_with_retry_after(client):
    first = {"REMOTE_ADDR": "192.0.2.10"}
    statuses = [client.get("/api/v1/referentiels/", **first).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/competencies/", **first)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3600
    other = client.get("/api/v1/referentiels/", REMOTE_ADDR="192.0.2.11")
    assert other.status_code == 200
