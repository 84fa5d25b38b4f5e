"""A lifecycle action refused in the Wagtail admin comes back to the référentiel's page with
its French reason (Wagtail's messages), and stores nothing: through the workflow-action view
(the dashboard's and the page header's buttons), the modal that collects a vote, and the
page editor's action menu."""

from __future__ import annotations

import html
import json
from html.parser import HTMLParser

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import TaskState

from consensus.models import LifecycleVote
from consensus.services import lifecycle
from tests.consensus.lifecycle.helpers import (
    college_editor,
    committee,
    deans_seats,
    new_referentiel,
)
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def _action_url(referentiel, action: str, task_state, view: str = "workflow_action") -> str:
    return reverse(f"wagtailadmin_pages:{view}", args=[referentiel.pk, action, task_state.pk])


def _edit_url(referentiel) -> str:
    return reverse("wagtailadmin_pages:edit", args=[referentiel.pk])


def _errors(response) -> list[str]:
    """The error messages shown (Wagtail's admin messages are escaped HTML)."""
    messages = get_messages(response.wsgi_request)
    return [html.unescape(str(m)).strip() for m in messages if m.level_tag == "error"]


def _at_deans_vote():
    seats = deans_seats()
    referentiel = new_referentiel(phase=4)
    return referentiel, lifecycle.lifecycle_state(referentiel).current_task_state, seats


def _admin_voter(seat):
    """A seat holder who reaches the Wagtail admin (as the committee's accounts do)."""
    seat.holder.is_superuser = True
    seat.holder.save()
    return seat.holder


def test_a_gate_whose_conditions_do_not_hold_comes_back_to_the_page_with_what_is_missing(client):
    referentiel = new_referentiel()
    gate = lifecycle.lifecycle_state(referentiel).current_task_state
    client.force_login(committee())
    response = client.post(_action_url(referentiel, "approve", gate))
    assert response.status_code == 302 and response["Location"] == _edit_url(referentiel)
    [error] = _errors(response)
    assert "La phase ne peut pas encore être quittée" in error
    assert "Aucun référent n'est nommé" in error
    gate.refresh_from_db()
    assert gate.status == TaskState.STATUS_IN_PROGRESS


def test_a_gate_pressed_by_an_account_outside_the_committee_is_refused_on_the_page(client):
    referentiel = new_referentiel()
    gate = lifecycle.lifecycle_state(referentiel).current_task_state
    client.force_login(college_editor(referentiel.college))  # reaches the admin, not a gate
    response = client.post(_action_url(referentiel, "approve", gate))
    assert response["Location"] == _edit_url(referentiel)
    assert _errors(response) == [
        "Seul le comité de pilotage fait passer un référentiel à la phase suivante : "
        "rien n'a été modifié."
    ]
    gate.refresh_from_db()
    assert gate.status == TaskState.STATUS_IN_PROGRESS


def test_a_vote_by_an_account_without_a_seat_is_refused_on_the_page(client):
    referentiel, vote, _seats = _at_deans_vote()
    client.force_login(UserFactory(is_superuser=True))
    response = client.post(_action_url(referentiel, "vote", vote), {"choice": "approve"})
    assert response.status_code == 302 and response["Location"] == _edit_url(referentiel)
    [error] = _errors(response)
    assert error.startswith("Seuls les membres de")
    assert not LifecycleVote.objects.filter(task_state=vote).exists()


def test_the_vote_modal_refuses_a_non_member_with_a_redirect_to_the_page(client):
    referentiel, vote, _seats = _at_deans_vote()
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(
        _action_url(referentiel, "vote", vote, view="collect_workflow_action_data"),
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    assert json.loads(response.content)["redirect"] == _edit_url(referentiel)
    assert _errors(response)[0].startswith("Seuls les membres de")


def test_a_second_vote_is_refused_on_the_page_and_the_first_one_stands(client):
    referentiel, vote, seats = _at_deans_vote()
    voter = _admin_voter(seats[0])
    lifecycle.vote_cast(user=voter, task_state=vote, choice="approve")
    client.force_login(voter)
    response = client.post(
        _action_url(referentiel, "vote", vote), {"choice": "reject", "comment": "Finalement non."}
    )
    assert response["Location"] == _edit_url(referentiel)
    [error] = _errors(response)
    assert "a déjà voté" in error
    assert list(LifecycleVote.objects.filter(task_state=vote).values_list("choice", flat=True)) == [
        "approve"
    ]


def test_a_vote_on_a_closed_vote_is_refused_on_the_page(client):
    referentiel, first, seats = _at_deans_vote()
    for seat in seats:
        lifecycle.vote_cast(user=seat.holder, task_state=first, choice="reject", comment="Non.")
    lifecycle.lifecycle_resume(user=committee(), referentiel=referentiel)
    client.force_login(_admin_voter(seats[0]))
    response = client.post(_action_url(referentiel, "vote", first), {"choice": "approve"})
    assert response["Location"] == _edit_url(referentiel)
    assert _errors(response) == ["Ce vote est clos : votre vote n'a pas été enregistré."]
    assert LifecycleVote.objects.filter(voter=seats[0].holder).count() == 1


def test_approving_a_vote_by_hand_is_refused_on_the_page(client):
    referentiel, vote, _seats = _at_deans_vote()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(_action_url(referentiel, "approve", vote))
    assert response["Location"] == _edit_url(referentiel)
    assert _errors(response) == [
        "Un vote ne se clôt que lorsque sa règle (quorum et majorité) est atteinte."
    ]
    vote.refresh_from_db()
    assert vote.status == TaskState.STATUS_IN_PROGRESS


class _EditForm(HTMLParser):
    """The fields of the Wagtail editor's form, as a browser would post them."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self._in_form = False
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "page-edit-form":
            self._in_form = True
        if not self._in_form or "name" not in attrs and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data[attrs["name"]] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.data[self._textarea] = ""
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value") or ""

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._in_form = False


def _editor_post(client, referentiel, action: str, extra: dict | None = None):
    parser = _EditForm()
    parser.feed(client.get(_edit_url(referentiel)).content.decode())
    data = {
        **parser.data,
        "action-workflow-action": "true",
        "workflow-action-name": action,
        "workflow-action-extra-data": json.dumps(extra or {}),
    }
    return client.post(_edit_url(referentiel), data)


def test_the_editor_s_gate_action_says_what_is_missing_and_comes_back_to_the_page(client):
    referentiel = new_referentiel()
    gate = lifecycle.lifecycle_state(referentiel).current_task_state
    client.force_login(committee())
    response = _editor_post(client, referentiel, "approve")
    assert response.status_code == 302 and response["Location"] == _edit_url(referentiel)
    [error] = _errors(response)
    assert "La phase ne peut pas encore être quittée" in error
    gate.refresh_from_db()
    assert gate.status == TaskState.STATUS_IN_PROGRESS


def test_the_editor_s_second_vote_is_refused_on_the_page(client):
    referentiel, vote, seats = _at_deans_vote()
    voter = _admin_voter(seats[0])
    lifecycle.vote_cast(user=voter, task_state=vote, choice="approve")
    client.force_login(voter)
    response = _editor_post(client, referentiel, "vote", {"choice": "reject", "comment": "Non."})
    assert response["Location"] == _edit_url(referentiel)
    assert any("a déjà voté" in e for e in _errors(response))
    assert LifecycleVote.objects.filter(task_state=vote).count() == 1
