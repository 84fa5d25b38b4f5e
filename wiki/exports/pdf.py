"""A référentiel snapshot as a PDF (WeasyPrint over an HTML template and a print stylesheet)."""

from __future__ import annotations

import contextlib
import hashlib
from typing import TYPE_CHECKING

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string
from weasyprint import CSS, HTML

from wiki.exports.case import case_bytes, case_package
from wiki.snapshots import ReferentielSnapshot

if TYPE_CHECKING:
    from wiki.edition_diff import EditionsDiff
    from wiki.models import Edition

CACHE_SECONDS = 7 * 24 * 3600


def referentiel_pdf(
    snapshot: ReferentielSnapshot,
    edition: str = "",
    *,
    record: Edition | None = None,
    previous: Edition | None = None,
    diff: EditionsDiff | None = None,
) -> bytes:
    """`edition` names the edition printed (« 1.0 »); empty: today's published pages.
    `record`, the Edition itself, adds its publication and validation to the cover and its
    changelog at the end: what changed since `previous` (`diff`), or a first edition."""
    html = render_to_string(
        "wiki/exports/referentiel_pdf.html",
        {
            "snapshot": snapshot,
            "edition": edition,
            "record": record,
            "previous": previous,
            "diff": diff,
        },
    )
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=finders.find("css/export.css"))])


def referentiel_pdf_cached(snapshot: ReferentielSnapshot, edition: str = "") -> bytes:
    """Built once per content: the key is the digest of the snapshot's CASE export, which
    changes with any published change of the référentiel."""
    digest = hashlib.sha256(case_bytes(case_package(snapshot))).hexdigest()
    key = f"wiki:export:pdf:{snapshot.slug}:{edition or 'live'}:{digest}"
    try:
        data = cache.get(key)
    except Exception:  # a cache outage rebuilds, it does not fail the download
        data = None
    if data is None:
        data = referentiel_pdf(snapshot, edition)
        with contextlib.suppress(Exception):  # the next download rebuilds it
            cache.set(key, data, CACHE_SECONDS)
    return data
