"""Read-only CASE 1.1 REST endpoints, as OpenSALT serves them (`/ims/case/v1p1/…`): every
published edition (a CFDocument per version), and the published pages of a référentiel that
has no edition yet; only what the public may read (wiki.case_catalogue). An unknown identifier
answers 404 with CASE's status JSON (imsx_StatusInfo)."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse

from wiki.case_catalogue import case_packages_public
from wiki.exports.case import case_bytes


def _json(data: dict, status: int = 200) -> HttpResponse:
    response = HttpResponse(
        case_bytes(data), content_type="application/json; charset=utf-8", status=status
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _unknown(identifier: uuid.UUID) -> HttpResponse:
    return _json(
        {
            "imsx_codeMajor": "failure",
            "imsx_severity": "error",
            "imsx_description": f"No public CASE record has the identifier {identifier}.",
            "imsx_codeMinor": {
                "imsx_codeMinorField": [
                    {
                        "imsx_codeMinorFieldName": "sourcedId",
                        "imsx_codeMinorFieldValue": "unknownobject",
                    }
                ]
            },
        },
        status=404,
    )


def case_documents(request: HttpRequest) -> HttpResponse:
    return _json({"CFDocuments": [p["CFDocument"] for p in case_packages_public()]})


def _package(identifier: uuid.UUID) -> dict | None:
    return next(
        (p for p in case_packages_public() if p["CFDocument"]["identifier"] == str(identifier)),
        None,
    )


def case_document(request: HttpRequest, identifier: uuid.UUID) -> HttpResponse:
    package = _package(identifier)
    return _json(package["CFDocument"]) if package else _unknown(identifier)


def case_package_view(request: HttpRequest, identifier: uuid.UUID) -> HttpResponse:
    package = _package(identifier)
    return _json(package) if package else _unknown(identifier)


def _find(collection: str, identifier: uuid.UUID) -> HttpResponse:
    for package in case_packages_public():
        for record in package[collection]:
            if record["identifier"] == str(identifier):
                return _json(record)
    return _unknown(identifier)


def case_item(request: HttpRequest, identifier: uuid.UUID) -> HttpResponse:
    return _find("CFItems", identifier)


def case_association(request: HttpRequest, identifier: uuid.UUID) -> HttpResponse:
    return _find("CFAssociations", identifier)
