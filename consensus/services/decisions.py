"""The steering committee's decision per item (audited by django-simple-history)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from consensus import permissions
from consensus.exceptions import ConsensusError
from consensus.models import Decision, Item


@transaction.atomic
def decision_record(*, user, item: Item, decision: str, rationale: str) -> Decision:
    if not permissions.can_decide(user, item.study):
        raise PermissionDenied
    if decision not in Decision.Choice.values:
        raise ConsensusError(_("Choose keep, drop or reword."))
    rationale = rationale.strip()
    if not rationale:
        raise ConsensusError(_("Give the rationale of the decision."))
    existing = Decision.objects.select_for_update().filter(item=item).first()
    if existing is None:
        existing = Decision(item=item)
    existing.decision = decision
    existing.rationale = rationale
    existing.decided_by = user
    existing._history_user = user  # simple-history: who, also outside a request
    existing.save()
    return existing
