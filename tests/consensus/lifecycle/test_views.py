import pytest
from django.urls import reverse

from consensus.models import LifecycleVote
from consensus.services import lifecycle
from tests.consensus.lifecycle.helpers import deans_seats, new_referentiel
from tests.factories.accounts import UserFactory
from tests.factories.consensus import committee_member

pytestmark = pytest.mark.django_db


def test_a_seat_votes_from_the_lifecycle_page_and_a_stranger_is_refused(client):
    seats = deans_seats()
    referentiel = new_referentiel(phase=4)
    url = reverse("consensus:lifecycle", args=[referentiel.pk])
    client.force_login(seats[0].holder)
    page = client.get(url).content.decode()
    assert "Conférences des doyens" in page and 'name="choice"' in page
    response = client.post(
        reverse("consensus:lifecycle-vote", args=[referentiel.pk]),
        {"choice": "approve", "comment": ""},
        follow=True,
    )
    assert "Votre vote est enregistré." in response.content.decode()
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(committee_member())
    response = client.post(
        reverse("consensus:lifecycle-vote", args=[referentiel.pk]),
        {"choice": "approve"},
        follow=True,
    )
    assert "Seuls les membres" in response.content.decode()
    state = lifecycle.lifecycle_state(referentiel)
    assert LifecycleVote.objects.filter(task_state=state.current_task_state).count() == 1


def test_the_gate_report_shows_what_is_missing_with_links(client):
    referentiel = new_referentiel()
    client.force_login(committee_member())
    html = client.get(reverse("consensus:lifecycle", args=[referentiel.pk])).content.decode()
    assert "Aucun référent n&#x27;est nommé" in html or "Aucun référent n'est nommé" in html
    assert "/admin/pages/add/wiki/inventorypage/" in html
    response = client.post(reverse("consensus:lifecycle-gate", args=[referentiel.pk]), follow=True)
    assert "ne peut pas encore être quittée" in response.content.decode()
