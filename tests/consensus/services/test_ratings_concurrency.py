"""Ballots submitted at the same moment, each in its own thread and database connection."""

import threading

import pytest
from django.db import connections

from consensus.exceptions import BallotAlreadySubmitted
from consensus.models import Ballot, Rating
from consensus.services.ratings import Answer, ballot_submit
from consensus.services.rounds import round_open
from tests.factories.consensus import study_with_panel

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(calls) -> list:
    """Run the callables in threads released together; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


@pytest.fixture
def opened(seeded):
    study = study_with_panel(n_items=4, n_panelists=12)
    delphi_round = round_open(user=study.created_by, study=study)
    items = list(delphi_round.round_items.order_by("item__position"))
    return delphi_round, list(study.panelists.select_related("user")), items


def test_a_double_submit_at_the_same_moment_is_stored_once(opened):
    delphi_round, panelists, items = opened
    user = panelists[0].user

    def submit(score):
        answers = {ri.pk: Answer(score) for ri in items}
        return lambda: ballot_submit(user=user, delphi_round=delphi_round, answers=answers)

    outcomes = run_together([submit(3), submit(8)])
    accepted = [o for o in outcomes if isinstance(o, Ballot)]
    refused = [o for o in outcomes if isinstance(o, BallotAlreadySubmitted)]
    assert (len(accepted), len(refused)) == (1, 1), outcomes
    assert Ballot.objects.filter(round=delphi_round, submitted_at__isnull=False).count() == 1
    # The ratings are those of the accepted ballot, all of them, none of the refused one.
    assert set(Rating.objects.values_list("score", flat=True)) in ({3}, {8})
    assert Rating.objects.count() == len(items)


def test_every_panelist_submitting_at_once_is_stored_exactly(opened):
    delphi_round, panelists, items = opened

    def submit(n, panelist):
        answers = {ri.pk: Answer(1 + (n + i) % 9) for i, ri in enumerate(items)}
        return lambda: ballot_submit(user=panelist.user, delphi_round=delphi_round, answers=answers)

    outcomes = run_together([submit(n, p) for n, p in enumerate(panelists)])
    assert all(isinstance(o, Ballot) for o in outcomes), outcomes
    assert Rating.objects.count() == len(panelists) * len(items)
    assert Ballot.objects.filter(submitted_at__isnull=False).count() == len(panelists)
    for n, panelist in enumerate(panelists):
        scores = list(
            Rating.objects.filter(panelist=panelist)
            .order_by("round_item__item__position")
            .values_list("score", flat=True)
        )
        assert scores == [1 + (n + i) % 9 for i in range(len(items))]
