import pytest
from django.core.exceptions import PermissionDenied

from consensus.exceptions import InvalidProtocol, ProtocolFrozen, RewordNotAllowed
from consensus.models import Panelist
from consensus.services.rounds import round_close, round_open
from consensus.services.studies import (
    item_reword,
    panelist_add,
    study_create,
    study_protocol_update,
)
from tests.factories.consensus import facilitator, panelist_user, study_with_panel
from wiki.models import CompetencyPage, ReferentielPage

pytestmark = pytest.mark.django_db


def test_study_from_referentiel_ties_items_to_latest_revisions():
    user = facilitator()
    referentiel = ReferentielPage.objects.get(slug="radiologie-3e-cycle")
    panel = [(panelist_user(), Panelist.Category.STUDENT)]
    study = study_create(
        user=user, title="Radiologie", referentiel=referentiel, panel=panel, scale_max=5
    )
    items = list(study.items.order_by("position"))
    assert len(items) == 8 and all(i.code.startswith("RAD-") for i in items)
    version = items[0].current_version()
    page = CompetencyPage.objects.get(code=items[0].code)
    assert version.revision_id == page.latest_revision_id
    assert version.text == page.title
    assert study.scale_values == [1, 2, 3, 4, 5]
    assert study.panelists.get().category == "student"


def test_only_facilitators_create_studies():
    with pytest.raises(PermissionDenied):
        study_create(user=panelist_user(), title="x")


def test_invalid_protocol_is_refused_with_a_message():
    with pytest.raises(InvalidProtocol):
        study_create(user=facilitator(), title="x", agree_from=3, disagree_to=7)
    with pytest.raises(InvalidProtocol):
        study_create(user=facilitator(), title="x", threshold=1.5)


def test_protocol_frozen_when_round_one_opens():
    study = study_with_panel()
    user = study.created_by
    study_protocol_update(user=user, study=study, threshold=0.8)
    round_open(user=user, study=study)
    study.refresh_from_db()
    assert study.is_frozen and study.threshold == 0.8
    with pytest.raises(ProtocolFrozen) as error:
        study_protocol_update(user=user, study=study, threshold=0.6)
    assert "gelé" in str(error.value)
    with pytest.raises(ProtocolFrozen):
        panelist_add(user=user, study=study, panel_user=panelist_user(), category="teacher")
    study.refresh_from_db()
    assert study.threshold == 0.8


def test_reword_between_rounds_makes_a_new_version():
    study = study_with_panel(n_items=1)
    user = study.created_by
    item = study.items.get()
    first = round_open(user=user, study=study)
    with pytest.raises(RewordNotAllowed):
        item_reword(user=user, item=item, text="Nouveau libellé")
    round_close(user=user, delphi_round=first)
    version = item_reword(user=user, item=item, text="Nouveau libellé")
    assert version.number == 2
    second = round_open(user=user, study=study)
    assert first.round_items.get().version.number == 1
    assert second.round_items.get().version_id == version.pk
