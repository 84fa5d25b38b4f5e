"""Pseudonymised exports and reports (HTML, PDF, CSV, XLSX)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from consensus import permissions
from consensus.exceptions import NothingToExport
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


def _export(
    request: HttpRequest, pk: int, build: Callable[[Study], bytes], content_type: str, name: str
) -> HttpResponse:
    """The file, or back to the results page with the reason when no round may be exported."""
    study = _study(request, pk)
    try:
        content = build(study)
    except NothingToExport as error:
        messages.error(request, str(error))
        return redirect("consensus:results", pk=study.pk)
    return _download(content, content_type, name)


@login_required
def ratings_csv(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, reports.ratings_csv, "text/csv; charset=utf-8", f"delphi-{pk}.csv")


@login_required
def comments_csv(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(
        request,
        pk,
        reports.comments_csv,
        "text/csv; charset=utf-8",
        f"delphi-{pk}-commentaires.csv",
    )


@login_required
def ratings_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(
        request,
        pk,
        reports.ratings_xlsx,
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


@login_required
def methods_report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    study = _study(request, pk)
    return _download(
        reports.methods_report_docx(study),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        f"delphi-{pk}-methodes.docx",
    )
