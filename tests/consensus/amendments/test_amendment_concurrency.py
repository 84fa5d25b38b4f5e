"""Two decisions racing on PostgreSQL: the amendment is decided once."""

import threading

import pytest
from django.db import connection

from consensus.models import Amendment
from consensus.services import amendments
from consensus.services.amendments import AmendmentRefused
from tests.consensus.amendments.helpers import propose, published_referentiel
from tests.factories.accounts import UserFactory


def _race(calls) -> list[Exception]:
    barrier = threading.Barrier(len(calls))
    errors: list[Exception] = []

    def run(call):
        try:
            barrier.wait()
            call()
        except AmendmentRefused as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_two_accepts_racing_decide_the_amendment_once(seeded):
    published = published_referentiel()
    amendment = propose(published, UserFactory())

    errors = _race(
        [
            lambda: amendments.amendment_decide(
                user=published.referent, amendment=amendment, accept=True
            ),
            lambda: amendments.amendment_decide(
                user=published.committee, amendment=amendment, accept=True
            ),
        ]
    )

    assert len(errors) == 1 and "déjà été tranché" in str(errors[0])
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.ACCEPTED
    assert amendment.decided_by in (published.referent, published.committee)
    # One decision in the audit trail: proposed, then accepted once.
    assert [h.status for h in amendment.history.order_by("history_date")] == [
        "proposed",
        "accepted",
    ]
