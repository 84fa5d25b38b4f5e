"""/referentiels/…: public downloads of a référentiel (its published pages until editions exist)."""

from django.urls import path

from wiki.views import case

app_name = "referentiels"

urlpatterns = [
    path("<slug:slug>/export.json", case.referentiel_case_download, name="export-case"),
]
