"""Reports and exports, built from the selectors (pseudonymised, never the panelists' names).

Every CSV and XLSX cell goes through ``wiki.spreadsheets`` (formula injection)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from consensus import selectors
from consensus.exceptions import NothingToExport
from consensus.models import Study
from wiki import spreadsheets

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


SOFTWARE_PACKAGES = (
    ("wiki-ia-sanses", "wiki IA_SaNSeS"),
    ("Django", "Django"),
    ("numpy", "NumPy"),
    ("scipy", "SciPy"),
)


def software_used() -> list[tuple[str, str]]:
    """(name, version) of this application and the libraries its statistics run on, read from
    the installed packages' metadata."""
    from importlib.metadata import PackageNotFoundError, version

    rows = []
    for package, name in SOFTWARE_PACKAGES:
        try:
            rows.append((name, version(package)))
        except PackageNotFoundError:
            rows.append((name, "?"))
    return rows


def rounds_flow_closed(study: Study) -> list[dict]:
    """The participant flow of the closed rounds only (as results and exports), with the dates
    each round opened and closed."""
    closed = {r.number: r for r in study.rounds.closed()}
    return [
        {
            **row,
            "opened_at": closed[row["number"]].opened_at,
            "closed_at": closed[row["number"]].closed_at,
        }
        for row in selectors.rounds_flow(study)
        if row["number"] in closed
    ]


def methods_report_context(study: Study) -> dict:
    from consensus.services import report_checklist

    results = selectors.study_results(study)
    checklists = report_checklist.checklists(study, results)
    return {
        "study": study,
        "results": results,
        "composition": selectors.panel_composition(study),
        "flow": rounds_flow_closed(study),
        "open_round": study.rounds.open().first(),
        "items": study.items.prefetch_related("versions"),
        "sections": [
            {
                "anchor": anchor,
                "number": number,
                "title": title,
                "text_field": report_checklist.SECTION_TEXTS.get(anchor),
                "has_data": anchor in report_checklist.SECTIONS_WITH_DATA,
            }
            for number, (anchor, title) in enumerate(report_checklist.REPORT_SECTIONS, start=1)
        ],
        "accord": checklists["accord"],
        "credes": checklists["credes"],
        "software": software_used(),
    }


def methods_report_html(study: Study, request=None) -> str:
    return render_to_string(
        "consensus/study_report.html", methods_report_context(study), request=request
    )


def methods_report_document(study: Study, request=None):
    """The report laid out by WeasyPrint (pages, bookmarks), before it is written as PDF."""
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    html = render_to_string(
        "consensus/study_report.html",
        {**methods_report_context(study), "for_pdf": True},
        request=request,
    )
    # The same stylesheet as the HTML report (a file: the page has no inline style, for CSP).
    return HTML(string=html).render(
        stylesheets=[CSS(filename=finders.find("consensus/report.css"))]
    )


def methods_report_pdf(study: Study, request=None) -> bytes:
    return methods_report_document(study, request=request).write_pdf()


def methods_report_docx(study: Study) -> bytes:
    from consensus.services.report_docx import report_docx

    return report_docx(methods_report_context(study))
