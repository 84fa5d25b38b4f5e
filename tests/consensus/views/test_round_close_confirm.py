import pytest
from django.urls import reverse

from consensus.models import Round
from consensus.services.rounds import round_open
from tests.factories.consensus import study_with_panel

pytestmark = pytest.mark.django_db


def test_closing_a_round_asks_for_confirmation(client):
    study = study_with_panel(n_items=1, n_panelists=4)
    delphi_round = round_open(user=study.created_by, study=study)
    client.force_login(study.created_by)
    detail = client.get(reverse("consensus:study-detail", args=[study.pk])).content.decode()
    url = reverse("consensus:round-close", args=[delphi_round.pk])
    assert f'href="{url}"' in detail  # a link to the confirmation, not a one-click close
    confirm = client.get(url)
    assert confirm.status_code == 200
    body = confirm.content.decode()
    assert "Clore le tour 1 ?" in body and "0 panéliste sur 4 a soumis" in body
    delphi_round.refresh_from_db()
    assert delphi_round.status == Round.Status.OPEN
    client.post(url)
    delphi_round.refresh_from_db()
    assert delphi_round.status == Round.Status.CLOSED
