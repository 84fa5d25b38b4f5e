"""Invitations, reminders and the personal sign-in links they carry."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from consensus.exceptions import ConsensusError, SignInLinkInvalid
from consensus.models import Round
from consensus.services import invitations
from consensus.views.facilitator import _managed_study


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _report(request: HttpRequest, report: invitations.MailingReport, sent_message: str) -> None:
    messages.success(request, sent_message % {"n": report.sent})
    if report.skipped:
        messages.warning(
            request,
            ngettext(
                "%(n)d panelist has no e-mail address or signs in with a password: no link "
                "was sent to them.",
                "%(n)d panelists have no e-mail address or sign in with a password: no link "
                "was sent to them.",
                report.skipped,
            )
            % {"n": report.skipped},
        )


@require_POST
@login_required
def invitations_send(request: HttpRequest, pk: int) -> HttpResponse:
    study = _managed_study(request, pk)
    report = invitations.invitations_send(
        user=request.user, study=study, base_url=_base_url(request)
    )
    _report(
        request,
        report,
        ngettext("%(n)d invitation sent.", "%(n)d invitations sent.", report.sent),
    )
    return redirect("consensus:study-detail", pk=study.pk)


@require_POST
@login_required
def reminders_send(request: HttpRequest, pk: int) -> HttpResponse:
    delphi_round = get_object_or_404(Round.objects.select_related("study"), pk=pk)
    study = _managed_study(request, delphi_round.study_id)
    try:
        report = invitations.reminders_send(
            user=request.user, delphi_round=delphi_round, base_url=_base_url(request)
        )
    except ConsensusError as error:
        messages.error(request, str(error))
    else:
        _report(
            request,
            report,
            ngettext("%(n)d reminder sent.", "%(n)d reminders sent.", report.sent),
        )
    return redirect("consensus:study-detail", pk=study.pk)


@require_http_methods(["GET", "POST"])
def signin_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners that open links do not spend them); POST spends the
    link, logs its panelist in and opens their ballot."""
    try:
        link = (
            invitations.signin_link_use(token)
            if request.method == "POST"
            else invitations.signin_link_check(token)
        )
    except SignInLinkInvalid as error:
        return render(
            request,
            "consensus/signin_link.html",
            {"error": str(error), "login_url": resolve_url(settings.LOGIN_URL)},
            status=410,
        )
    if request.method == "GET":
        return render(request, "consensus/signin_link.html", {"link": link})
    login(request, link.user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(
        request,
        _("Welcome, %(name)s: you are signed in.")
        % {"name": link.user.get_full_name() or link.user.get_username()},
    )
    delphi_round = link.study.rounds.open().first()
    if delphi_round is not None:
        return redirect("consensus:ballot", pk=delphi_round.pk)
    return redirect("consensus:home")
