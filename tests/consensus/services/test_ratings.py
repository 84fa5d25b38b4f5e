import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from consensus.exceptions import (
    BallotAlreadySubmitted,
    BallotIncomplete,
    RoundNotOpen,
    ScoreOutOfScale,
)
from consensus.models import Ballot, Rating
from consensus.services.ratings import Answer, ballot_save, ballot_submit, rating_save
from consensus.services.rounds import round_close, round_open
from tests.factories.consensus import panelist_user, study_with_panel

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened():
    study = study_with_panel(n_items=2, n_panelists=2)
    delphi_round = round_open(user=study.created_by, study=study)
    panelist = study.panelists.first()
    items = list(delphi_round.round_items.order_by("item__position"))
    return study, delphi_round, panelist.user, items


def test_partial_save_then_submit(opened):
    _study, delphi_round, user, items = opened
    rating_save(user=user, round_item=items[0], score=8, comment=" clair ")
    rating_save(user=user, round_item=items[0], score=7)  # updated, not duplicated
    assert Rating.objects.get().score == 7
    with pytest.raises(BallotIncomplete):
        ballot_submit(user=user, delphi_round=delphi_round, answers={})
    ballot = ballot_submit(
        user=user, delphi_round=delphi_round, answers={items[1].pk: Answer(2, "non")}
    )
    assert ballot.submitted_at is not None
    assert Rating.objects.count() == 2
    with pytest.raises(BallotAlreadySubmitted):
        ballot_submit(user=user, delphi_round=delphi_round, answers={items[1].pk: Answer(3)})
    assert Rating.objects.get(round_item=items[1]).score == 2


def test_out_of_scale_stores_nothing(opened):
    _study, delphi_round, user, items = opened
    with pytest.raises(ScoreOutOfScale) as error:
        ballot_save(
            user=user,
            delphi_round=delphi_round,
            answers={items[0].pk: Answer(5), items[1].pk: Answer(10)},
        )
    assert "entre 1 et 9" in str(error.value)
    assert not Rating.objects.exists()


def test_rating_after_close_is_refused_and_nothing_stored(opened):
    study, delphi_round, user, items = opened
    round_close(user=study.created_by, delphi_round=delphi_round)
    with pytest.raises(RoundNotOpen) as error:
        rating_save(user=user, round_item=items[0], score=5)
    assert "clos" in str(error.value)
    assert not Rating.objects.exists() and not Ballot.objects.exists()


def test_outsiders_cannot_rate(opened):
    _study, _round, _user, items = opened
    with pytest.raises(PermissionDenied):
        rating_save(user=panelist_user(), round_item=items[0], score=5)


def test_one_rating_per_panelist_and_item_is_a_database_constraint(opened):
    study, _round, _user, items = opened
    panelist = study.panelists.first()
    Rating.objects.create(round_item=items[0], panelist=panelist, score=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(round_item=items[0], panelist=panelist, score=6)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(round_item=items[1], panelist=panelist, score=101)
