"""The downloads of an edition are built once per edition and language, then served from the
cache; the home page leads to each référentiel's latest edition and its downloads, and shows a
new edition at once even when the page is in the full-page cache."""

import pytest
from django.conf import settings
from django.test import Client

from tests.wiki.editions.support import published_referentiel
from wiki import rendering
from wiki.services.editions import edition_publish
from wiki.views import editions as views

pytestmark = pytest.mark.django_db

SOCLE = "socle-numerique-en-sante"


def _client(language: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_each_download_of_an_edition_is_built_once_per_language(monkeypatch):
    referentiel = published_referentiel(prefix="DL")
    edition = edition_publish(referentiel=referentiel, kind="major")
    base = f"/referentiels/{referentiel.slug}/v{edition.version}"
    reads = []
    original = views.edition_snapshot
    monkeypatch.setattr(views, "edition_snapshot", lambda e: reads.append(e.pk) or original(e))
    formats = ("pdf", "csv", "xlsx", "json")

    first = {f: _client("fr").get(f"{base}/export.{f}") for f in formats}
    assert all(r.status_code == 200 for r in first.values())
    assert reads, "the first downloads read the edition's snapshot"
    reads.clear()
    again = {f: _client("fr").get(f"{base}/export.{f}") for f in formats}
    assert reads == []  # served from the cache: neither rebuilt nor digested
    assert all(again[f].content == first[f].content for f in formats)

    english = _client("en").get(f"{base}/export.csv").content.decode("utf-8-sig")
    assert english.startswith("Competency framework;Domain code;")  # its own entry, English headers
    assert first["csv"].content.decode("utf-8-sig").startswith("Référentiel;Code du domaine;")


def test_the_home_page_leads_to_each_referentiels_latest_edition_or_its_published_pages():
    referentiel = published_referentiel()
    html = Client().get("/").content.decode()
    assert f'<a href="/referentiels/{SOCLE}/">Édition 1.0 : la lire, la télécharger' in html
    assert (
        "Pas encore d’édition validée : "
        f'<a href="/referentiels/{referentiel.slug}/">télécharger les pages publiées' in html
    )


def test_a_new_edition_shows_on_the_home_page_kept_by_the_page_cache(
    settings, django_capture_on_commit_callbacks
):
    settings.WIKI_PAGE_CACHE_SECONDS = 300
    rendering.links_version_bump()  # no entry stored by an earlier test
    referentiel = published_referentiel()
    Client().get("/")
    cached = Client().get("/")
    assert cached["X-Page-Cache"] == "hit"
    assert f'<a href="/referentiels/{referentiel.slug}/">Édition' not in cached.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        edition_publish(referentiel=referentiel, kind="major")
    html = Client().get("/").content.decode()
    assert f'<a href="/referentiels/{referentiel.slug}/">Édition 1.0' in html


def test_a_referentiel_without_an_edition_offers_its_four_downloads():
    referentiel = published_referentiel()
    html = Client().get(f"/referentiels/{referentiel.slug}/").content.decode()
    for extension in ("pdf", "csv", "xlsx", "json"):
        assert f'href="/referentiels/{referentiel.slug}/export.{extension}"' in html


def test_an_editions_files_are_built_after_its_publication_so_its_first_reader_is_served(
    settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.EDITION_FILES_AFTER_PUBLICATION = "now"
    referentiel = published_referentiel(prefix="PB")
    with django_capture_on_commit_callbacks(execute=True):
        edition = edition_publish(referentiel=referentiel, kind="major")
    reads = []
    original = views.edition_snapshot
    monkeypatch.setattr(views, "edition_snapshot", lambda e: reads.append(e.pk) or original(e))
    base = f"/referentiels/{referentiel.slug}/v{edition.version}"
    for extension in ("pdf", "csv", "xlsx", "json"):
        assert _client("fr").get(f"{base}/export.{extension}").status_code == 200
    assert reads == []  # the first reader was served what the publication had built


def test_a_file_that_fails_to_build_after_publication_does_not_fail_it(
    settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.EDITION_FILES_AFTER_PUBLICATION = "now"
    referentiel = published_referentiel(prefix="PF")

    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint is missing")

    monkeypatch.setattr(views, "referentiel_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        edition = edition_publish(referentiel=referentiel, kind="major")
    assert edition.pk is not None and edition.version == "1.0"
    monkeypatch.undo()
    reads = []
    original = views.edition_snapshot
    monkeypatch.setattr(views, "edition_snapshot", lambda e: reads.append(e.pk) or original(e))
    base = f"/referentiels/{referentiel.slug}/v{edition.version}"
    assert _client("fr").get(f"{base}/export.csv").status_code == 200
    assert reads == []  # the other files were built
    pdf = _client("fr").get(f"{base}/export.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")  # built on its download
