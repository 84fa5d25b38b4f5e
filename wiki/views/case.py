"""Read-only CASE 1.1 REST endpoints, as OpenSALT serves them (`/ims/case/v1p1/…`): every
published edition (a CFDocument per version), and the published pages of a référentiel that
has no edition yet; only what the public may read (wiki.case_catalogue). An unknown identifier
answers 404 with CASE's status JSON (imsx_StatusInfo)."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse

from wiki.case_catalogue import case_index_public, case_indexes_public, case_record_public
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
    return _json({"CFDocuments": [i.document for i in case_indexes_public()]})


def case_document(request: HttpRequest, identifier: uuid.UUID) -> HttpResponse:
    index = case_index_public(str(identifier))
    return _json(index.document) if index else _unknown(identifier)


def case_package_view(request: HttpRequest, identifier: uuid.UUID) -> HttpResponse:
    index = case_index_public(str(identifier))
    return _json(index.package) if index else _unknown(identifier)


def _find(collection: str, identifier: uuid.UUID) -> HttpResponse:
    record = case_record_public(collection, str(identifier))
    return _json(record) if record is not None else _unknown(identifier)


def case_item(request: HttpRequest, identifier: uuid.UUID) -> HttpResponse:
    return _find("CFItems", identifier)


def case_association(request: HttpRequest, identifier: uuid.UUID) -> HttpResponse:
    return _find("CFAssociations", identifier)
