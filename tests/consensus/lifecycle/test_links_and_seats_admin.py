"""The référentiel's page links to its lifecycle for those who may open it; committee seats
are managed in the Wagtail admin by superusers (and those granted its permissions), audited."""

import pytest
from django.contrib.auth.models import Permission

from consensus.models import Body, CommitteeSeat
from tests.consensus.lifecycle.helpers import college_editor, committee, new_referentiel
from tests.factories.accounts import UserFactory
from wiki.models import Institution
from wiki.roles import STEERING_COMMITTEE
from wiki.services.roles import referentiel_grant_college

pytestmark = pytest.mark.django_db

SEATS = "/admin/committee_seats/"


def test_the_referentiel_page_links_to_its_lifecycle_for_those_allowed(client):
    referentiel = new_referentiel()
    referentiel_grant_college(referentiel)
    cycle = f"/consensus/referentiels/{referentiel.pk}/cycle/"
    assert cycle not in client.get(referentiel.url).content.decode()
    client.force_login(UserFactory())
    assert cycle not in client.get(referentiel.url).content.decode()
    client.force_login(college_editor(referentiel.college))
    assert cycle in client.get(referentiel.url).content.decode()
    client.force_login(committee())
    html = client.get(referentiel.url).content.decode()
    assert cycle in html and "Voir son cycle de vie" in html


def _seat_form(holder) -> dict:
    return {
        # The seed has no deans' seat for UNESS (one seat per body and institution).
        "body": Body.DEANS_CONFERENCES,
        "institution": Institution.objects.get(slug="uness").pk,
        "role_label": "Siège de test",
        "holder": holder.pk,
        "active": "on",
    }


def test_a_superuser_adds_a_seat_in_the_admin_and_it_is_audited(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    holder = UserFactory()
    client.force_login(admin)
    assert client.get(SEATS).status_code == 200
    response = client.post(SEATS + "new/", _seat_form(holder))
    assert response.status_code == 302, response.content.decode()[:2000]
    seat = CommitteeSeat.objects.get(holder=holder)
    record = seat.history.get()
    assert record.history_type == "+" and record.history_user == admin


def test_a_committee_member_without_the_permission_cannot_manage_seats(client):
    member = committee()
    client.force_login(member)
    assert client.get(SEATS).status_code in (302, 403)
    response = client.post(SEATS + "new/", _seat_form(UserFactory()))
    assert response.status_code in (302, 403)
    assert not CommitteeSeat.objects.filter(role_label="Siège de test").exists()


def test_the_committee_administrators_are_those_granted_the_permissions(client):
    admin = committee()
    assert admin.groups.filter(name=STEERING_COMMITTEE).exists()
    admin.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="consensus", codename__endswith="seat")
    )
    client.force_login(admin)
    assert client.get(SEATS).status_code == 200
