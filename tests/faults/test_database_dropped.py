"""The PostgreSQL connection serving a ballot is terminated in the middle of its transaction:
the panelist is told, in French, to retry; nothing was stored; the retry stores the ballot
exactly once."""

from __future__ import annotations

import re
import time

import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from consensus.models import Ballot, Rating
from consensus.services.rounds import round_open
from tests.factories.consensus import study_with_panel

pytestmark = pytest.mark.django_db(transaction=True)


def _terminate(pid: int) -> None:
    """pg_terminate_backend from a connection of our own, and wait until the backend is gone."""
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"],
        port=db["PORT"],
        user=db["USER"],
        password=db["PASSWORD"],
        dbname=db["NAME"],
        autocommit=True,
    ) as killer:
        killer.execute("SELECT pg_terminate_backend(%s)", [pid])
        deadline = time.monotonic() + 5
        while killer.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
            assert time.monotonic() < deadline, "the backend did not stop"
            time.sleep(0.01)


class BackendTerminatedAt:
    """A database execute wrapper: just before the first statement that writes into `table`,
    the server-side backend of this very connection is terminated."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.fired = False

    def __call__(self, execute, sql, params, many, context):
        # An INSERT, or a statement with one in a WITH clause (the ballot's single statement).
        if not self.fired and re.search(rf'INSERT INTO "?{self.table}"?\b', sql):
            self.fired = True
            _terminate(context["connection"].connection.info.backend_pid)
        return execute(sql, params, many, context)


@pytest.fixture
def open_round(seeded):
    study = study_with_panel(n_items=3, n_panelists=1)
    return round_open(user=study.created_by, study=study)


@pytest.mark.parametrize("table", ["consensus_rating", "consensus_ballot"])
def test_a_ballot_cut_by_a_dropped_connection_is_retried_and_stored_once(client, open_round, table):
    panelist = open_round.study.panelists.get()
    items = list(open_round.round_items.order_by("pk"))
    client.force_login(panelist.user)
    url = reverse("consensus:ballot", args=[open_round.pk])
    data = {f"score-{item.pk}": str(6 + n) for n, item in enumerate(items)}
    data |= {f"comment-{items[0].pk}": "mon commentaire", "submit": "", "confirmed": "1"}

    dropped = BackendTerminatedAt(table)
    with connection.execute_wrapper(dropped):
        response = client.post(url, data)
    assert dropped.fired
    assert response.status_code == 503
    body = response.content.decode()
    assert "Réessayez" in body and "n’a pas été enregistré" in body
    assert "mon commentaire" in body  # what the panelist typed is still in the form
    # Nothing half-stored: the ratings written before the cut were rolled back with it.
    assert not Rating.objects.filter(panelist=panelist).exists()
    assert not Ballot.objects.filter(panelist=panelist).exists()

    retry = client.post(url, data)
    assert retry.status_code == 302
    again = client.post(url, data)  # a second retry (double click) changes nothing
    assert again.status_code == 400

    ballot = Ballot.objects.get(panelist=panelist, round=open_round)
    assert ballot.submitted_at is not None
    ratings = Rating.objects.filter(panelist=panelist).order_by("round_item_id")
    assert [(r.round_item_id, r.score) for r in ratings] == [
        (item.pk, 6 + n) for n, item in enumerate(items)
    ]
