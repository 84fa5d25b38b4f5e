"""Where the lifecycle's Wagtail tasks find what they do.

Wagtail discovers task types as models (``consensus.lifecycle_models``) and calls hooks on them:
``start``, ``get_actions``, ``get_form_for_action``, ``on_action``,
``get_task_states_user_can_moderate`` and, through their task states, ``approve``. What those
hooks do belongs to the lifecycle service, its forms and its permissions, which sit above the
models. So the models ask this registry for the handler of their kind, and
``consensus.lifecycle_tasks`` registers the handlers when the app is ready
(``ConsensusConfig.ready``). This module imports nothing of the app.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured

GATE = "gate"
VOTE = "vote"


class TaskHandler(Protocol):
    """What one kind of lifecycle task does when Wagtail asks."""

    def actions(self, task: Any, obj: Any, user: Any) -> list[tuple[str, str, bool]]:
        """Wagtail's ``(name, label, needs_modal)`` triples offered to ``user``."""

    def form_for_action(self, task: Any, action: str) -> type | None:
        """The form of an action's modal, or None."""

    def on_action(self, task: Any, task_state: Any, user: Any, action_name: str, **kwargs) -> str:
        """Carry out an action; the URL to go to afterwards."""

    def started(self, task: Any, task_state: Any) -> None:
        """The task has just started (in the workflow's transaction)."""

    def can_moderate(self, task: Any, user: Any) -> bool:
        """Whether ``user`` is one of those the task waits on (the admin's « awaiting you »)."""

    def approve_check(self, task_state: Any) -> None:
        """Raise ``PermissionDenied`` if the task state may not be approved now."""


_handlers: dict[str, TaskHandler] = {}


def handler_register(kind: str, handler: TaskHandler) -> None:
    """Register (or replace) the handler of a kind of lifecycle task."""
    _handlers[kind] = handler


def handler_for(kind: str) -> TaskHandler:
    try:
        return _handlers[kind]
    except KeyError:
        raise ImproperlyConfigured(
            f"No lifecycle task handler is registered for {kind!r}: "
            "consensus.apps.ConsensusConfig.ready() registers them."
        ) from None
