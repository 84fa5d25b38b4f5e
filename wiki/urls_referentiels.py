"""/referentiels/…: browsing the référentiels, their editions (one address each, forever) and
their public downloads (the published pages of today, or an edition's)."""

from django.urls import path, register_converter

from wiki.views import browse, editions, exports


class VersionConverter:
    """« 1.0 », « 12.3 »: an edition's version number."""

    regex = r"[0-9]{1,4}\.[0-9]{1,4}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(VersionConverter, "version")

app_name = "referentiels"

urlpatterns = [
    path("", browse.referentiel_list, name="list"),
    path("<slug:slug>/export.json", exports.referentiel_case_download, name="export-case"),
    path("<slug:slug>/export.pdf", exports.referentiel_pdf_download, name="export-pdf"),
    path("<slug:slug>/export.csv", exports.referentiel_csv_download, name="export-csv"),
    path("<slug:slug>/export.xlsx", exports.referentiel_xlsx_download, name="export-xlsx"),
    path("<slug:slug>/", editions.referentiel_detail, name="detail"),
    path("<slug:slug>/v<version:version>/", editions.edition_detail, name="edition"),
    path(
        "<slug:slug>/v<version:a>/diff/v<version:b>/",
        editions.edition_diff,
        name="edition-diff",
    ),
    path(
        "<slug:slug>/v<version:version>/journal/",
        editions.edition_journal,
        name="edition-journal",
    ),
    path(
        "<slug:slug>/v<version:version>/export.json",
        editions.edition_case_download,
        name="edition-export-case",
    ),
    path(
        "<slug:slug>/v<version:version>/export.pdf",
        editions.edition_pdf_download,
        name="edition-export-pdf",
    ),
    path(
        "<slug:slug>/v<version:version>/export.csv",
        editions.edition_csv_download,
        name="edition-export-csv",
    ),
    path(
        "<slug:slug>/v<version:version>/export.xlsx",
        editions.edition_xlsx_download,
        name="edition-export-xlsx",
    ),
]
