"""Signal receivers: they only hand over to the lifecycle service."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Revision
from wagtail.signals import (
    task_approved,
    task_rejected,
    workflow_approved,
    workflow_cancelled,
    workflow_rejected,
)

from consensus.services import lifecycle


@receiver(post_save, sender=Revision, dispatch_uid="consensus.lifecycle_start")
def referentiel_revision_saved(sender, instance: Revision, created: bool, raw=False, **kwargs):
    """A référentiel's first revision starts its lifecycle (at the phase it was created with:
    1 unless the seed data says otherwise)."""
    if not created or raw or instance.content_type.model != "referentielpage":
        return
    page = instance.content_object
    if lifecycle.lifecycle_state(page) is None:
        lifecycle.lifecycle_start(
            referentiel=page,
            phase=page.phase,
            validated=page.status == page.Status.VALIDATED,
        )


def _referentiel(workflow_state):
    if workflow_state.workflow.name != lifecycle.WORKFLOW_NAME:
        return None
    return workflow_state.content_object.specific


@receiver(workflow_approved, dispatch_uid="consensus.lifecycle_sync.approved")
@receiver(workflow_rejected, dispatch_uid="consensus.lifecycle_sync.rejected")
def workflow_changed(sender, instance, **kwargs):
    referentiel = _referentiel(instance)
    if referentiel is not None:
        lifecycle.lifecycle_sync(referentiel)


@receiver(task_approved, dispatch_uid="consensus.lifecycle_sync.task_approved")
@receiver(task_rejected, dispatch_uid="consensus.lifecycle_sync.task_rejected")
def task_changed(sender, instance, **kwargs):
    referentiel = _referentiel(instance.workflow_state)
    if referentiel is not None:
        lifecycle.lifecycle_sync(referentiel)


@receiver(workflow_cancelled, dispatch_uid="consensus.lifecycle_restart")
def workflow_cancelled_restart(sender, instance, user=None, **kwargs):
    """Cancelling the lifecycle in the Wagtail admin (or by publishing during it) neither
    resets nor skips a phase: it starts again at the step it was on."""
    referentiel = _referentiel(instance)
    if referentiel is None:
        return
    task = instance.current_task_state.task.specific if instance.current_task_state else None
    lifecycle.lifecycle_start(referentiel=referentiel, phase=getattr(task, "phase", 1), user=user)
