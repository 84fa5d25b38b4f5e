import pytest
from django.core.exceptions import PermissionDenied

from consensus.exceptions import ConsensusError
from consensus.services.decisions import decision_record
from tests.factories.consensus import committee_member, facilitator, study_with_panel

pytestmark = pytest.mark.django_db


def test_decisions_are_audited():
    study = study_with_panel(n_items=1)
    item = study.items.get()
    member = committee_member()
    decision_record(user=member, item=item, decision="keep", rationale="Consensus net.")
    decision = decision_record(
        user=member, item=item, decision="reword", rationale="Ambigu.", wording="Nouveau"
    )
    history = list(decision.history.order_by("history_date"))
    assert [h.decision for h in history] == ["keep", "reword"]
    assert history[-1].history_user == member
    with pytest.raises(ConsensusError):
        decision_record(user=member, item=item, decision="keep", rationale=" ")
    with pytest.raises(PermissionDenied):
        decision_record(user=facilitator(), item=item, decision="keep", rationale="x")
