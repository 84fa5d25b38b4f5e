"""Downloads of a référentiel's published pages as they are today, as CASE 1.1 JSON, PDF, CSV
and XLSX (an edition's downloads, frozen, are in wiki/views/editions.py)."""

from django.http import Http404, HttpRequest, HttpResponse

from wiki.exports.case import case_bytes, case_package
from wiki.exports.csv import referentiel_csv
from wiki.exports.pdf import referentiel_pdf_cached
from wiki.exports.xlsx import referentiel_xlsx
from wiki.snapshots import ReferentielSnapshot, public_referentiel, referentiel_snapshot_live

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _snapshot(slug: str) -> ReferentielSnapshot:
    referentiel = public_referentiel(slug)
    if referentiel is None:
        raise Http404
    return referentiel_snapshot_live(referentiel)


def _attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def referentiel_case_download(request: HttpRequest, slug: str) -> HttpResponse:
    data = case_bytes(case_package(_snapshot(slug)))
    return _attachment(data, "application/json; charset=utf-8", f"{slug}.case.json")


def referentiel_pdf_download(request: HttpRequest, slug: str) -> HttpResponse:
    return _attachment(referentiel_pdf_cached(_snapshot(slug)), "application/pdf", f"{slug}.pdf")


def referentiel_csv_download(request: HttpRequest, slug: str) -> HttpResponse:
    return _attachment(referentiel_csv(_snapshot(slug)), "text/csv; charset=utf-8", f"{slug}.csv")


def referentiel_xlsx_download(request: HttpRequest, slug: str) -> HttpResponse:
    return _attachment(referentiel_xlsx(_snapshot(slug)), XLSX_TYPE, f"{slug}.xlsx")
