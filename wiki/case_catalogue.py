"""What the CASE 1.1 surfaces serve (`/ims/case/v1p1/…`, `manage.py case_export`, the edition
downloads): every published edition of a référentiel the public may read, each a CFDocument
with its version (the package of `/referentiels/<slug>/v<version>/export.json`, built once
per edition and cached); a référentiel without an edition is served from its published pages.

Read as the public (wiki.visibility.PUBLIC), whoever asks: the endpoints are open to other
sites (CORS) and their answers can be shared, as the read API's."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator

from django.core.cache import cache

from wiki import visibility
from wiki.exports.case import LIVE, case_bytes, case_package, case_replaced_by
from wiki.models import Edition, ReferentielPage
from wiki.services.editions import edition_previous, edition_snapshot, editions_of
from wiki.snapshots import public_referentiels, referentiel_snapshot_live

# Bump when the edition packages' shape changes: cached bytes are keyed by it.
PACKAGE_VERSION = 2
CACHE_SECONDS = 30 * 24 * 3600


def edition_case_package(edition: Edition) -> dict:
    """The CFPackage of `edition`: its snapshot under identifiers keyed by its version, with
    « replacedBy » links from the previous edition's items."""
    snapshot = edition_snapshot(edition)
    package = case_package(snapshot, key=edition.version, socle_key=edition.socle_version or LIVE)
    previous = edition_previous(edition)
    if previous is not None:
        case_replaced_by(
            package, edition_snapshot(previous), previous.version, edition.version, snapshot
        )
    return package


def edition_case_bytes(edition: Edition) -> bytes:
    """The canonical JSON of `edition`'s package, built once (a cache outage rebuilds)."""
    key = f"wiki:edition:case:v{PACKAGE_VERSION}:{edition.pk}"
    try:
        value = cache.get(key)
    except Exception:  # noqa: BLE001 - a cache outage rebuilds, it does not fail the request
        value = None
    if value is None:
        value = case_bytes(edition_case_package(edition))
        with contextlib.suppress(Exception):
            cache.set(key, value, CACHE_SECONDS)
    return value


def referentiel_case_bytes(referentiel: ReferentielPage) -> bytes:
    """The latest edition of `referentiel`, or its published pages when it has none."""
    latest = editions_of(referentiel).first()
    if latest is not None:
        return edition_case_bytes(latest)
    return case_bytes(case_package(referentiel_snapshot_live(referentiel)))


def case_packages_public() -> Iterator[dict]:
    """Every package the public may read, by référentiel title, each référentiel's editions
    newest first (so the first record found for an identifier is the latest edition's)."""
    for referentiel in public_referentiels():
        if not visibility.may_view_page(visibility.PUBLIC, referentiel):
            continue
        editions = list(editions_of(referentiel))
        if not editions:
            yield case_package(referentiel_snapshot_live(referentiel))
        for edition in editions:
            yield json.loads(edition_case_bytes(edition))
