"""Reports and exports, built from the selectors (pseudonymised, never the panelists' names)."""

from __future__ import annotations

import csv
import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from consensus import selectors
from consensus.models import Study

# A cell starting with one of these is a formula to spreadsheet software (CSV/XLSX injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value):
    """Text cells as inert text: formula-like text gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _safe_row(row) -> list:
    return [_safe_cell(value) for value in row]


def _xlsx_row(row) -> list:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return [
        ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value
        for value in _safe_row(row)
    ]


def _export_header() -> list[str]:
    return [_("item"), _("version"), _("round"), _("panelist"), _("score"), _("comment")]


def ratings_csv(study: Study) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(selectors.EXPORT_COLUMNS)
    writer.writerows(_safe_row(row) for row in selectors.ratings_export_rows(study))
    return buffer.getvalue().encode("utf-8-sig")  # BOM: spreadsheet software reads UTF-8


def ratings_xlsx(study: Study) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Ratings")[:31]
    sheet.append(_export_header())
    for row in selectors.ratings_export_rows(study):
        sheet.append(_xlsx_row(row))
    results = selectors.study_results(study)
    stats_sheet = workbook.create_sheet(_("Results")[:31])
    fields = [
        "n", "median", "q1", "q3", "iqr", "mean", "share_agree", "share_neutral",
        "share_disagree", "p30", "p70", "ipr", "iprcp", "ai", "ipras", "disagreement",
        "disagreement_count_rule", "classification", "rand_ucla",
    ]  # fmt: skip
    stats_sheet.append(["item", "round", *fields])
    for row in results.report.items:
        stats_sheet.append([row.item, row.round, *(getattr(row.stats, f) for f in fields)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
