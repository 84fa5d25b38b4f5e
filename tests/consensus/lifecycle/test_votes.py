import pytest
from wagtail.models import TaskState, WorkflowState

from consensus.models import Body, LifecycleVote
from consensus.services import lifecycle
from consensus.services.lifecycle import Tally, VoteRefused
from tests.consensus.lifecycle.helpers import deans_seats, new_referentiel
from tests.factories.accounts import UserFactory
from tests.factories.races import race
from wiki.models import ReferentielPage

pytestmark = pytest.mark.django_db


def _at_deans_vote():
    seats = deans_seats()
    referentiel = new_referentiel(phase=4)
    state = lifecycle.lifecycle_state(referentiel)
    assert state.current_task_state.task.specific.body == Body.DEANS_CONFERENCES
    return referentiel, state.current_task_state, seats


def test_tally_waits_for_the_quorum_and_for_what_cannot_change():
    assert Tally(2, 0, 0, eligible=4, quorum=3, majority_percent=50).outcome is None
    assert Tally(3, 0, 0, eligible=4, quorum=3, majority_percent=50).outcome == "approve"
    assert Tally(2, 1, 0, eligible=4, quorum=3, majority_percent=50).outcome is None
    assert Tally(1, 2, 0, eligible=4, quorum=3, majority_percent=50).outcome == "reject"
    assert Tally(2, 2, 0, eligible=4, quorum=3, majority_percent=50).outcome == "reject"
    assert Tally(0, 0, 4, eligible=4, quorum=3, majority_percent=50).outcome == "reject"


def test_the_deans_validation_publishes_once_every_conference_approves():
    referentiel, task_state, seats = _at_deans_vote()
    for seat in seats[:3]:
        lifecycle.vote_cast(user=seat.holder, task_state=task_state, choice="approve")
    referentiel.refresh_from_db()
    assert referentiel.phase == 4 and referentiel.status == ReferentielPage.Status.IN_VALIDATION
    lifecycle.vote_cast(user=seats[3].holder, task_state=task_state, choice="approve", comment="OK")
    referentiel.refresh_from_db()
    assert referentiel.status == ReferentielPage.Status.VALIDATED
    assert referentiel.live
    assert lifecycle.lifecycle_state(referentiel).status == WorkflowState.STATUS_APPROVED


def test_a_rejection_sends_the_referentiel_back_with_the_reasons_then_it_is_voted_again():
    referentiel, task_state, seats = _at_deans_vote()
    lifecycle.vote_cast(
        user=seats[0].holder,
        task_state=task_state,
        choice="reject",
        comment="Les modalités d'évaluation manquent.",
    )
    lifecycle.vote_cast(
        user=seats[1].holder, task_state=task_state, choice="reject", comment="Trop long."
    )
    lifecycle.vote_cast(user=seats[2].holder, task_state=task_state, choice="approve")
    lifecycle.vote_cast(user=seats[3].holder, task_state=task_state, choice="abstain")
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_REJECTED
    assert "Les modalités d'évaluation manquent." in task_state.comment
    assert "Trop long." in task_state.comment
    referentiel.refresh_from_db()
    assert referentiel.status == ReferentielPage.Status.CHANGES_REQUESTED
    lifecycle.lifecycle_resume(user=_committee(), referentiel=referentiel)
    again = lifecycle.lifecycle_state(referentiel).current_task_state
    assert again.pk != task_state.pk and again.status == TaskState.STATUS_IN_PROGRESS
    lifecycle.vote_cast(user=seats[0].holder, task_state=again, choice="approve")


def _committee():
    from tests.factories.consensus import committee_member

    return committee_member()


def test_refused_votes_store_nothing_and_say_why():
    referentiel, task_state, seats = _at_deans_vote()
    with pytest.raises(VoteRefused, match="membres"):
        lifecycle.vote_cast(user=UserFactory(), task_state=task_state, choice="approve")
    with pytest.raises(VoteRefused, match="raisons"):
        lifecycle.vote_cast(user=seats[0].holder, task_state=task_state, choice="reject")
    lifecycle.vote_cast(user=seats[0].holder, task_state=task_state, choice="approve")
    with pytest.raises(VoteRefused, match="déjà voté"):
        lifecycle.vote_cast(
            user=seats[0].holder,
            task_state=task_state,
            choice="reject",
            comment="Changement d'avis",
        )
    assert LifecycleVote.objects.filter(task_state=task_state).count() == 1
    for seat in seats[1:]:
        lifecycle.vote_cast(user=seat.holder, task_state=task_state, choice="approve")
    with pytest.raises(VoteRefused, match="clos"):
        lifecycle.vote_cast(user=seats[1].holder, task_state=task_state, choice="approve")
    assert LifecycleVote.objects.filter(task_state=task_state).count() == 4


def test_a_vote_cannot_be_closed_by_hand_through_wagtail():
    _referentiel, task_state, _seats = _at_deans_vote()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        task_state.specific.approve(user=UserFactory(is_superuser=True))


def test_every_vote_is_audited():
    _referentiel, task_state, seats = _at_deans_vote()
    vote = lifecycle.vote_cast(
        user=seats[0].holder, task_state=task_state, choice="abstain", comment="Hors champ"
    )
    history = vote.history.get()
    assert (history.history_user, history.choice, history.comment) == (
        seats[0].holder,
        "abstain",
        "Hors champ",
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_are_each_counted_once(seeded):
    referentiel, task_state, seats = _at_deans_vote()
    errors = race(
        [
            (
                lambda s=seat: lifecycle.vote_cast(
                    user=s.holder, task_state=task_state, choice="approve"
                )
            )
            for seat in seats
        ]
        + [
            lambda: lifecycle.vote_cast(
                user=seats[0].holder, task_state=task_state, choice="approve"
            )
        ],
        VoteRefused,
    )
    assert len(errors) == 1
    assert LifecycleVote.objects.filter(task_state=task_state).count() == 4
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_APPROVED
    referentiel.refresh_from_db()
    assert referentiel.status == ReferentielPage.Status.VALIDATED
