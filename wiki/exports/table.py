"""A référentiel snapshot as a table: one competency a row, the columns the CSV and XLSX
downloads share (French headers through gettext)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from wiki.snapshots import ReferentielSnapshot


def referentiel_header() -> list[str]:
    return [
        # Its own context: the site catalogue comes first, and the bare msgid is the
        # « Référentiel de compétences » of the consensus and search catalogues.
        pgettext("export column", "Competency framework"),
        _("Domain code"),
        _("Domain"),
        _("Competency code"),
        _("Competency"),
        _("Statement"),
        _("Rank"),
        _("Learning outcomes"),
        _("Evaluation methods"),
        _("Socle competencies refined"),
    ]


def referentiel_rows(snapshot: ReferentielSnapshot) -> Iterator[list[str]]:
    """One row per competency, in the tree's order. Lists go one item a line in their cell
    (socle codes on one line, comma-separated)."""
    for domain in snapshot.domains:
        for competency in domain.competencies:
            yield [
                snapshot.title,
                domain.code,
                domain.title,
                competency.code,
                competency.title,
                competency.statement,
                competency.rank,
                "\n".join(competency.learning_outcomes),
                "\n".join(competency.evaluation_methods),
                ", ".join(competency.socle_refs),
            ]
