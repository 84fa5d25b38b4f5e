"""Creating a study, freezing its protocol, opening and closing a round are recorded with who
and when (Wagtail log entries), and show in the admin's site history."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import ModelLogEntry

from consensus import audit
from consensus.services.rounds import round_close, round_open
from consensus.services.studies import study_create
from tests.factories.consensus import facilitator, panelist_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def study_run():
    """A study created, its round 1 opened (freezing the protocol), then closed."""
    animateur = facilitator()
    study = study_create(
        user=animateur,
        title="Étude auditée",
        items=[],
        panel=[(panelist_user(), "college_expert")],
    )
    study.items.create(code="I1", position=0).versions.create(number=1, text="Item")
    delphi_round = round_open(user=animateur, study=study)
    round_close(user=animateur, delphi_round=delphi_round)
    return animateur, study, delphi_round


def test_each_step_of_a_study_is_logged_with_who_and_when(study_run):
    animateur, study, delphi_round = study_run
    entries = list(ModelLogEntry.objects.order_by("timestamp", "pk"))
    steps = [(e.action, e.user_id, e.object_id) for e in entries]
    assert steps == [
        (audit.STUDY_CREATE, animateur.pk, str(study.pk)),
        (audit.PROTOCOL_FREEZE, animateur.pk, str(study.pk)),
        (audit.ROUND_OPEN, animateur.pk, str(delphi_round.pk)),
        (audit.ROUND_CLOSE, animateur.pk, str(delphi_round.pk)),
    ]
    assert all(e.timestamp for e in entries)
    assert entries[2].data == {"study_id": study.pk, "number": 1}


def test_the_second_round_does_not_freeze_the_protocol_again(study_run):
    animateur, study, _first = study_run
    round_open(user=animateur, study=study)
    actions = list(ModelLogEntry.objects.values_list("action", flat=True))
    assert actions.count(audit.PROTOCOL_FREEZE) == 1
    assert actions.count(audit.ROUND_OPEN) == 2


def test_the_admin_site_history_lists_the_delphi_steps(client, study_run):
    admin = get_user_model().objects.filter(is_superuser=True).first()
    client.force_login(admin)
    html = client.get("/admin/reports/site-history/", headers={"accept-language": "fr"})
    text = html.content.decode()
    assert html.status_code == 200
    for message in ("Étude Delphi créée", "Protocole de l’étude figé", "Tour Delphi ouvert"):
        assert message in text
    assert "Étude auditée" in text
