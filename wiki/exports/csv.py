"""A référentiel snapshot as CSV: UTF-8 with a BOM, semicolons, French headers, one competency a
row, every cell inert (``wiki.spreadsheets``)."""

from __future__ import annotations

from wiki import spreadsheets
from wiki.exports.table import referentiel_header, referentiel_rows
from wiki.snapshots import ReferentielSnapshot


def referentiel_csv(snapshot: ReferentielSnapshot) -> bytes:
    return spreadsheets.csv_bytes(referentiel_header(), referentiel_rows(snapshot))
