"""An Elasticsearch brownout (a node that accepts connections and never answers) never makes
an edit wait: the request pays one short probe timeout, then the breaker skips the node; the
outbox indexes the change, in our index and in Wagtail's admin index, once a node answers."""

from __future__ import annotations

import copy
import time

import pytest
from django.contrib.auth import get_user_model
from wagtail.search.backends import get_search_backend

from search import connection
from search.indexing import index_drop_all, index_rebuild, pending_flush
from search.models import PendingIndexing
from tests.faults.conftest import public_urls
from tests.search.helpers import indexed, publish, refresh
from wiki.models import CompetencyPage
from wiki.services.editing import page_edit

pytestmark = pytest.mark.django_db(transaction=True)


def point_search_at(settings, url: str) -> None:
    """Both clients on `url`: ours (search.connection.client, cached) and Wagtail's."""
    settings.ELASTICSEARCH_URL = url
    wagtail = copy.deepcopy(settings.WAGTAILSEARCH_BACKENDS)
    wagtail["default"]["URLS"] = [url]
    settings.WAGTAILSEARCH_BACKENDS = wagtail
    connection.client.cache_clear()


@pytest.fixture
def own_indices(seeded, elasticsearch, settings):
    """This test's own indices (prefix), filled from the seeded database on the real node."""
    real = settings.ELASTICSEARCH_URL
    settings.SEARCH_INDEX_PREFIX = f"{settings.SEARCH_INDEX_PREFIX}faults"
    wagtail = copy.deepcopy(settings.WAGTAILSEARCH_BACKENDS)
    wagtail["default"]["INDEX_PREFIX"] = f"{settings.SEARCH_INDEX_PREFIX}_wagtail_"
    settings.WAGTAILSEARCH_BACKENDS = wagtail
    connection.breaker.reset()
    index_rebuild()
    admin_index = get_search_backend().get_index_for_model(CompetencyPage)
    admin_index.reset()
    admin_index.add_model(CompetencyPage)
    yield real
    point_search_at(settings, real)
    connection.breaker.reset()
    index_drop_all()
    admin_index.delete()


def test_edits_do_not_wait_for_a_hanging_elasticsearch(
    client, own_indices, settings, hanging_elasticsearch
):
    admin = get_user_model().objects.get(username="admin")
    edited = CompetencyPage.objects.get(code="SOCLE-D4-C04")
    published = CompetencyPage.objects.get(code="SOCLE-D3-C01")
    point_search_at(settings, hanging_elasticsearch.url)

    durations = []
    for n in range(3):  # a wiki edit (published at once: the admin may publish)
        page = CompetencyPage.objects.get(pk=edited.pk)
        started = time.monotonic()
        page_edit(
            page=page,
            user=admin,
            data={"title": f"Chercher de l'information probante avec Zotéro {n}"},
            base_revision_id=page.latest_revision_id,
        )
        durations.append(time.monotonic() - started)
    started = time.monotonic()  # Wagtail's publish action (what the admin's « Publier » runs)
    publish(published, title="Comprendre les données de santé massives (brownout)")
    durations.append(time.monotonic() - started)

    assert durations[0] < 1.5, durations  # one probe timeout (0.5 s) at most
    assert max(durations[1:]) < 0.5, durations  # then the breaker: the node is not asked
    assert hanging_elasticsearch.accepted, "the edits did try the node"
    queued = set(PendingIndexing.objects.values_list("key", flat=True))
    assert {
        f"page:{edited.pk}",
        f"admin:wiki.competencypage:{edited.pk}",
        f"page:{published.pk}",
        f"admin:wiki.competencypage:{published.pk}",
    } <= queued
    for url in public_urls():  # the public keeps reading (search from the database)
        assert client.get(url).status_code == 200, url

    # A node answers again: the first search that reaches it, or `manage.py search_pending`,
    # indexes what was queued (pending_flush), in our index and in Wagtail's admin index.
    point_search_at(settings, own_indices)
    connection.breaker.reset()
    assert pending_flush() >= 4
    assert not PendingIndexing.objects.exists()
    refresh()
    assert indexed(f"page-{edited.pk}")["title"].endswith("avec Zotéro 2")
    assert indexed(f"page-{published.pk}")["title"].endswith("(brownout)")
    backend = get_search_backend()
    backend.get_index_for_model(CompetencyPage).refresh()
    found = [page.pk for page in backend.search("Zotéro", CompetencyPage.objects.all())]
    assert edited.pk in found
    found = [page.pk for page in backend.search("brownout", CompetencyPage.objects.all())]
    assert published.pk in found
