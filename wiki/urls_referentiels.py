"""/referentiels/…: browsing the référentiels, and their public downloads (their published pages
until editions exist)."""

from django.urls import path

from wiki.views import browse, exports

app_name = "referentiels"

urlpatterns = [
    path("", browse.referentiel_list, name="list"),
    path("<slug:slug>/export.json", exports.referentiel_case_download, name="export-case"),
    path("<slug:slug>/export.pdf", exports.referentiel_pdf_download, name="export-pdf"),
    path("<slug:slug>/export.csv", exports.referentiel_csv_download, name="export-csv"),
    path("<slug:slug>/export.xlsx", exports.referentiel_xlsx_download, name="export-xlsx"),
]
