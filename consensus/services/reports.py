"""Reports and exports, built from the selectors (pseudonymised, never the panelists' names).

Every CSV and XLSX cell goes through ``consensus.spreadsheets`` (formula injection)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from consensus import selectors, spreadsheets
from consensus.exceptions import NothingToExport
from consensus.models import Study

RESULT_FIELDS = (
    "n", "median", "q1", "q3", "iqr", "mean", "share_agree", "share_neutral",
    "share_disagree", "p30", "p70", "ipr", "iprcp", "ai", "ipras", "disagreement",
    "disagreement_count_rule", "classification", "rand_ucla",
)  # fmt: skip


def _export_header() -> list[str]:
    return [_("Item"), _("Version"), _("Round"), _("Panelist (pseudonym)"), _("Rating")]


def _comments_header() -> list[str]:
    return [_("Item"), _("Version"), _("Round"), _("Comment")]


def exports_check(study: Study) -> selectors.RoundDisclosure:
    """Raise ``NothingToExport`` (with the reason) when no round may be exported yet."""
    disclosure = selectors.round_disclosure(study)
    if not disclosure.shown:
        raise NothingToExport(nothing_shown_message(disclosure))
    return disclosure


def nothing_shown_message(disclosure: selectors.RoundDisclosure) -> str:
    if disclosure.withheld:
        return _(
            "No round can be exported yet: a round's ratings are exported once it is closed "
            "and holds at least %(k)d submitted ballots, so that none can be traced back to a "
            "panelist."
        ) % {"k": disclosure.k}
    return _("No round can be exported yet: ratings are exported once a round is closed.")


def ratings_csv(study: Study) -> bytes:
    exports_check(study)
    return spreadsheets.csv_bytes(_export_header(), selectors.ratings_export_rows(study))


def comments_csv(study: Study) -> bytes:
    exports_check(study)
    return spreadsheets.csv_bytes(_comments_header(), selectors.comments_export_rows(study))


def ratings_xlsx(study: Study) -> bytes:
    exports_check(study)
    results = selectors.study_results(study)
    return spreadsheets.xlsx_bytes(
        [
            (_("Ratings"), _export_header(), selectors.ratings_export_rows(study)),
            (_("Comments"), _comments_header(), selectors.comments_export_rows(study)),
            (
                _("Results"),
                ["item", "round", *RESULT_FIELDS],
                (
                    [row.item, row.round, *(getattr(row.stats, f) for f in RESULT_FIELDS)]
                    for row in results.report.items
                ),
            ),
        ]
    )


def methods_report_context(study: Study) -> dict:
    return {
        "study": study,
        "results": selectors.study_results(study),
        "composition": selectors.panel_composition(study),
        "flow": selectors.rounds_flow(study),
        "items": study.items.prefetch_related("versions"),
    }


def methods_report_html(study: Study, request=None) -> str:
    return render_to_string(
        "consensus/study_report.html", methods_report_context(study), request=request
    )


def methods_report_pdf(study: Study, request=None) -> bytes:
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    html = render_to_string(
        "consensus/study_report.html",
        {**methods_report_context(study), "for_pdf": True},
        request=request,
    )
    # The same stylesheet as the HTML report (a file: the page has no inline style, for CSP).
    return HTML(string=html).write_pdf(
        stylesheets=[CSS(filename=finders.find("consensus/report.css"))]
    )
