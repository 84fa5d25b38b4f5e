"""The panelist's ballot: partial save, submit, and the previous round's feedback."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError, connection
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consensus import selectors
from consensus.exceptions import ConsensusError
from consensus.models import COMMENT_MAX_LENGTH, Panelist, Round, RoundItem
from consensus.services.ratings import Answer, ballot_save, comment_problem

logger = logging.getLogger(__name__)


def _answers(
    request: HttpRequest, round_item_ids: list[int], study
) -> tuple[dict[int, Answer], dict[int, str], dict[int, tuple[str, str]]]:
    """Parse the posted ballot: answers, per-item errors, and what was typed (kept on error)."""
    answers, errors, typed = {}, {}, {}
    for pk in round_item_ids:
        raw = request.POST.get(f"score-{pk}", "").strip()
        comment = request.POST.get(f"comment-{pk}", "")
        typed[pk] = (raw, comment)
        score = None
        if raw:
            try:
                score = int(raw)
            except ValueError:
                errors[pk] = _("Choose a value on the scale.")
            else:
                if not study.scale_min <= score <= study.scale_max:
                    errors[pk] = _("Choose a value between %(min)d and %(max)d.") % {
                        "min": study.scale_min,
                        "max": study.scale_max,
                    }
        if pk not in errors:
            problem = comment_problem(score, comment)
            if problem is not None:
                errors[pk] = problem
        answers[pk] = Answer(score, comment)
    return answers, errors, typed


def _round_and_panelist(request: HttpRequest, pk: int) -> tuple[Round, Panelist]:
    """The round, its study and the user's panelist seat in one query (as
    ``permissions.panelist_for``: a panelist of the round's study, else 403)."""
    seat = Panelist.objects.filter(study=OuterRef("study_id"), user=request.user.pk)
    delphi_round = get_object_or_404(
        Round.objects.select_related("study").annotate(
            panelist_pk=Subquery(seat.order_by("pk").values("pk")[:1])
        ),
        pk=pk,
    )
    if delphi_round.panelist_pk is None:
        raise PermissionDenied
    # Its other fields load if asked for; the ballot's queries only need its key.
    panelist = Panelist.from_db(
        Panelist.objects.db,
        ["id", "study_id", "user_id"],
        [delphi_round.panelist_pk, delphi_round.study_id, request.user.pk],
    )
    return delphi_round, panelist


@login_required
def ballot(request: HttpRequest, pk: int) -> HttpResponse:
    delphi_round, panelist = _round_and_panelist(request, pk)
    study = delphi_round.study
    errors: dict[int, str] = {}
    typed: dict[int, tuple[str, str]] = {}
    error = None
    status = 200
    if request.method == "POST":
        ids = list(
            RoundItem.objects.filter(round=delphi_round).order_by().values_list("pk", flat=True)
        )
        answers, errors, typed = _answers(request, ids, study)
        if errors:
            error = _("Some answers are not valid: nothing was saved. Correct them below.")
            status = 400
        else:
            submit = "submit" in request.POST
            # Submitting is final: without the confirmation (the dialog with JS, the
            # confirmation page without), the answers are saved and the panelist is asked.
            confirmed = submit and "confirmed" in request.POST
            try:
                ballot_save(
                    user=request.user,
                    delphi_round=delphi_round,
                    answers=answers,
                    submit=confirmed,
                    panelist=panelist,
                    round_item_ids=ids,
                )
            except ConsensusError as exc:
                error, status = str(exc), 400
            except (OperationalError, InterfaceError):
                # The database connection dropped mid-ballot: its transaction is rolled back,
                # nothing was stored. Reconnect, show what was typed, and ask for a retry.
                logger.warning("Ballot not saved: database connection lost", exc_info=True)
                connection.close_if_unusable_or_obsolete()
                error, status = (
                    _(
                        "The connection to the database was interrupted: your ballot was not "
                        "saved. Please try again."
                    ),
                    503,
                )
            else:
                if submit and not confirmed:
                    return _confirmation_or_missing(request, study, delphi_round, panelist)
                if submit:
                    messages.success(request, _("Thank you: your ballot was submitted."))
                else:
                    messages.success(request, _("Your ballot was saved; you can come back to it."))
                return redirect("consensus:ballot", pk=delphi_round.pk)
    return _ballot_page(request, study, delphi_round, panelist, errors, typed, error, status)


def _ballot_page(
    request: HttpRequest,
    study,
    delphi_round: Round,
    panelist,
    errors: dict[int, str],
    typed: dict[int, tuple[str, str]],
    error: str | None,
    status: int,
) -> HttpResponse:
    current, lines = selectors.ballot_for_panelist(panelist, delphi_round)
    for line in lines:
        line.error = errors.get(line.round_item.pk)
        if line.round_item.pk in typed:  # nothing the panelist typed is lost on an error
            raw, line.comment = typed[line.round_item.pk]
            try:
                line.score = int(raw)
            except ValueError:
                line.score = None
    return render(
        request,
        "consensus/ballot_form.html",
        {
            "study": study,
            "round": delphi_round,
            "ballot": current,
            "lines": lines,
            "error": error,
            "submitted": bool(current and current.submitted_at),
            "comment_max_length": COMMENT_MAX_LENGTH,
            "feedback_withheld": selectors.previous_round_withheld(delphi_round),
            "progress": selectors.ballot_progress(lines),
            "bands": selectors.scale_bands(study),
        },
        status=status,
    )


def _confirmation_or_missing(
    request: HttpRequest, study, delphi_round: Round, panelist
) -> HttpResponse:
    """After a submit without confirmation (the answers are saved): the confirmation page
    when every item is rated, else the ballot with what is missing."""
    _current, lines = selectors.ballot_for_panelist(panelist, delphi_round)
    progress = selectors.ballot_progress(lines)
    if not progress.complete:
        missing = len(progress.unrated)
        error = ngettext(
            "Your answers were saved, but %(n)d item is not rated yet: rate it to submit.",
            "Your answers were saved, but %(n)d items are not rated yet: rate them to submit.",
            missing,
        ) % {"n": missing}
        return _ballot_page(request, study, delphi_round, panelist, {}, {}, error, 400)
    return render(
        request,
        "consensus/ballot_confirm.html",
        {"study": study, "round": delphi_round, "lines": lines, "progress": progress},
    )
