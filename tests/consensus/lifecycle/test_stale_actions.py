"""A form or an admin action left open names the step it was shown for: once that step is
over, it is refused (nothing stored), never carried over to the next step."""

import pytest
from django.urls import reverse

from consensus.models import LifecycleVote
from consensus.services import lifecycle
from tests.consensus.lifecycle.helpers import (
    closed_study,
    college_editor,
    committee,
    deans_seats,
    inventory_add,
    new_referentiel,
)

pytestmark = pytest.mark.django_db


def _ready_for_two_gates():
    """Phase 1, with the conditions of leaving phases 1 and 2 both met."""
    referentiel = new_referentiel(n_competencies=2)
    member = committee()
    lifecycle.referent_name(
        user=member, referentiel=referentiel, account=college_editor(referentiel.college)
    )
    inventory_add(referentiel)
    closed_study(referentiel)
    return referentiel, member


def test_a_second_click_on_a_gate_in_the_wagtail_admin_does_not_pass_the_next_gate(client):
    referentiel, member = _ready_for_two_gates()
    gate_1 = lifecycle.lifecycle_state(referentiel).current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[referentiel.pk, "approve", gate_1.pk])
    client.force_login(member)
    client.post(url)
    referentiel.refresh_from_db()
    assert referentiel.phase == 2
    response = client.post(url)  # the same button, clicked again
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[referentiel.pk])
    referentiel.refresh_from_db()
    assert referentiel.phase == 2


def test_a_gate_form_left_open_does_not_pass_the_next_gate(client):
    referentiel, member = _ready_for_two_gates()
    gate_1 = lifecycle.lifecycle_state(referentiel).current_task_state
    client.force_login(member)
    url = reverse("consensus:lifecycle-gate", args=[referentiel.pk])
    client.post(url, {"task_state": gate_1.pk})
    response = client.post(url, {"task_state": gate_1.pk}, follow=True)
    assert "a déjà quitté" in response.content.decode()
    referentiel.refresh_from_db()
    assert referentiel.phase == 2


def test_a_vote_form_left_open_is_refused_once_its_vote_is_over(client):
    members = deans_seats()
    referentiel = new_referentiel(phase=4)
    first = lifecycle.lifecycle_state(referentiel).current_task_state
    client.force_login(members[0].holder)
    page = client.get(reverse("consensus:lifecycle", args=[referentiel.pk])).content.decode()
    assert f'name="task_state" value="{first.pk}"' in page  # the form names its vote
    for seat, choice in zip(members, ("reject", "reject", "approve", "abstain"), strict=True):
        lifecycle.vote_cast(user=seat.holder, task_state=first, choice=choice, comment="Non.")
    lifecycle.lifecycle_resume(user=committee(), referentiel=referentiel)
    second = lifecycle.lifecycle_state(referentiel).current_task_state
    assert second.pk != first.pk

    url = reverse("consensus:lifecycle-vote", args=[referentiel.pk])
    response = client.post(url, {"task_state": first.pk, "choice": "approve"}, follow=True)
    assert "Ce vote est clos" in response.content.decode()
    assert not LifecycleVote.objects.filter(task_state=second).exists()
    client.post(url, {"task_state": second.pk, "choice": "approve"})  # the new vote's form
    assert LifecycleVote.objects.filter(task_state=second).count() == 1


def test_a_crafted_gate_post_by_an_editor_is_refused_even_when_the_conditions_hold(client):
    referentiel, _member = _ready_for_two_gates()
    gate_1 = lifecycle.lifecycle_state(referentiel).current_task_state
    client.force_login(college_editor(referentiel.college))  # may see the lifecycle page
    response = client.post(
        reverse("consensus:lifecycle-gate", args=[referentiel.pk]), {"task_state": gate_1.pk}
    )
    assert response.status_code == 403
    referentiel.refresh_from_db()
    assert referentiel.phase == 1
