"""What the CASE 1.1 surfaces serve (`/ims/case/v1p1/…`, `manage.py case_export`, the edition
downloads): every published edition of a référentiel the public may read, each a CFDocument
with its version (the package of `/referentiels/<slug>/v<version>/export.json`, built once
per edition and cached); a référentiel without an edition is served from its published pages.

Read as the public (wiki.visibility.PUBLIC), whoever asks: the endpoints are open to other
sites (CORS) and their answers can be shared, as the read API's."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import get_language

from wiki import visibility
from wiki.exports.case import LIVE, case_bytes, case_package, case_replaced_by
from wiki.models import Edition, ReferentielPage
from wiki.rendering import links_version
from wiki.services.editions import edition_previous, edition_snapshot, editions_of
from wiki.snapshots import public_referentiels, referentiel_snapshot_live

# Bump when the edition packages' shape changes: cached bytes are keyed by it.
PACKAGE_VERSION = 2
CACHE_SECONDS = 30 * 24 * 3600
# Parsed and indexed packages kept by each process (an edition's never changes): at most this
# many, the least recently read dropped first (a 500-competency package is a few MB parsed).
INDEXES_KEPT = 16
# A live référentiel's index is also dropped after this long: its key's content version starts
# again from 1 if the cache is emptied (config.cache), and must then not find an old index.
LIVE_INDEX_SECONDS = 300


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


@dataclass(frozen=True)
class CaseIndex:
    """A package and its records by identifier: a CFItem or CFAssociation is found in O(1)."""

    package: dict
    items: dict[str, dict]
    associations: dict[str, dict]

    @classmethod
    def of(cls, package: dict) -> CaseIndex:
        return cls(
            package=package,
            items={r["identifier"]: r for r in package.get("CFItems", [])},
            associations={r["identifier"]: r for r in package.get("CFAssociations", [])},
        )

    @property
    def document(self) -> dict:
        return self.package["CFDocument"]


_indexes: OrderedDict[tuple, tuple[CaseIndex, float]] = OrderedDict()
_indexes_lock = threading.Lock()


def _index(key: tuple, build, max_age: float | None = None) -> CaseIndex:
    """The index under `key` from this process's memory, or built (and kept) once. An
    edition's never goes stale (an edition never changes); a live référentiel's key holds the
    published content's version (wiki.rendering.links_version, moved by every publication)
    and lives `max_age` seconds at most."""
    now = time.monotonic()
    with _indexes_lock:
        kept = _indexes.get(key)
        if kept is not None and (max_age is None or now - kept[1] < max_age):
            _indexes.move_to_end(key)
            return kept[0]
    index = CaseIndex.of(build())
    with _indexes_lock:
        _indexes[key] = (index, now)
        _indexes.move_to_end(key)
        while len(_indexes) > INDEXES_KEPT:
            _indexes.popitem(last=False)
    return index


def edition_case_index(edition: Edition) -> CaseIndex:
    """`edition`'s package, parsed and indexed once per process (from its cached bytes)."""
    return _index(
        ("edition", PACKAGE_VERSION, edition.pk),
        lambda: json.loads(edition_case_bytes(edition)),
    )


def live_case_index(referentiel: ReferentielPage) -> CaseIndex:
    """The published pages of a référentiel without an edition, indexed once per version of
    the published content (and per language: the cycle's label is translated)."""
    return _index(
        ("live", referentiel.pk, links_version(), get_language()),
        lambda: case_package(referentiel_snapshot_live(referentiel)),
        max_age=LIVE_INDEX_SECONDS,
    )


def case_indexes_public() -> Iterator[CaseIndex]:
    """Every package the public may read, by référentiel title, each référentiel's editions
    newest first (so the first record found for an identifier is the latest edition's).
    Which ones is decided on every call (wiki.visibility); what they hold is indexed once."""
    referentiels = [
        r for r in public_referentiels() if visibility.may_view_page(visibility.PUBLIC, r)
    ]
    editions: dict[int, list[Edition]] = {}
    rows = (
        Edition.objects.filter(referentiel__in=[r.pk for r in referentiels])
        .newest_first()
        .only("pk", "referentiel_id", "major", "minor", "slug")
    )
    for edition in rows:
        editions.setdefault(edition.referentiel_id, []).append(edition)
    for referentiel in referentiels:
        found = editions.get(referentiel.pk, [])
        if not found:
            yield live_case_index(referentiel)
        for edition in found:
            yield edition_case_index(edition)


def case_packages_public() -> Iterator[dict]:
    """Every package the public may read (see case_indexes_public)."""
    for index in case_indexes_public():
        yield index.package


def case_record_public(collection: str, identifier: str) -> dict | None:
    """The CFItem (`collection` « CFItems ») or CFAssociation (« CFAssociations ») the public
    may read under `identifier`, the latest edition's first; None when there is none."""
    for index in case_indexes_public():
        records = index.items if collection == "CFItems" else index.associations
        if (record := records.get(identifier)) is not None:
            return record
    return None


def case_index_public(document_identifier: str) -> CaseIndex | None:
    """The package whose CFDocument is `document_identifier`, if the public may read it."""
    return next(
        (i for i in case_indexes_public() if i.document["identifier"] == document_identifier),
        None,
    )
