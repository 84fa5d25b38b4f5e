"""Opening and closing rounds. Opening round 1 freezes the protocol."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from consensus import audit, broadcast, permissions
from consensus.exceptions import RoundStateError
from consensus.models import Item, Round, RoundItem, Study


@transaction.atomic
def round_open(*, user, study: Study) -> Round:
    """Open the next round with each item's current wording (frozen for this round)."""
    if not permissions.can_manage_study(user, study):
        raise PermissionDenied
    study = Study.objects.select_for_update().get(pk=study.pk)
    rounds = list(study.rounds.all())
    if any(r.is_open for r in rounds):
        raise RoundStateError(_("A round is already open in this study."))
    number = len(rounds) + 1
    if number > study.max_rounds:
        raise RoundStateError(
            _("This study allows at most %(n)d rounds.") % {"n": study.max_rounds}
        )
    items = list(Item.objects.filter(study=study).prefetch_related("versions"))
    if not items:
        raise RoundStateError(_("A study needs at least one item before a round opens."))
    if not study.panelists.exists():
        raise RoundStateError(_("A study needs at least one panelist before a round opens."))
    now = timezone.now()
    if not study.is_frozen:
        study.protocol_frozen_at = now
        study.save(update_fields=["protocol_frozen_at"])
        log(instance=study, action=audit.PROTOCOL_FREEZE, user=user, title=study.title)
    delphi_round = Round.objects.create(study=study, number=number, status=Round.Status.OPEN)
    _log_round(delphi_round, audit.ROUND_OPEN, user, study)
    RoundItem.objects.bulk_create(
        RoundItem(round=delphi_round, item=item, version=max(item.versions.all(), key=_number))
        for item in items
    )
    broadcast.participation_changed(study.pk)
    return delphi_round


def _log_round(delphi_round: Round, action: str, user, study: Study) -> None:
    log(
        instance=delphi_round,
        action=action,
        user=user,
        title=f"{study.title} — {_('Round %(n)s') % {'n': delphi_round.number}}",
        data={"study_id": study.pk, "number": delphi_round.number},
    )


def _number(version) -> int:
    return version.number


@transaction.atomic
def round_close(*, user, delphi_round: Round) -> Round:
    if not permissions.can_manage_study(user, delphi_round.study):
        raise PermissionDenied
    # FOR UPDATE waits for ballots in flight (they hold FOR SHARE on the round row).
    delphi_round = Round.objects.select_for_update().get(pk=delphi_round.pk)
    if not delphi_round.is_open:
        raise RoundStateError(_("This round is already closed."))
    delphi_round.status = Round.Status.CLOSED
    delphi_round.closed_at = timezone.now()
    delphi_round.save(update_fields=["status", "closed_at"])
    _log_round(delphi_round, audit.ROUND_CLOSE, user, delphi_round.study)
    broadcast.participation_changed(delphi_round.study_id)
    return delphi_round
