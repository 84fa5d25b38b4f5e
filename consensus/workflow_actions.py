"""Wagtail's end-of-workflow action (WAGTAIL_FINISH_WORKFLOW_ACTION). Imported by Wagtail while
its models load: nothing is imported at module level."""

from __future__ import annotations


def workflow_finished(workflow_state, user=None) -> None:
    """The lifecycle's last vote publishes the référentiel (the votes are the authority, not the
    last voter's page rights); other workflows publish as Wagtail does."""
    from wagtail.workflows import publish_workflow_state

    from consensus.services.lifecycle import WORKFLOW_NAME

    if workflow_state.workflow.name != WORKFLOW_NAME:
        return publish_workflow_state(workflow_state, user=user)
    from consensus.models import VotedRevision

    # The référentiel's revision the votes were on (consensus.services.voted), not a later draft.
    obj = workflow_state.content_object
    pin = (
        VotedRevision.objects.filter(task_state=workflow_state.current_task_state, page_id=obj.pk)
        .select_related("revision")
        .first()
    )
    revision = pin.revision if pin is not None else obj.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
    return None
