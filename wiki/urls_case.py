"""/ims/case/v1p1/…: the CASE 1.1 read endpoints (OpenSALT's paths)."""

from django.urls import path

from wiki.views import case

app_name = "case"

urlpatterns = [
    path("CFDocuments", case.case_documents, name="documents"),
    path("CFDocuments/<uuid:identifier>", case.case_document, name="document"),
    path("CFPackages/<uuid:identifier>", case.case_package_view, name="package"),
    path("CFItems/<uuid:identifier>", case.case_item, name="item"),
    path("CFAssociations/<uuid:identifier>", case.case_association, name="association"),
]
