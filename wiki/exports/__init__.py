"""Exports of a référentiel snapshot (wiki.snapshots): CASE 1.1 today; tabular and PDF next."""
