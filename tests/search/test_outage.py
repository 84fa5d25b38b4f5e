"""Elasticsearch goes down for real: stop the node, edit, start it, check the index.

One stop/start cycle of the node that serves ELASTICSEARCH_URL, started by services/up.sh:
this clone's (pidfile in .services/elasticsearch/), or the clone's whose node up.sh reused on
the port. services/down.sh would stop every service, so the node alone is stopped the way
down.sh does it (TERM, then wait) and started again by that clone's `up.sh elasticsearch`,
on the same data."""

import os
import signal
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from search import connection
from search.indexing import index_drop_all, index_rebuild
from search.models import PendingIndexing
from tests.search.helpers import indexed, publish, refresh
from wiki.models import CompetencyPage, DomainPage

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]

REPO = Path(settings.BASE_DIR)
PIDFILE = REPO / ".services" / "elasticsearch" / "pid"


def _is_node(pid: int) -> bool:
    cmdline = Path(f"/proc/{pid}/cmdline")
    return cmdline.exists() and b"org.elasticsearch" in cmdline.read_bytes()


def _listening_pid(port: int) -> int | None:
    """The process listening on 127.0.0.1:`port` (from /proc: no tool needed)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[1].endswith(f":{port:04X}") and fields[3] == "0A":  # LISTEN
                inodes.add(fields[9])
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        try:
            for fd in fd_dir.iterdir():
                if os.readlink(fd).removeprefix("socket:[").rstrip("]") in inodes:
                    return int(fd_dir.parent.name)
        except OSError:  # processes come and go
            continue
    return None


def serving_node() -> tuple[int, Path]:
    """The node's pid and the clone whose services/up.sh started it."""
    if PIDFILE.exists() and _is_node(pid := int(PIDFILE.read_text().split()[0])):
        return pid, REPO
    pid = _listening_pid(urlsplit(settings.ELASTICSEARCH_URL).port or 9200)
    if pid is None or not _is_node(pid):
        pytest.fail("No Elasticsearch node started by services/up.sh serves the tests.")
    # up.sh runs the node from <clone>/.services/elasticsearch/logs.
    clone = Path(os.readlink(f"/proc/{pid}/cwd")).parents[2]
    if not (clone / "services" / "up.sh").exists():
        pytest.fail(f"The node (pid {pid}) was not started by a clone's services/up.sh.")
    return pid, clone


def node_stop(pid: int) -> None:
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 60
    while Path(f"/proc/{pid}").exists():
        if time.monotonic() > deadline:
            pytest.fail("Elasticsearch did not stop within 60 s.")
        time.sleep(0.2)


def node_start(clone: Path) -> None:
    result = subprocess.run(
        ["bash", str(clone / "services" / "up.sh"), "elasticsearch"],
        cwd=clone,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        pytest.fail(f"services/up.sh elasticsearch failed:\n{result.stdout}\n{result.stderr}")


def admin_index():
    """Wagtail's own index of competency pages (the admin search), as `update_index` builds it."""
    return get_search_backend().get_index_for_model(CompetencyPage)


@pytest.fixture
def fresh_index(seeded, elasticsearch, settings):
    settings.SEARCH_RETRY_AFTER = 1
    connection.breaker.reset()
    index_rebuild()
    wagtail_index = admin_index()
    wagtail_index.reset()
    wagtail_index.add_model(CompetencyPage)
    wagtail_index.add_items(CompetencyPage, list(CompetencyPage.objects.all()))
    yield
    connection.breaker.reset()
    index_drop_all()


def test_search_and_editing_survive_an_elasticsearch_outage(client, fresh_index):
    edited = CompetencyPage.objects.get(code="SOCLE-D4-C04")
    removed = CompetencyPage.objects.get(code="SOCLE-D3-C01")
    tools = DomainPage.objects.get(code="D4", slug="outils-numeriques")

    pid, clone = serving_node()
    node_stop(pid)
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
        node_start(clone)

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
    # Wagtail's admin index caught up too (its own handlers only logged the failures).
    admin_index().refresh()
    found = get_search_backend().search("Zotéro", CompetencyPage.objects.all())
    assert edited.pk in [page.pk for page in found]
