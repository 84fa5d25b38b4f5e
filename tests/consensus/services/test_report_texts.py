import pytest
from django.core.exceptions import PermissionDenied

from consensus.exceptions import ProtocolFrozen
from consensus.services.report_texts import study_report_texts_update
from consensus.services.rounds import round_open
from tests.factories.consensus import committee_member, study_with_panel

pytestmark = pytest.mark.django_db


def test_protocol_texts_freeze_when_round_one_opens_closing_texts_do_not():
    study = study_with_panel(n_items=1, n_panelists=3)
    user = study.created_by
    study_report_texts_update(user=user, study=study, aim_background="But\r\n", piloting="Test")
    study.refresh_from_db()
    assert study.aim_background == "But"
    round_open(user=user, study=study)
    with pytest.raises(ProtocolFrozen):
        study_report_texts_update(user=user, study=study, aim_background="Autre but")
    # Resending the frozen text unchanged is not a change.
    study = study_report_texts_update(
        user=user,
        study=study,
        aim_background="But",
        limitations="Limites",
        funding_conflicts="Aucun",
    )
    study.refresh_from_db()
    assert (study.aim_background, study.limitations, study.funding_conflicts) == (
        "But", "Limites", "Aucun",
    )  # fmt: skip


def test_only_facilitators_write_the_report_texts():
    study = study_with_panel(n_items=1, n_panelists=3)
    with pytest.raises(PermissionDenied):
        study_report_texts_update(user=committee_member(), study=study, piloting="x")
