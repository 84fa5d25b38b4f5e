"""Facilitator and committee views: thin, one service call per operation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from consensus import permissions, selectors
from consensus.exceptions import ConsensusError
from consensus.forms import DecisionForm, ItemRewordForm, StudyCreateForm, StudyReportTextsForm
from consensus.models import Amendment, Item, Round, Study
from consensus.services import decisions, report_texts, rounds, studies


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "consensus/study_list.html",
        {
            "studies": selectors.studies_for_user(request.user),
            "open_rounds": selectors.open_round_for_panelist(request.user),
            "can_create": permissions.can_create_study(request.user),
        },
    )


@login_required
def study_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_study(request.user):
        raise PermissionDenied
    form = StudyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            study = studies.study_create(
                user=request.user,
                title=form.cleaned_data["title"],
                referentiel=form.cleaned_data["referentiel"],
                panel=form.panel(),
                new_panelists=form.new_panelists(),
                **form.protocol(),
            )
        except ConsensusError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The study was created."))
            return redirect("consensus:study-detail", pk=study.pk)
    return render(request, "consensus/study_form.html", {"form": form})


def _managed_study(request: HttpRequest, pk: int) -> Study:
    study = get_object_or_404(Study, pk=pk)
    if not permissions.can_manage_study(request.user, study):
        raise PermissionDenied
    return study


@login_required
def study_detail(request: HttpRequest, pk: int) -> HttpResponse:
    study = _managed_study(request, pk)
    participation = selectors.study_participation(study)
    open_round = study.rounds.open().first()
    pending = [p for p in participation if p.round.is_open]
    return render(
        request,
        "consensus/study_detail.html",
        {
            "study": study,
            "items": study.items.prefetch_related("versions"),
            "rounds": study.rounds.order_by("number"),
            "open_round": open_round,
            "participation": participation,
            "pending_count": len(pending[0].pending) if pending else 0,
            "not_invited_count": study.panelists.filter(invitation_sent_at=None).count(),
        },
    )


@require_POST
@login_required
def round_open(request: HttpRequest, pk: int) -> HttpResponse:
    study = _managed_study(request, pk)
    try:
        delphi_round = rounds.round_open(user=request.user, study=study)
    except ConsensusError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Round %(n)d is open.") % {"n": delphi_round.number})
    return redirect("consensus:study-detail", pk=study.pk)


@require_http_methods(["GET", "POST"])
@login_required
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation (closing is final: late ballots are refused); POST closes."""
    delphi_round = get_object_or_404(Round.objects.select_related("study"), pk=pk)
    study = _managed_study(request, delphi_round.study_id)
    if request.method == "GET":
        if not delphi_round.is_open:
            return redirect("consensus:study-detail", pk=study.pk)
        participation = next(
            p for p in selectors.study_participation(study) if p.round.pk == delphi_round.pk
        )
        return render(
            request,
            "consensus/round_close_confirm.html",
            {"study": study, "round": delphi_round, "participation": participation},
        )
    try:
        rounds.round_close(user=request.user, delphi_round=delphi_round)
    except ConsensusError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Round %(n)d is closed.") % {"n": delphi_round.number})
    return redirect("consensus:study-detail", pk=study.pk)


@login_required
def item_reword(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Item, pk=pk)
    study = _managed_study(request, item.study_id)
    current = item.current_version()
    form = ItemRewordForm(
        request.POST or None, initial={"text": current.text, "context": current.context}
    )
    if request.method == "POST" and form.is_valid():
        try:
            studies.item_reword(
                user=request.user,
                item=item,
                text=form.cleaned_data["text"],
                context=form.cleaned_data["context"],
            )
        except ConsensusError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The item was reworded."))
            return redirect("consensus:study-detail", pk=study.pk)
    return render(
        request, "consensus/item_reword.html", {"form": form, "item": item, "study": study}
    )


@login_required
def report_texts_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The methods report's free texts (ACCORD, CREDES), written by the facilitator."""
    study = _managed_study(request, pk)
    form = StudyReportTextsForm(request.POST or None, instance=study)
    if request.method == "POST" and form.is_valid():
        try:
            report_texts.study_report_texts_update(user=request.user, study=study, **form.texts())
        except ConsensusError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The report's texts were saved."))
            return redirect("consensus:report", pk=study.pk)
    return render(request, "consensus/report/study_texts_form.html", {"form": form, "study": study})


@login_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    study = get_object_or_404(Study, pk=pk)
    if not permissions.can_view_results(request.user, study):
        raise PermissionDenied
    return render(
        request,
        "consensus/study_results.html",
        {"study": study, "results": selectors.study_results(study)},
    )


def _amendment_initial(item: Item) -> dict:
    """An amendment's item: the wording to adopt is the one proposed (the committee may edit
    it)."""
    amendment = Amendment.objects.filter(item=item).only("statement").first()
    return {"wording": amendment.statement} if amendment is not None else {}


@login_required
def decision_list(request: HttpRequest, pk: int) -> HttpResponse:
    study = get_object_or_404(Study, pk=pk)
    if not permissions.can_decide(request.user, study):
        raise PermissionDenied
    forms = {}
    if request.method == "POST":
        item_pk = request.POST.get("item", "")
        if not item_pk.isascii() or not item_pk.isdigit():
            raise Http404
        item = get_object_or_404(Item, pk=item_pk, study=study)
        form = DecisionForm(request.POST, prefix=f"item{item.pk}")
        forms[item.pk] = form
        if form.is_valid():
            try:
                decisions.decision_record(
                    user=request.user,
                    item=item,
                    decision=form.cleaned_data["decision"],
                    rationale=form.cleaned_data["rationale"],
                    wording=form.cleaned_data["wording"],
                )
            except ConsensusError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("Decision recorded for %(code)s.") % {"code": item.code}
                )
                # Back to the row just decided, not to the top of a long table.
                return redirect(
                    reverse("consensus:decisions", args=[study.pk]) + f"#item-{item.pk}"
                )
    results = selectors.study_results(study)
    rows = []
    for result in results.items:
        decision = result.decision
        initial = (
            {
                "decision": decision.decision,
                "rationale": decision.rationale,
                "wording": decision.wording,
            }
            if decision
            else _amendment_initial(result.item)
        )
        rows.append(
            (
                result,
                forms.get(result.item.pk)
                or DecisionForm(initial=initial, prefix=f"item{result.item.pk}"),
            )
        )
    return render(
        request,
        "consensus/decision_list.html",
        {
            "study": study,
            "results": results,
            "rows": rows,
            "round_open": study.rounds.open().exists(),
        },
    )
