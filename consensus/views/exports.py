"""Pseudonymised exports and reports (HTML, PDF, CSV, XLSX)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from consensus import permissions
from consensus.models import Study
from consensus.services import reports


def _study(request: HttpRequest, pk: int) -> Study:
    study = get_object_or_404(Study, pk=pk)
    if not permissions.can_view_results(request.user, study):
        raise PermissionDenied
    return study


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def ratings_csv(request: HttpRequest, pk: int) -> HttpResponse:
    study = _study(request, pk)
    return _download(reports.ratings_csv(study), "text/csv; charset=utf-8", f"delphi-{pk}.csv")


@login_required
def ratings_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    study = _study(request, pk)
    return _download(
        reports.ratings_xlsx(study),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"delphi-{pk}.xlsx",
    )


@login_required
def methods_report(request: HttpRequest, pk: int) -> HttpResponse:
    study = _study(request, pk)
    return HttpResponse(reports.methods_report_html(study, request=request))


@login_required
def methods_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    study = _study(request, pk)
    return _download(
        reports.methods_report_pdf(study, request=request),
        "application/pdf",
        f"delphi-{pk}-methodes.pdf",
    )
