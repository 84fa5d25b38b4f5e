"""/referentiels/<slug>/ and its editions: one edition forever, the diff between two, the
journal of one, and its downloads (CASE 1.1 JSON, PDF, CSV, XLSX) built from its snapshot.

An edition is shown only to readers who may see its référentiel (wiki.visibility). What is
drawn from an edition alone never changes, so it is rendered once per edition (and language)
and cached under the edition's id."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from wiki import visibility
from wiki.case_catalogue import edition_case_bytes
from wiki.edition_diff import editions_diff
from wiki.exports.csv import referentiel_csv
from wiki.exports.pdf import referentiel_pdf
from wiki.exports.xlsx import referentiel_xlsx
from wiki.models import Edition, ReferentielPage
from wiki.services.editions import (
    edition_get,
    edition_latest,
    edition_previous,
    edition_snapshot,
    editions_of,
)
from wiki.snapshots import referentiel_snapshot_live
from wiki.views.exports import XLSX_TYPE, _attachment

logger = logging.getLogger(__name__)

# Bump when the edition templates change: cached renderings are keyed by it.
TEMPLATE_VERSION = 3
CACHE_SECONDS = 30 * 24 * 3600
T = TypeVar("T", str, bytes)


def _cached(key: str, build: Callable[[], T]) -> T:
    """A rendering (HTML or file) that never changes, per language, from the cache or built
    once (a cache outage builds)."""
    key = f"wiki:edition:v{TEMPLATE_VERSION}:{get_language()}:{key}"
    try:
        value = cache.get(key)
    except Exception:  # noqa: BLE001 - a cache outage rebuilds, it does not fail the page
        value = None
    if value is None:
        value = build()
        with contextlib.suppress(Exception):
            cache.set(key, value, CACHE_SECONDS)
    return value


def edition_body_html(edition: Edition) -> str:
    """The edition's content as HTML: from its snapshot only (its own cache entry)."""
    return _cached(
        f"{edition.pk}:body",
        lambda: render_to_string(
            "wiki/includes/_edition_body.html",
            {"snapshot": edition_snapshot(edition), "edition": edition},
        ),
    )


def _visible(request: HttpRequest, referentiel: ReferentielPage) -> None:
    if not visibility.may_view_page(visibility.request_reader(request), referentiel):
        raise Http404


def _edition(request: HttpRequest, slug: str, version: str) -> Edition:
    edition = edition_get(slug, version)
    if edition is None:
        raise Http404
    _visible(request, edition.referentiel)
    return edition


def _moved(edition: Edition, slug: str, name: str, **kwargs) -> HttpResponse | None:
    """The référentiel's slug changed since: the permanent address is under the new one."""
    if edition.referentiel.slug == slug:
        return None
    return redirect(
        reverse(name, kwargs={"slug": edition.referentiel.slug, **kwargs}), permanent=True
    )


def _edition_context(request: HttpRequest, edition: Edition, *, is_latest_url: bool) -> dict:
    referentiel = edition.referentiel
    editions = list(editions_of(referentiel))
    previous = next(
        (e for e in editions if (e.major, e.minor) < (edition.major, edition.minor)), None
    )
    return {
        "referentiel": referentiel,
        "edition": edition,
        "editions": editions,
        "previous": previous,
        "latest": editions[0] if editions else None,
        "is_latest_url": is_latest_url,
        "body": mark_safe(edition_body_html(edition)),  # noqa: S308 - our template's output
        "title": edition.snapshot_title,
    }


