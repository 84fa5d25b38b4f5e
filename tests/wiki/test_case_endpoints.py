"""/ims/case/v1p1/… and `case_export` serve the editions: each published edition is a
CFDocument with its version (the package of its export.json); a référentiel without an
edition is served from its published pages; only what the public may read; unknown
identifiers answer 404 in JSON."""

from __future__ import annotations

import io
import json
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from tests.wiki.editions.support import competency, edit_published, published_referentiel
from wiki.exports.case import case_errors, case_identifier
from wiki.services.editions import edition_publish

pytestmark = pytest.mark.django_db

BASE = "/ims/case/v1p1"


def _get(client, path: str):
    response = client.get(BASE + path)
    return response, json.loads(response.content)


def _documents(client) -> dict[str, dict]:
    _response, data = _get(client, "/CFDocuments")
    return {d["identifier"]: d for d in data["CFDocuments"]}


def _first_code(referentiel) -> str:
    """The code of the first competency of the first domain."""
    return f"{referentiel.get_children().first().specific.code}-C1"


def test_every_edition_is_a_document_with_its_version_and_the_latest_record_wins(client):
    referentiel = published_referentiel()
    slug = referentiel.slug
    first = edition_publish(referentiel=referentiel, kind="major")
    page = competency(referentiel, _first_code(referentiel))
    edit_published(page, statement="Formulation de la deuxième édition")
    second = edition_publish(referentiel=referentiel, kind="minor")
    documents = _documents(client)
    for edition in (first, second):
        identifier = case_identifier(slug, edition.version)
        assert documents[identifier]["version"] == edition.version
        response, package = _get(client, f"/CFPackages/{identifier}")
        download = client.get(f"/referentiels/{slug}/v{edition.version}/export.json")
        assert response.content == download.content
        assert case_errors(package) == []
        _response, document = _get(client, f"/CFDocuments/{identifier}")
        assert document == package["CFDocument"]
    # No live document beside the editions.
    assert case_identifier(slug, "live") not in documents
    item_id = case_identifier(slug, second.version, page.code)
    _response, item = _get(client, f"/CFItems/{item_id}")
    assert item["fullStatement"] == "Formulation de la deuxième édition"
    old_id = case_identifier(slug, first.version, page.code)
    _response, old = _get(client, f"/CFItems/{old_id}")
    assert old["fullStatement"] != item["fullStatement"]


def test_a_referentiel_without_edition_is_served_from_its_published_pages(client, tmp_path):
    referentiel = published_referentiel()
    identifier = case_identifier(referentiel.slug, "live")
    documents = _documents(client)
    assert documents[identifier]["version"] == "live"
    out = tmp_path / "live.json"
    call_command("case_export", referentiel.slug, "-o", str(out), stdout=io.StringIO())
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported["CFDocument"]["identifier"] == identifier
    response, _package = _get(client, f"/CFPackages/{identifier}")
    assert response.content == out.read_bytes()
    edition_publish(referentiel=referentiel, kind="major")
    call_command("case_export", referentiel.slug, "-o", str(out), stdout=io.StringIO())
    assert json.loads(out.read_text(encoding="utf-8"))["CFDocument"]["version"] == "1.0"
    assert identifier not in _documents(client)


def test_editions_of_a_referentiel_the_public_may_not_read_are_not_served(client):
    referentiel = published_referentiel()
    edition = edition_publish(referentiel=referentiel, kind="major")
    identifier = case_identifier(referentiel.slug, edition.version)
    assert identifier in _documents(client)
    item = case_identifier(referentiel.slug, edition.version, _first_code(referentiel))
    assert client.get(f"{BASE}/CFItems/{item}").status_code == 200
    PageViewRestriction.objects.create(page=referentiel, restriction_type=PageViewRestriction.LOGIN)
    assert identifier not in _documents(client)
    assert client.get(f"{BASE}/CFPackages/{identifier}").status_code == 404
    assert client.get(f"{BASE}/CFItems/{item}").status_code == 404
    # Even for a signed-in reader: the endpoints read as the public.
    client.force_login(get_user_model().objects.get(username="copil"))
    assert identifier not in _documents(client)


@pytest.mark.parametrize("kind", ["CFDocuments", "CFPackages", "CFItems", "CFAssociations"])
def test_an_unknown_identifier_answers_404_in_json(client, kind):
    identifier = uuid.uuid4()
    response = client.get(f"{BASE}/{kind}/{identifier}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["imsx_codeMajor"] == "failure"
    assert str(identifier) in data["imsx_description"]


def test_items_and_associations_are_found_without_reading_any_package_again(client, monkeypatch):
    from wiki import case_catalogue

    referentiel = published_referentiel()
    edition = edition_publish(referentiel=referentiel, kind="major")
    code = _first_code(referentiel)
    item_id = case_identifier(referentiel.slug, edition.version, code)
    _response, package = _get(client, f"/CFPackages/{case_identifier(referentiel.slug, '1.0')}")
    reads = []
    original = case_catalogue.edition_case_bytes
    monkeypatch.setattr(
        case_catalogue, "edition_case_bytes", lambda e: reads.append(e.pk) or original(e)
    )
    for item in package["CFItems"][:5]:
        response, record = _get(client, f"/CFItems/{item['identifier']}")
        assert response.status_code == 200 and record == item
    for association in package["CFAssociations"][:5]:
        response, record = _get(client, f"/CFAssociations/{association['identifier']}")
        assert response.status_code == 200 and record == association
    _response, item = _get(client, f"/CFItems/{item_id}")
    assert item["humanCodingScheme"] == code
    assert edition.version in {d["version"] for d in _documents(client).values()}
    # Each edition's package was read and indexed once: no request read or parsed it again.
    assert reads == []


def test_a_live_referentiel_is_served_as_published_after_each_publication(client):
    referentiel = published_referentiel()
    page = competency(referentiel, _first_code(referentiel))
    item_id = case_identifier(referentiel.slug, "live", page.code)
    _response, item = _get(client, f"/CFItems/{item_id}")
    assert item["fullStatement"] == page.statement
    edit_published(page, statement="Formulation publiée ensuite")
    _response, item = _get(client, f"/CFItems/{item_id}")
    assert item["fullStatement"] == "Formulation publiée ensuite"


def test_an_edition_package_holds_no_translated_text_so_one_file_serves_every_language():
    from django.core.cache import cache
    from django.utils import translation

    from wiki import case_catalogue

    referentiel = published_referentiel()
    edition = edition_publish(referentiel=referentiel, kind="major")
    key = f"wiki:edition:case:v{case_catalogue.PACKAGE_VERSION}:{edition.pk}"
    built = {}
    for language in ("fr", "en"):
        cache.delete(key)
        with translation.override(language):
            built[language] = case_catalogue.edition_case_bytes(edition)
    assert built["fr"] == built["en"]
