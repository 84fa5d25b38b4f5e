"""The lifecycle's Wagtail task models delegate their hooks to handlers registered at app ready:
the models import no service, form or permission, and the permissions no service."""

from __future__ import annotations

import grimp
import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from consensus import lifecycle_registry
from consensus.forms import LifecycleVoteForm
from consensus.models import Body, PhaseGateTask, VoteTask
from consensus.services import lifecycle
from tests.consensus.lifecycle.helpers import committee, deans_seats, new_referentiel
from tests.factories.accounts import UserFactory

UPPER_LAYERS = ("consensus.services", "consensus.forms", "consensus.permissions")


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("consensus", "wiki")


def test_the_task_models_import_no_service_form_or_permission(graph):
    imported = graph.find_modules_directly_imported_by("consensus.lifecycle_models")
    assert not [m for m in imported if m.startswith(UPPER_LAYERS)]


def test_the_permissions_import_no_service(graph):
    imported = graph.find_modules_directly_imported_by("consensus.permissions")
    assert not [m for m in imported if m.startswith("consensus.services")]


def test_the_registry_names_a_missing_handler():
    with pytest.raises(ImproperlyConfigured):
        lifecycle_registry.handler_for("no-such-kind")


@pytest.mark.django_db
def test_gate_hooks_reach_the_service_through_the_registry():
    referentiel = new_referentiel()
    state = lifecycle.lifecycle_state(referentiel)
    gate = state.current_task_state.task.specific
    assert isinstance(gate, PhaseGateTask)
    member, stranger = committee(), UserFactory()
    assert [name for name, _label, _modal in gate.get_actions(referentiel, member)] == ["approve"]
    assert gate.get_actions(referentiel, stranger) == []
    assert gate.get_form_for_action("approve") is None
    assert state.current_task_state in gate.get_task_states_user_can_moderate(member)
    assert not gate.get_task_states_user_can_moderate(stranger).exists()
    # The gate's conditions do not hold: the action is refused and says what is missing.
    with pytest.raises(lifecycle.GateBlocked, match="ne peut pas encore être quittée"):
        gate.on_action(state.current_task_state, member, "approve")
    with pytest.raises(PermissionDenied):
        state.current_task_state.specific.approve(user=member)


@pytest.mark.django_db
def test_vote_hooks_offer_the_vote_to_the_seats_only():
    referentiel = new_referentiel()
    seat = deans_seats()[0]
    vote_task = VoteTask.objects.get(body=Body.DEANS_CONFERENCES)
    assert [a[0] for a in vote_task.get_actions(referentiel, seat.holder)] == ["vote"]
    assert vote_task.get_actions(referentiel, UserFactory()) == []
    assert vote_task.get_form_for_action("vote") is LifecycleVoteForm
