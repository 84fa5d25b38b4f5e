"""What the lifecycle's Wagtail tasks do when Wagtail asks: an entry point, like a view.

The admin's workflow-action view calls a task's ``on_action``; its dashboard asks
``get_task_states_user_can_moderate``; code calling ``TaskState.approve`` reaches the gate's
re-check. The task models (``consensus.lifecycle_models``) delegate those hooks to the handlers
below through ``consensus.lifecycle_registry``; ``ConsensusConfig.ready`` registers them. Each
handler only routes to the lifecycle service and its permissions.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from consensus import lifecycle_registry, permissions
from consensus.forms import LifecycleVoteForm
from consensus.services import lifecycle, voted


class GateTaskHandler:
    """A phase gate: the committee moves on when the conditions hold."""

    def actions(self, task, obj, user) -> list[tuple[str, str, bool]]:
        if permissions.can_move_phase(user):
            return [("approve", _("Move to the next phase"), False)]
        return []

    def form_for_action(self, task, action: str) -> type | None:
        return None

    def on_action(self, task, task_state, user, action_name: str, **kwargs) -> str:
        obj = task_state.workflow_state.content_object.specific
        if action_name == "approve":
            # A refusal (ConsensusError) is said on the page by the référentiel's admin views
            # (consensus.views.lifecycle_admin).
            lifecycle.gate_pass(user=user, referentiel=obj, task_state_id=task_state.pk)
        return task.lifecycle_url(obj)

    def started(self, task, task_state) -> None:
        return None

    def can_moderate(self, task, user) -> bool:
        return permissions.can_move_phase(user)

    def approve_check(self, task_state) -> None:
        report = lifecycle.gate_report(
            task_state.workflow_state.content_object.specific, task_state.task.specific
        )
        if not report.passes:
            raise PermissionDenied(report.summary())


class VoteTaskHandler:
    """A vote: each seat of the task's body votes once, with a comment."""

    def actions(self, task, obj, user) -> list[tuple[str, str, bool]]:
        if lifecycle.seat_for(user, task.body) is not None:
            return [("vote", _("Vote"), True)]
        return []

    def form_for_action(self, task, action: str) -> type | None:
        return LifecycleVoteForm

    def on_action(self, task, task_state, user, action_name: str, **kwargs) -> str:
        obj = task_state.workflow_state.content_object.specific
        if action_name == "vote":
            lifecycle.vote_cast(
                user=user,
                task_state=task_state,
                choice=kwargs.get("choice", ""),
                comment=kwargs.get("comment", ""),
                edition_kind=kwargs.get("edition_kind", ""),
            )
        return task.lifecycle_url(obj)

    def started(self, task, task_state) -> None:
        # What the voters see and what the edition will publish: pinned now.
        voted.vote_pin(task_state)

    def can_moderate(self, task, user) -> bool:
        return lifecycle.seat_for(user, task.body) is not None

    def approve_check(self, task_state) -> None:
        # Only the tally ends a vote: VoteTaskState guards approve/reject itself.
        return None


def handlers_register() -> None:
    lifecycle_registry.handler_register(lifecycle_registry.GATE, GateTaskHandler())
    lifecycle_registry.handler_register(lifecycle_registry.VOTE, VoteTaskHandler())
