"""Elasticsearch goes down for real: stop the node, edit, start it, check the index.

One stop/start cycle of the node started by services/up.sh (its pidfile is in
.services/elasticsearch/; services/down.sh would stop every service, so the node alone is
stopped the same way down.sh does it: TERM, then wait)."""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from wagtail.models import Page

from search import backends
from search.indexing import index_drop_all, index_rebuild
from search.models import PendingIndexing
from tests.search.helpers import indexed, refresh
from wiki.models import CompetencyPage, DomainPage

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]

REPO = Path(settings.BASE_DIR)
PIDFILE = REPO / ".services" / "elasticsearch" / "pid"


def node_stop() -> None:
    if not PIDFILE.exists():
        pytest.fail(f"No pidfile at {PIDFILE}: start Elasticsearch with services/up.sh.")
    pid = int(PIDFILE.read_text().split()[0])
    cmdline = Path(f"/proc/{pid}/cmdline")
    if not cmdline.exists() or b"org.elasticsearch" not in cmdline.read_bytes():
        pytest.fail(f"{PIDFILE} does not name a running Elasticsearch node.")
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 60
    while Path(f"/proc/{pid}").exists():
        if time.monotonic() > deadline:
            pytest.fail("Elasticsearch did not stop within 60 s.")
        time.sleep(0.2)


def node_start() -> None:
    result = subprocess.run(
        ["bash", str(REPO / "services" / "up.sh"), "elasticsearch"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        pytest.fail(f"services/up.sh elasticsearch failed:\n{result.stdout}\n{result.stderr}")


def publish(page, **fields):
    page = page.specific_class.objects.get(pk=page.pk)
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


@pytest.fixture
def fresh_index(seeded, elasticsearch, settings):
    settings.SEARCH_RETRY_AFTER = 1
    backends.breaker.reset()
    index_rebuild()
    yield
    backends.breaker.reset()
    index_drop_all()


def test_search_and_editing_survive_an_elasticsearch_outage(client, fresh_index):
    edited = CompetencyPage.objects.get(code="SOCLE-D4-C04")
    removed = CompetencyPage.objects.get(code="SOCLE-D3-C01")
    tools = DomainPage.objects.get(code="D4", slug="outils-numeriques")

    node_stop()
    try:
        assert client.get("/healthz").json()["search"] == "down"

        started = time.monotonic()
        publish(edited, title="Chercher de l'information probante avec Zotéro")
        added = tools.add_child(
            instance=CompetencyPage(
                title="Évaluer un service de télésurveillance",
                slug="evaluer-un-service-de-telesurveillance",
                code="SOCLE-D4-C99",
            )
        )
        added.save_revision().publish()
        Page.objects.get(pk=removed.pk).delete()
        assert time.monotonic() - started < 15, "editing must not wait for the missing node"
        queued = set(PendingIndexing.objects.values_list("key", flat=True))
        assert {f"page:{edited.pk}", f"page:{added.pk}", f"page:{removed.pk}"} <= queued

        response = client.get("/recherche/", {"q": "zotero"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "moteur de recherche est indisponible" in html
        assert "avec Zotéro" in html  # found in the database
        data = client.get("/api/search/", {"q": "télésurveillance"}).json()
        assert data["backend"] == "database" and data["results"][0]["code"] == "SOCLE-D4-C99"
    finally:
        node_start()

    assert client.get("/healthz").json()["search"] == "ok"
    # The first search that reaches the node again indexes what was queued, in the background.
    time.sleep(settings.SEARCH_RETRY_AFTER)
    deadline = time.monotonic() + 60
    while True:
        data = client.get("/api/search/", {"q": "zotero"}).json()
        if data["backend"] == "elasticsearch" and not PendingIndexing.objects.exists():
            break
        if time.monotonic() > deadline:
            pytest.fail(f"queue not indexed: {list(PendingIndexing.objects.all())}, {data}")
        time.sleep(0.5)
    refresh()
    assert indexed(f"page-{edited.pk}")["title"].endswith("avec Zotéro")
    assert indexed(f"page-{added.pk}")["code"] == "SOCLE-D4-C99"
    assert indexed(f"page-{removed.pk}") is None
    data = client.get("/api/search/", {"q": "zotero"}).json()
    assert data["backend"] == "elasticsearch"
    assert data["results"][0]["title"].endswith("avec Zotéro")
