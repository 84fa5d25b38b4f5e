"""/referentiels/…: public downloads of a référentiel (its published pages until editions exist)."""

from django.urls import path

from wiki.views import exports

app_name = "referentiels"

urlpatterns = [
    path("<slug:slug>/export.json", exports.referentiel_case_download, name="export-case"),
    path("<slug:slug>/export.pdf", exports.referentiel_pdf_download, name="export-pdf"),
]
