"""Patrol: a patroller marks a change reviewed. Each mark is audited in Change.history
(django-simple-history) with the patroller as history_user and a reason naming the action."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from wiki.models import Change
from wiki.models.changes import PATROL_ACTION, PATROL_ACTIONS, UNPATROL_ACTION  # noqa: F401
from wiki.permissions import can_patrol


def _check(user) -> None:
    if not can_patrol(user):
        raise PermissionDenied(gettext("Only patrollers may patrol changes."))


@transaction.atomic
def change_patrol(*, change: Change, user) -> Change:
    """Mark `change` patrolled by `user`. Idempotent: an already patrolled change is left as is."""
    _check(user)
    locked = Change.objects.select_for_update().get(pk=change.pk)
    if locked.patrolled_at is None:
        locked.patrolled_at = timezone.now()
        locked.patrolled_by = user
        locked.autopatrolled = False
        locked._history_user = user
        locked._change_reason = PATROL_ACTION
        locked.save(update_fields=["patrolled_at", "patrolled_by", "autopatrolled"])
    change.patrolled_at, change.patrolled_by_id = locked.patrolled_at, locked.patrolled_by_id
    change.autopatrolled = locked.autopatrolled
    return locked


@transaction.atomic
def change_unpatrol(*, change: Change, user) -> Change:
    """Withdraw a patrol mark (a mistaken click). Idempotent."""
    _check(user)
    locked = Change.objects.select_for_update().get(pk=change.pk)
    if locked.patrolled_at is not None:
        locked.patrolled_at = None
        locked.patrolled_by = None
        locked.autopatrolled = False
        locked._history_user = user
        locked._change_reason = UNPATROL_ACTION
        locked.save(update_fields=["patrolled_at", "patrolled_by", "autopatrolled"])
    change.patrolled_at, change.patrolled_by_id = locked.patrolled_at, locked.patrolled_by_id
    change.autopatrolled = locked.autopatrolled
    return locked
