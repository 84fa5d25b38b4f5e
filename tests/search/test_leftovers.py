"""A queued change that a failed flush left behind is indexed by a later commit."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from search import indexing
from search.models import PendingIndexing
from tests.search.helpers import indexed, refresh
from wiki.models import CompetencyPage

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fresh_index(seeded, elasticsearch):
    """Transactional tests run last, after others (the search journey) dropped the session's
    index: build one from this test's database, and again from what it leaves."""
    indexing.index_rebuild()
    yield
    indexing.index_rebuild()


def test_rows_left_by_a_failed_flush_are_retried_by_a_later_commit(fresh_index, monkeypatch):
    monkeypatch.setattr(indexing, "_leftovers_checked", 0.0)
    stale = CompetencyPage.objects.get(code="SOCLE-D1-C03")
    # Saved, queued, but never indexed (as if the flush after its commit had crashed).
    CompetencyPage.objects.filter(pk=stale.pk).update(title="Titre resté dans la file")
    PendingIndexing.objects.update_or_create(
        key=f"page:{stale.pk}",
        defaults={"version": 1, "queued_at": timezone.now() - timedelta(minutes=5)},
    )
    other = CompetencyPage.objects.get(code="SOCLE-D1-C01")
    other.title = f"{other.title} (relu)"
    other.save_revision().publish()  # any later commit

    deadline = time.monotonic() + 30
    while (
        PendingIndexing.objects.exists()
        or indexed(f"page-{stale.pk}")["title"] != "Titre resté dans la file"
    ):
        if time.monotonic() > deadline:
            left = list(PendingIndexing.objects.values_list("key", flat=True)[:10])
            pytest.fail(f"the left-over changes were not indexed: {left}")
        time.sleep(0.2)
        refresh()