def referentiel_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The latest edition with the list of all editions; without an edition, the published
    pages of today, saying there is no edition yet."""
    referentiel = ReferentielPage.objects.filter(slug=slug).select_related("college").first()
    if referentiel is None:
        older = Edition.objects.filter(slug=slug).select_related("referentiel").first()
        if older is None:
            raise Http404
        _visible(request, older.referentiel)
        return redirect("referentiels:detail", slug=older.referentiel.slug, permanent=True)
    _visible(request, referentiel)
    latest = edition_latest(referentiel)
    if latest is not None:
        context = _edition_context(request, latest, is_latest_url=True)
        return render(request, "wiki/edition_detail.html", context)
    snapshot = referentiel_snapshot_live(referentiel, visibility.request_reader(request))
    return render(
        request,
        "wiki/edition_detail.html",
        {
            "referentiel": referentiel,
            "edition": None,
            "editions": [],
            "title": referentiel.title,
            "body": render_to_string("wiki/includes/_edition_body.html", {"snapshot": snapshot}),
            "live_downloads": referentiel.live and not referentiel.get_view_restrictions(),
        },
    )


def edition_detail(request: HttpRequest, slug: str, version: str) -> HttpResponse:
    edition = _edition(request, slug, version)
    if moved := _moved(edition, slug, "referentiels:edition", version=version):
        return moved
    context = _edition_context(request, edition, is_latest_url=False)
    return render(request, "wiki/edition_detail.html", context)


def edition_diff(request: HttpRequest, slug: str, a: str, b: str) -> HttpResponse:
    old = _edition(request, slug, a)
    new = _edition(request, slug, b)
    if old.referentiel_id != new.referentiel_id:
        raise Http404
    if moved := _moved(old, slug, "referentiels:edition-diff", a=a, b=b):
        return moved
    body = _cached(
        f"diff:{old.pk}:{new.pk}",
        lambda: render_to_string(
            "wiki/includes/_edition_diff_body.html",
            {
                "old": old,
                "new": new,
                "diff": editions_diff(edition_snapshot(old), edition_snapshot(new)),
            },
        ),
    )
    return render(
        request,
        "wiki/edition_diff.html",
        {
            "referentiel": old.referentiel,
            "old": old,
            "new": new,
            "title": new.snapshot_title,
            "body": mark_safe(body),  # noqa: S308 - our template's output
        },
    )


def edition_journal(request: HttpRequest, slug: str, version: str) -> HttpResponse:
    edition = _edition(request, slug, version)
    if moved := _moved(edition, slug, "referentiels:edition-journal", version=version):
        return moved
    previous = edition_previous(edition)

    def build() -> str:
        diff = (
            editions_diff(edition_snapshot(previous), edition_snapshot(edition))
            if previous is not None
            else None
        )
        return render_to_string(
            "wiki/includes/_edition_journal_body.html",
            {
                "edition": edition,
                "previous": previous,
                "diff": diff,
                "provenance": edition.provenance,
            },
        )

    return render(
        request,
        "wiki/edition_journal.html",
        {
            "referentiel": edition.referentiel,
            "edition": edition,
            "previous": previous,
            "title": edition.snapshot_title,
            "body": mark_safe(_cached(f"{edition.pk}:journal", build)),  # noqa: S308
        },
    )


def edition_case_download(request: HttpRequest, slug: str, version: str) -> HttpResponse:
    edition = _edition(request, slug, version)
    data = edition_case_bytes(edition)
    filename = f"{edition.slug}-v{edition.version}.case.json"
    return _attachment(data, "application/json; charset=utf-8", filename)


def edition_pdf_bytes(edition: Edition) -> bytes:
    """Built once per edition and language: a second download neither reads the snapshot nor
    digests it (the live export's cache key is a digest of its content)."""

    def build() -> bytes:
        snapshot, previous = edition_snapshot(edition), edition_previous(edition)
        return referentiel_pdf(
            snapshot,
            edition=edition.version,
            record=edition,
            previous=previous,
            diff=editions_diff(edition_snapshot(previous), snapshot) if previous else None,
        )

    return _cached(f"{edition.pk}:pdf", build)


def edition_csv_bytes(edition: Edition) -> bytes:
    """Built once per edition and language (the headers are translated)."""
    return _cached(f"{edition.pk}:csv", lambda: referentiel_csv(edition_snapshot(edition)))


def edition_xlsx_bytes(edition: Edition) -> bytes:
    """Built once per edition and language (the headers are translated)."""
    return _cached(f"{edition.pk}:xlsx", lambda: referentiel_xlsx(edition_snapshot(edition)))


def edition_files_build(edition_id: int) -> None:
    """Build and cache every file of an edition in the site's default language (the one most
    readers download), as `edition_publish` has it done after its commit, so that the first
    reader is served from the cache. Each file on its own: one that fails is logged, and built
    on its first download."""
    edition = Edition.objects.get(pk=edition_id)
    builds = (edition_case_bytes, edition_pdf_bytes, edition_csv_bytes, edition_xlsx_bytes)
    with translation.override(settings.LANGUAGE_CODE):
        for build in builds:
            try:
                build(edition)
            except Exception:
                logger.exception("Edition %s: %s not built ahead", edition, build.__name__)


def edition_published_files_build(sender, edition_id: int, **kwargs) -> None:
    """Receiver of wiki.signals.edition_published (connected in wiki.apps): build the new
    edition's files into the cache so that its first reader does not wait for them, in a
    background thread (settings.EDITION_FILES_AFTER_PUBLICATION « background », the default),
    at once (« now ») or not (« off »: the tests). A failure is logged; the file is then built
    on its first download."""
    mode = getattr(settings, "EDITION_FILES_AFTER_PUBLICATION", "background")
    if mode == "off":
        return

    def run() -> None:
        try:
            edition_files_build(edition_id)
        except Exception:
            logger.exception("Edition %s: files not built after publication", edition_id)
        finally:
            if mode == "background":
                connection.close()

    if mode == "now":
        run()
    else:
        threading.Thread(target=run, name="edition-files", daemon=True).start()


def edition_pdf_download(request: HttpRequest, slug: str, version: str) -> HttpResponse:
    edition = _edition(request, slug, version)
    data = edition_pdf_bytes(edition)
    return _attachment(data, "application/pdf", f"{edition.slug}-v{edition.version}.pdf")


def edition_csv_download(request: HttpRequest, slug: str, version: str) -> HttpResponse:
    edition = _edition(request, slug, version)
    data = edition_csv_bytes(edition)
    return _attachment(data, "text/csv; charset=utf-8", f"{edition.slug}-v{edition.version}.csv")


def edition_xlsx_download(request: HttpRequest, slug: str, version: str) -> HttpResponse:
    edition = _edition(request, slug, version)
    data = edition_xlsx_bytes(edition)
    return _attachment(data, XLSX_TYPE, f"{edition.slug}-v{edition.version}.xlsx")
