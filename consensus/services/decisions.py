"""The steering committee's decision per item (audited by django-simple-history)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from consensus import permissions
from consensus.exceptions import ConsensusError
from consensus.models import Decision, Item, Round


@transaction.atomic
def decision_record(
    *, user, item: Item, decision: str, rationale: str, wording: str = ""
) -> Decision:
    if not permissions.can_decide(user, item.study):
        raise PermissionDenied
    # The round's row lock (FOR SHARE) waits for a round being opened or closed.
    if Round.objects.select_for_update().filter(study_id=item.study_id).open().exists():
        raise ConsensusError(_("A round of this study is still open: decide once it is closed."))
    if decision not in Decision.Choice.values:
        raise ConsensusError(_("Choose keep, drop or reword."))
    if decision == Decision.Choice.DROP and hasattr(item, "amendment"):
        raise ConsensusError(
            _(
                "An amendment is adopted (reword) or rejected (keep): withdrawing the "
                "competency is a matter for a major revision."
            )
        )
    rationale = rationale.strip()
    if not rationale:
        raise ConsensusError(_("Give the rationale of the decision."))
    wording = (wording or "").strip()
    if decision == Decision.Choice.REWORD and not wording:
        raise ConsensusError(_("Give the wording adopted for a rewording."))
    if decision != Decision.Choice.REWORD:
        wording = ""
    existing = Decision.objects.select_for_update().filter(item=item).first()
    if existing is None:
        existing = Decision(item=item)
    existing.decision = decision
    existing.rationale = rationale
    existing.wording = wording
    existing.decided_by = user
    existing._history_user = user  # simple-history: who, also outside a request
    existing.save()
    return existing
