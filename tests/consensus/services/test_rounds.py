import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from consensus.exceptions import RoundStateError
from consensus.models import Round
from consensus.services.rounds import round_close, round_open
from tests.factories.consensus import panelist_user, study_with_panel

pytestmark = pytest.mark.django_db


def test_open_close_and_max_rounds():
    study = study_with_panel(rounds_planned=1, max_rounds=2)
    user = study.created_by
    first = round_open(user=user, study=study)
    assert first.number == 1 and first.round_items.count() == 3
    with pytest.raises(RoundStateError):
        round_open(user=user, study=study)
    round_close(user=user, delphi_round=first)
    with pytest.raises(RoundStateError):
        round_close(user=user, delphi_round=first)
    second = round_open(user=user, study=study)
    round_close(user=user, delphi_round=second)
    with pytest.raises(RoundStateError) as error:
        round_open(user=user, study=study)
    assert "2" in str(error.value)


def test_one_open_round_per_study_is_a_database_constraint():
    study = study_with_panel()
    Round.objects.create(study=study, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Round.objects.create(study=study, number=2)


def test_panelists_cannot_open_rounds():
    study = study_with_panel()
    with pytest.raises(PermissionDenied):
        round_open(user=panelist_user(), study=study)
