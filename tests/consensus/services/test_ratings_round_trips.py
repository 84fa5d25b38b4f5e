"""A ballot costs few database round trips: on the path of a round's last minutes, where a
burst of panelists submit together, each round trip is paid by every ballot."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consensus.exceptions import BallotAlreadySubmitted, RoundNotOpen
from consensus.models import Ballot, Rating
from consensus.services.ratings import Answer, ballot_save
from consensus.services.rounds import round_close, round_open
from tests.factories.consensus import study_with_panel

# Outside a test transaction, as a request runs (no savepoints in the count).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def opened(seeded):
    study = study_with_panel(n_items=3, n_panelists=2)
    delphi_round = round_open(user=study.created_by, study=study)
    items = list(delphi_round.round_items.order_by("item__position"))
    panelist = study.panelists.select_related("user").order_by("pk").first()
    return study, delphi_round, panelist, items


def _save(delphi_round, panelist, items, score, *, submit):
    return ballot_save(
        user=panelist.user,
        delphi_round=delphi_round,
        answers={ri.pk: Answer(score, f"note {score}") for ri in items},
        submit=submit,
        panelist=panelist,
        round_item_ids=[ri.pk for ri in items],
    )


def test_a_complete_ballot_is_submitted_in_one_statement(opened):
    _study, delphi_round, panelist, items = opened
    with CaptureQueriesContext(connection) as queries:
        ballot = _save(delphi_round, panelist, items, 7, submit=True)
    assert len(queries) == 1, [q["sql"] for q in queries]
    stored = Ballot.objects.get(round=delphi_round, panelist=panelist)
    assert stored.pk == ballot.pk and stored.submitted_at is not None
    assert sorted(Rating.objects.values_list("round_item", "score", "comment")) == [
        (ri.pk, 7, "note 7") for ri in items
    ]


def test_a_submitted_ballot_refuses_a_later_save_and_keeps_its_ratings(opened):
    _study, delphi_round, panelist, items = opened
    _save(delphi_round, panelist, items, 7, submit=True)
    for submit in (False, True):
        with pytest.raises(BallotAlreadySubmitted):
            _save(delphi_round, panelist, items, 2, submit=submit)
    assert set(Rating.objects.values_list("score", flat=True)) == {7}
    assert Ballot.objects.get().submitted_at is not None


def test_a_save_then_a_submit_update_the_same_rows(opened):
    _study, delphi_round, panelist, items = opened
    saved = _save(delphi_round, panelist, items[:2], 3, submit=False)
    assert saved.submitted_at is None
    submitted = _save(delphi_round, panelist, items, 8, submit=True)
    assert submitted.pk == saved.pk
    assert Rating.objects.count() == 3
    assert set(Rating.objects.values_list("score", flat=True)) == {8}


def test_a_closed_round_refuses_a_complete_ballot_and_stores_nothing(opened):
    study, delphi_round, panelist, items = opened
    round_close(user=study.created_by, delphi_round=delphi_round)
    with pytest.raises(RoundNotOpen):
        _save(delphi_round, panelist, items, 7, submit=True)
    assert not Rating.objects.exists() and not Ballot.objects.exists()


def test_a_ballot_post_reads_the_round_and_the_seat_in_one_query(opened, client):
    _study, delphi_round, panelist, items = opened
    client.force_login(panelist.user)
    url = reverse("consensus:ballot", args=[delphi_round.pk])
    data = {f"score-{ri.pk}": "6" for ri in items} | {"submit": "", "confirmed": ""}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    assert response.status_code == 302
    # The user, the round with its study and the seat, the round's items, the ballot.
    assert len(queries) == 4, [q["sql"] for q in queries]
    assert Ballot.objects.get().submitted_at is not None
    assert "Merci : votre questionnaire a été soumis." in client.get(url).content.decode()


def test_a_ballot_post_by_someone_without_a_seat_is_forbidden(opened, client):
    study, delphi_round, _panelist, items = opened
    client.force_login(study.created_by)
    data = {f"score-{ri.pk}": "6" for ri in items} | {"submit": "", "confirmed": ""}
    response = client.post(reverse("consensus:ballot", args=[delphi_round.pk]), data)
    assert response.status_code == 403
    assert not Rating.objects.exists()
    assert client.post(reverse("consensus:ballot", args=[987654]), data).status_code == 404
