"""A référentiel snapshot as an XLSX workbook (openpyxl): one sheet, one competency a row, no
cell can become a formula, the same bytes for the same snapshot (the workbook is dated by the
snapshot's last change, not by the time of the export)."""

from __future__ import annotations

from datetime import UTC

from django.utils.translation import gettext as _

from wiki import spreadsheets
from wiki.exports.table import referentiel_header, referentiel_rows
from wiki.snapshots import ReferentielSnapshot


def referentiel_xlsx(snapshot: ReferentielSnapshot) -> bytes:
    changed = snapshot.changed_at
    if changed.tzinfo is not None:
        changed = changed.astimezone(UTC)
    return spreadsheets.xlsx_bytes(
        [(_("Competencies"), referentiel_header(), referentiel_rows(snapshot))],
        timestamp=changed.replace(tzinfo=None),
    )
