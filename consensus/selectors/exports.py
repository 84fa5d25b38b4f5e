"""Rows of the CSV/XLSX exports: ratings under per-round pseudonyms, comments apart."""

from __future__ import annotations

from consensus.models import (
    Rating,
    Study,
)
from consensus.selectors.ratings import (
    panelist_pseudonym,
    round_disclosure,
    submitted_only,
)

EXPORT_COLUMNS = ("item", "version", "round", "panelist", "score")
COMMENT_COLUMNS = ("item", "version", "round", "comment")


def ratings_export_rows(study: Study) -> list[tuple]:
    """Every rating of the shown rounds' submitted ballots (see ``round_disclosure``), with a
    per-round pseudonym instead of the panelist (for CSV/XLSX exports). Rows are ordered by
    item, round and pseudonym: never by panelist id, which follows the order in which the
    panel was invited. Comments are not here (see ``comments_export_rows``)."""
    shown = round_disclosure(study).shown
    rows = (
        submitted_only(
            Rating.objects.filter(
                round_item__round__study=study, round_item__round__number__in=shown
            )
        )
        .order_by()
        .values_list(
            "round_item__item__position",
            "round_item__item__code",
            "round_item__version__number",
            "round_item__round__number",
            "panelist_id",
            "score",
        )
    )
    keyed = [
        ((position, code, number, pseudonym), (code, version, number, pseudonym, score))
        for position, code, version, number, pid, score in rows
        for pseudonym in (panelist_pseudonym(study, number, pid),)
    ]
    return [row for _key, row in sorted(keyed, key=lambda pair: pair[0])]


def comments_export_rows(study: Study) -> list[tuple]:
    """The comments of the shown rounds, per item and round, sorted by their text: with no
    pseudonym and no score, a comment that gives its author away gives away nothing else."""
    shown = round_disclosure(study).shown
    rows = (
        submitted_only(
            Rating.objects.filter(
                round_item__round__study=study, round_item__round__number__in=shown
            ).exclude(comment="")
        )
        .order_by()
        .values_list(
            "round_item__item__position",
            "round_item__item__code",
            "round_item__version__number",
            "round_item__round__number",
            "comment",
        )
    )
    return [row[1:] for row in sorted(rows, key=lambda row: (row[0], row[1], row[3], row[4]))]
