"""/api/v1/ editions: a référentiel's published editions (paginated, newest first) and one
edition with its metadata, changelog and frozen content; only for référentiels the public
may read."""

from __future__ import annotations

import pytest
from wagtail.models import PageViewRestriction

from tests.wiki.editions.support import competency, edit_published, published_referentiel
from wiki.services.editions import edition_publish

pytestmark = pytest.mark.django_db

SOCLE = "socle-numerique-en-sante"


def test_the_editions_of_a_referentiel_are_listed_newest_first_and_paginated(client):
    referentiel = published_referentiel()
    slug = referentiel.slug
    edition_publish(referentiel=referentiel, kind="major", changelog="Première édition.")
    edition_publish(referentiel=referentiel, kind="minor", changelog="Coquilles.")
    edition_publish(referentiel=referentiel, kind="major", changelog="Refonte.")
    data = client.get(f"/api/v1/referentiels/{slug}/editions/").json()
    assert data["count"] == 3
    assert [e["version"] for e in data["items"]] == ["2.0", "1.1", "1.0"]
    newest = data["items"][0]
    assert newest["kind"] == "major" and newest["changelog"] == "Refonte."
    assert newest["title"] == referentiel.title
    assert newest["url"] == f"/referentiels/{slug}/v2.0/"
    assert newest["downloads"] == {
        "pdf": f"/referentiels/{slug}/v2.0/export.pdf",
        "csv": f"/referentiels/{slug}/v2.0/export.csv",
        "xlsx": f"/referentiels/{slug}/v2.0/export.xlsx",
        "case": f"/referentiels/{slug}/v2.0/export.json",
    }
    for url in newest["downloads"].values():
        assert client.get(url).status_code == 200
    page_two = client.get(f"/api/v1/referentiels/{slug}/editions/", {"page_size": 2, "page": 2})
    assert [e["version"] for e in page_two.json()["items"]] == ["1.0"]


def test_one_edition_comes_with_its_frozen_content_not_todays_pages(client):
    referentiel = published_referentiel(domains=2, per_domain=2)
    slug = referentiel.slug
    code = f"{referentiel.get_children().first().specific.code}-C1"
    edition_publish(referentiel=referentiel, kind="major", changelog="Première édition.")
    edit_published(competency(referentiel, code), statement="Formulation d'après l'édition")
    data = client.get(f"/api/v1/referentiels/{slug}/editions/1.0/").json()
    assert data["version"] == "1.0" and data["referentiel"] == slug
    assert data["changelog"] == "Première édition."
    assert data["previous_version"] is None
    assert [len(d["competencies"]) for d in data["domains"]] == [2, 2]
    first = data["domains"][0]["competencies"][0]
    assert first["code"] == code
    assert first["statement"] != "Formulation d'après l'édition"
    edition_publish(referentiel=referentiel, kind="minor")
    newer = client.get(f"/api/v1/referentiels/{slug}/editions/1.1/").json()
    assert newer["previous_version"] == "1.0"
    assert newer["domains"][0]["competencies"][0]["statement"] == "Formulation d'après l'édition"


def test_editions_of_what_the_public_may_not_read_and_unknown_ones_are_404(client):
    assert client.get(f"/api/v1/referentiels/{SOCLE}/editions/1.0/").status_code == 200
    assert client.get(f"/api/v1/referentiels/{SOCLE}/editions/9.9/").status_code == 404
    assert client.get(f"/api/v1/referentiels/{SOCLE}/editions/pas-une-version/").status_code == 404
    assert client.get("/api/v1/referentiels/inconnu/editions/").status_code == 404
    other = published_referentiel()
    edition_publish(referentiel=other, kind="major")
    # The socle's edition is not reachable under another référentiel's slug.
    assert client.get(f"/api/v1/referentiels/{other.slug}/editions/1.0/").json()["referentiel"] == (
        other.slug
    )
    PageViewRestriction.objects.create(page=other, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(f"/api/v1/referentiels/{other.slug}/editions/").status_code == 404
    assert client.get(f"/api/v1/referentiels/{other.slug}/editions/1.0/").status_code == 404
