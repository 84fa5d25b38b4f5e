"""Two decisions racing on PostgreSQL: the amendment is decided once."""

import pytest

from consensus.models import Amendment
from consensus.services import amendments
from consensus.services.amendments import AmendmentRefused
from tests.consensus.amendments.helpers import propose, published_referentiel
from tests.factories.accounts import UserFactory
from tests.factories.races import race


@pytest.mark.django_db(transaction=True)
def test_two_accepts_racing_decide_the_amendment_once(seeded):
    published = published_referentiel()
    amendment = propose(published, UserFactory())

    errors = race(
        [
            lambda: amendments.amendment_decide(
                user=published.referent, amendment=amendment, accept=True
            ),
            lambda: amendments.amendment_decide(
                user=published.committee, amendment=amendment, accept=True
            ),
        ],
        AmendmentRefused,
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
