"""Amendments to published editions: propose one from an edition's page, the référentiel's list
(accept / refuse for the référent and the committee), an amendment's page and its path to the
minor edition.

Thin: each POST calls one service; refusals come back as French messages, nothing stored, what
was typed kept. Who may read an amendment: whoever may see its référentiel (wiki.visibility);
the proposer's name only for the référent, the committee and the proposer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consensus import permissions
from consensus.exceptions import ConsensusError
from consensus.forms import AmendmentDecisionForm, AmendmentForm
from consensus.models import Amendment
from consensus.services import amendments as service
from wiki import visibility
from wiki.diff import diff_text
from wiki.models import ReferentielPage
from wiki.services.editions import edition_latest


def _visible_referentiel(request: HttpRequest, referentiel) -> None:
    if not visibility.may_view_page(visibility.request_reader(request), referentiel):
        raise Http404


def _amendment(request: HttpRequest, pk: int) -> Amendment:
    amendment = get_object_or_404(
        Amendment.objects.select_related(
            "edition__referentiel__college",
            "proposed_by",
            "decided_by",
            "study",
            "item__decision",
            "published_edition",
        ),
        pk=pk,
    )
    _visible_referentiel(request, amendment.edition.referentiel)
    return amendment


@login_required
def amendment_propose(request: HttpRequest, slug: str, version: str, code: str) -> HttpResponse:
    try:
        edition = service.amendable_edition(user=request.user, slug=slug, version=version)
    except ConsensusError as error:
        return render(
            request,
            "consensus/amendment_refused.html",
            {"message": str(error), "slug": slug},
            status=404,
        )
    competency = service.edition_competency(edition, code)
    if competency is None:
        message = _("Competency %(code)s is not in edition %(version)s of this référentiel.") % {
            "code": code,
            "version": edition.version,
        }
        return render(
            request,
            "consensus/amendment_refused.html",
            {"message": message, "slug": slug},
            status=404,
        )
    if request.method == "POST":
        form = AmendmentForm(request.POST)
        if form.is_valid():
            try:
                amendment = service.amendment_propose(
                    user=request.user, slug=slug, version=version, code=code, **form.cleaned_data
                )
            except ConsensusError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Your amendment was recorded: the référent and the committee will decide."),
                )
                return redirect("consensus:amendment-detail", pk=amendment.pk)
    else:
        form = AmendmentForm(
            initial={
                "title": competency.title,
                "statement": competency.statement,
                "learning_outcomes": "\n".join(competency.learning_outcomes),
            }
        )
    return render(
        request,
        "consensus/amendment_form.html",
        {
            "form": form,
            "edition": edition,
            "referentiel": edition.referentiel,
            "competency": competency,
        },
        status=400 if request.method == "POST" else 200,
    )


def _sees_proposer(user, amendment: Amendment) -> bool:
    return (
        user.is_authenticated and user.pk == amendment.proposed_by_id
    ) or permissions.can_decide_amendment(user, amendment.edition.referentiel)


def amendment_detail(
    request: HttpRequest, pk: int, decision_form: AmendmentDecisionForm | None = None
) -> HttpResponse:
    amendment = _amendment(request, pk)
    referentiel = amendment.edition.referentiel
    user = request.user
    can_decide = permissions.can_decide_amendment(user, referentiel)
    status = Amendment.Status
    context = {
        "amendment": amendment,
        "referentiel": referentiel,
        "sees_proposer": _sees_proposer(user, amendment),
        "statement_diff": diff_text(amendment.current_statement, amendment.statement),
        "title_diff": diff_text(amendment.current_title, amendment.title),
        "decision_form": (decision_form or _decision_form(amendment))
        if can_decide and amendment.status == status.PROPOSED
        else None,
        "can_open_study": amendment.status == status.ACCEPTED
        and permissions.can_create_study(user),
        "can_publish": amendment.status == status.ADOPTED
        and permissions.can_publish_amendments(user),
        "can_follow_study": amendment.study_id is not None
        and permissions.can_view_results(user, amendment.study),
        "can_decide_items": amendment.study_id is not None
        and permissions.can_decide(user, amendment.study),
        "can_apply": amendment.study_id is not None and permissions.can_move_phase(user),
        "decision": getattr(amendment.item, "decision", None) if amendment.item_id else None,
        "latest": edition_latest(referentiel),
    }
    return render(
        request,
        "consensus/amendment_detail.html",
        context,
        status=400 if decision_form is not None else 200,
    )


def _decision_form(amendment: Amendment, data=None) -> AmendmentDecisionForm:
    """Prefixed by the amendment: the list shows one form per amendment on one page."""
    return AmendmentDecisionForm(data, prefix=f"a{amendment.pk}")


def _next(request: HttpRequest, default: str) -> str:
    wanted = request.POST.get("next", "")
    return wanted if wanted.startswith("/consensus/") else default


@require_POST
@login_required
def amendment_decide(request: HttpRequest, pk: int) -> HttpResponse:
    amendment = _amendment(request, pk)
    if not permissions.can_decide_amendment(request.user, amendment.edition.referentiel):
        raise PermissionDenied
    form = _decision_form(amendment, request.POST)
    if not form.is_valid():
        return amendment_detail(request, pk, decision_form=form)
    try:
        service.amendment_decide(
            user=request.user,
            amendment=amendment,
            accept=form.cleaned_data["decision"] == "accept",
            reasons=form.cleaned_data["reasons"],
        )
    except ConsensusError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your decision on amendment #%(n)s was recorded.") % {"n": pk})
    return redirect(_next(request, reverse("consensus:amendment-detail", args=[pk])))


@require_POST
@login_required
def amendment_study_open(request: HttpRequest, pk: int) -> HttpResponse:
    amendment = _amendment(request, pk)
    if not permissions.can_create_study(request.user):
        raise PermissionDenied
    try:
        study = service.amendment_study_open(user=request.user, amendments=[amendment])
    except ConsensusError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The Delphi study « %(title)s » is open with its single round.")
            % {"title": study.title},
        )
    return redirect("consensus:amendment-detail", pk=pk)


def _referentiel(request: HttpRequest, pk: int) -> ReferentielPage:
    referentiel = get_object_or_404(ReferentielPage, pk=pk)
    _visible_referentiel(request, referentiel)
    return referentiel


def amendment_list(request: HttpRequest, pk: int) -> HttpResponse:
    referentiel = _referentiel(request, pk)
    user = request.user
    can_decide = permissions.can_decide_amendment(user, referentiel)
    rows = (
        Amendment.objects.for_referentiel(referentiel)
        .select_related("edition", "proposed_by", "published_edition")
        .order_by("-proposed_at", "-pk")
    )
    return render(
        request,
        "consensus/amendment_list.html",
        {
            "referentiel": referentiel,
            "can_decide": can_decide,
            "sees_proposers": can_decide,
            "user_id": user.pk if user.is_authenticated else None,
            "rows": [
                (
                    a,
                    _decision_form(a)
                    if can_decide and a.status == Amendment.Status.PROPOSED
                    else None,
                )
                for a in rows
            ],
            "can_publish": permissions.can_publish_amendments(user)
            and rows.filter(status=Amendment.Status.ADOPTED).exists(),
            "latest": edition_latest(referentiel),
        },
    )


@require_POST
@login_required
def amendments_publish(request: HttpRequest, pk: int) -> HttpResponse:
    referentiel = _referentiel(request, pk)
    if not permissions.can_publish_amendments(request.user):
        raise PermissionDenied
    try:
        edition = service.amendment_edition_publish(user=request.user, referentiel=referentiel)
    except ConsensusError as error:
        messages.error(request, str(error))
        return redirect("consensus:amendment-list", pk=pk)
    messages.success(request, _("Edition %(version)s is published.") % {"version": edition.version})
    return redirect("referentiels:edition", slug=referentiel.slug, version=edition.version)
