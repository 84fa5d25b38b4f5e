"""Elasticsearch goes down for real: stop the node, edit, start it, check the index.

One stop/start cycle of this clone's own node: the one services/up.sh started and recorded in
.services/elasticsearch/pid (services/lib.sh, `ES_PIDFILE`). A node that another clone
started (up.sh reuses a node already on the port) is never stopped: the test fails and says
so. services/down.sh would stop every service, so the node alone is stopped the way down.sh
does it (TERM, then wait for the process to end) and started again by `up.sh elasticsearch`,
on the same data. Every wait is on a condition (process gone, breaker closed, queue empty),
with a deadline."""

import os
import signal
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
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


def own_node() -> int:
    """The pid of the node this clone's services/up.sh started, if it serves the tests."""
    pid = int(PIDFILE.read_text().split()[0]) if PIDFILE.exists() else None
    if pid is None or not _is_node(pid):
        pytest.fail(
            f"No Elasticsearch node of this clone ({PIDFILE} names none): the outage test "
            "stops only its own node, never another clone's. Run it where services/up.sh "
            "started the node (CI, or `make services` in a clone with no other node running)."
        )
    serving = _listening_pid(urlsplit(settings.ELASTICSEARCH_URL).port or 9200)
    if serving != pid:
        pytest.fail(f"This clone's node (pid {pid}) does not serve {settings.ELASTICSEARCH_URL}.")
    return pid


def _until(condition, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {seconds:.0f} s")
        time.sleep(0.2)


def node_stop(pid: int) -> None:
    os.kill(pid, signal.SIGTERM)
    _until(lambda: not Path(f"/proc/{pid}").exists(), "Elasticsearch stopping")


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
    # The socle has an edition: the public reads its wording, so pages edited now are looked for
    # by a reader of drafts (the patroller), who finds the pages as they are today.
    client.force_login(get_user_model().objects.get(username="patrouilleur"))
    edited = CompetencyPage.objects.get(code="SOCLE-D4-C04")
    removed = CompetencyPage.objects.get(code="SOCLE-D3-C01")
    tools = DomainPage.objects.get(code="D4", slug="outils-numeriques")

    node_stop(own_node())
    try:
        assert client.get("/healthz").json()["search"] == "down"

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
        # The first edit found the node gone and tripped the breaker: edits go to the outbox
        # and do not ask the node again while it is open.
        assert connection.breaker.tripped
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
    _until(connection.breaker.allow, "the breaker letting searches try the node again")

    def caught_up() -> bool:
        data = client.get("/api/search/", {"q": "zotero"}).json()
        return data["backend"] == "elasticsearch" and not PendingIndexing.objects.exists()

    _until(caught_up, "the queue indexed once the node answers")
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
