"""The new-study form: decimal commas, a panel of 300, a pasted list of accounts and e-mails."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from consensus.models import Study
from tests.factories.consensus import facilitator, panelist_user
from wiki.models import ReferentielPage

pytestmark = pytest.mark.django_db


def _data(**extra):
    return {
        "title": "Panel large",
        "referentiel": ReferentielPage.objects.get(slug="radiologie-3e-cycle").pk,
        "scale_min": 1,
        "scale_max": 9,
        "agree_from": "7",
        "disagree_to": "3",
        "threshold": "0,70",
        "median_min": "6,5",
        "rounds_planned": 2,
        "max_rounds": 3,
        "stability_max_net_change": "0,15",
        "min_ballots": 5,
        "panel_default_category": "teacher",
        **extra,
    }


def test_decimal_commas_are_accepted(client):
    client.force_login(facilitator())
    response = client.post(reverse("consensus:study-create"), _data())
    assert response.status_code == 302
    study = Study.objects.get(title="Panel large")
    assert study.threshold == pytest.approx(0.70) and study.median_min == pytest.approx(6.5)
    assert study.stability_max_net_change == pytest.approx(0.15)
    form = client.get(reverse("consensus:study-create")).content.decode()
    assert 'inputmode="decimal"' in form and 'value="0,7"' in form


def test_a_panel_of_300_is_ticked_searched_and_imported(client, django_assert_max_num_queries):
    users = [
        panelist_user(username=f"pan{i:03d}", first_name="Pan", last_name=f"Éliste {i:03d}")
        for i in range(300)
    ]
    client.force_login(facilitator())
    with django_assert_max_num_queries(30):
        page = client.get(reverse("consensus:study-create"))
    body = page.content.decode()
    assert 'id="panel-filter"' in body and 'type="search"' in body
    existing = get_user_model().objects.filter(groups__name="Panélistes").count()
    assert body.count('name="panel_users"') == existing
    chosen = [str(u.pk) for u in users[:250]]
    new_address = "nouvelle.paneliste@chu.example"
    response = client.post(
        reverse("consensus:study-create"),
        _data(
            panel_users=chosen,
            **{f"panel_{users[0].pk}": "student"},
            panel_import=(
                f"pan299 ; Patient partenaire\n{users[298].email}\n{new_address};Enseignant\n"
            ),
        ),
    )
    assert response.status_code == 302, re.findall(
        r"class=\"error[^>]*>([^<]*)", response.content.decode()
    )
    study = Study.objects.get(title="Panel large")
    assert study.panelists.count() == 253
    assert study.panelists.get(user=users[0]).category == "student"
    assert study.panelists.get(user=users[1]).category == "teacher"  # the default
    assert study.panelists.get(user=users[299]).category == "partner_patient"
    new = get_user_model().objects.get(email=new_address)
    assert not new.has_usable_password() and new.groups.filter(name="Panélistes").exists()


def test_an_import_with_unknown_names_keeps_what_was_typed(client):
    client.force_login(facilitator())
    typed = "inconnu\npas-une-adresse@\nquelqu.un@chu.example ; Astronaute"
    response = client.post(reverse("consensus:study-create"), _data(panel_import=typed))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ligne 1" in body and "Ligne 3" in body
    assert "quelqu.un@chu.example ; Astronaute" in body
    assert not Study.objects.exists()
