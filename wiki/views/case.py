"""Read-only CASE 1.1 REST endpoints, as OpenSALT serves them (`/ims/case/v1p1/…`). Only what
the public may read: published pages of unrestricted référentiels."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse

from wiki.exports.case import case_bytes, case_package
from wiki.snapshots import public_referentiels, referentiel_snapshot_live


def _packages() -> list[dict]:
    return [case_package(referentiel_snapshot_live(r)) for r in public_referentiels()]


def _json(data: dict) -> HttpResponse:
    response = HttpResponse(case_bytes(data), content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def case_documents(request: HttpRequest) -> HttpResponse:
    return _json({"CFDocuments": [p["CFDocument"] for p in _packages()]})


def case_document(request: HttpRequest, identifier: uuid.UUID) -> HttpResponse:
    for package in _packages():
        if package["CFDocument"]["identifier"] == str(identifier):
            return _json(package["CFDocument"])
    raise Http404


def case_package_view(request: HttpRequest, identifier: uuid.UUID) -> HttpResponse:
    for package in _packages():
        if package["CFDocument"]["identifier"] == str(identifier):
            return _json(package)
    raise Http404


def _find(collection: str, identifier: uuid.UUID) -> HttpResponse:
    for package in _packages():
        for record in package[collection]:
            if record["identifier"] == str(identifier):
                return _json(record)
    raise Http404


def case_item(request: HttpRequest, identifier: uuid.UUID) -> HttpResponse:
    return _find("CFItems", identifier)


def case_association(request: HttpRequest, identifier: uuid.UUID) -> HttpResponse:
    return _find("CFAssociations", identifier)
