"""Redis down is not the site down: pages, logins and ballots are served from the database,
live updates pause, /healthz says "degraded", and the cache comes back with Redis."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from consensus.models import Ballot, Rating
from consensus.services.rounds import round_open
from tests.factories.accounts import PASSWORD
from tests.factories.consensus import study_with_panel
from tests.faults.conftest import asgi_process, closed_port_url, public_urls, redis_at

pytestmark = pytest.mark.django_db(transaction=True)


def assert_public_pages_served(client: Client) -> None:
    for url in public_urls():
        response = client.get(url)
        assert response.status_code == 200, url


def login(client: Client, user) -> None:
    response = client.post(
        reverse("wagtailadmin_login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:500]


def ballot_submitted(client: Client, delphi_round) -> None:
    url = reverse("consensus:ballot", args=[delphi_round.pk])
    assert client.get(url).status_code == 200
    data = {f"score-{item.pk}": "7" for item in delphi_round.round_items.all()}
    response = client.post(url, {**data, "submit": "", "confirmed": "1"})
    assert response.status_code == 302, response.content.decode()[:2000]


def breaker_open_window_over(seconds: float = 10) -> None:
    """Wait until the cache's breaker lets the next call try Redis again (not a fixed sleep)."""
    deadline = time.monotonic() + seconds
    while not cache.breaker.allow():
        assert time.monotonic() < deadline, "the cache's breaker stayed open"
        time.sleep(0.02)


def assert_stored_once(delphi_round, panelist) -> None:
    ballots = Ballot.objects.filter(round=delphi_round, panelist=panelist)
    assert ballots.count() == 1 and ballots.get().submitted_at is not None
    ratings = Rating.objects.filter(round_item__round=delphi_round, panelist=panelist)
    assert sorted(ratings.values_list("round_item_id", flat=True)) == sorted(
        delphi_round.round_items.values_list("pk", flat=True)
    )


@pytest.fixture
def open_round(seeded):
    study = study_with_panel(n_items=3, n_panelists=2)
    return round_open(user=study.created_by, study=study)


def test_with_redis_refusing_connections_the_site_serves_from_the_database(client, open_round):
    panelist = open_round.study.panelists.order_by("pk").first()
    with redis_at(closed_port_url()):
        assert_public_pages_served(client)
        health = client.get("/healthz")
        assert health.status_code == 200
        assert health.json() == {
            "status": "degraded",
            "database": "ok",
            "cache": "down",
            "channel_layer": "down",
            "search": "ok",
        }
        login(client, panelist.user)
        ballot_submitted(client, open_round)
        assert_public_pages_served(client)  # logged in now
    assert_stored_once(open_round, panelist)


def test_redis_stopped_and_restarted_during_the_visit(client, open_round, private_redis):
    first, second = open_round.study.panelists.order_by("pk")
    with redis_at(private_redis.url):
        login(client, first.user)
        assert client.get("/healthz").json()["status"] == "ok"
        assert_public_pages_served(client)

        private_redis.stop()
        assert_public_pages_served(client)
        health = client.get("/healthz")
        assert health.status_code == 200
        assert health.json()["status"] == "degraded"
        assert health.json()["cache"] == "down" and health.json()["channel_layer"] == "down"
        ballot_submitted(client, open_round)  # the session opened before, read from the database
        other = Client()
        login(other, second.user)  # a login during the outage
        ballot_submitted(other, open_round)

        private_redis.start()  # empty: no persistence
        breaker_open_window_over()
        assert client.get("/healthz").json()["status"] == "ok"
        cache.set("faults:probe", "back")
        assert cache.get("faults:probe") == "back"
        assert not cache.breaker.tripped
        assert_public_pages_served(client)
        assert client.get(reverse("consensus:ballot", args=[open_round.pk])).status_code == 200
    assert_stored_once(open_round, first)
    assert_stored_once(open_round, second)


def test_a_hanging_redis_costs_one_short_timeout_then_nothing(private_redis):
    with redis_at(private_redis.url, retry_after=1.0):
        cache.set("faults:session", "alive")
        private_redis.pause()  # accepts connections, answers nothing
        try:
            started = time.monotonic()
            cache.delete("faults:session")  # a logout during the outage: not applied
            first = time.monotonic() - started
            started = time.monotonic()
            for _ in range(100):
                assert cache.get("faults:anything") is None
            hundred = time.monotonic() - started
        finally:
            private_redis.resume()
        assert first < 1.0, first  # one socket timeout (0.5 s)
        assert hundred < 0.1, hundred  # the breaker is open: Redis is not asked
        breaker_open_window_over()
        # Redis kept the value it could not delete: the first call back deletes it.
        assert cache.get("faults:session") is None
        assert not cache.breaker.tripped


def test_an_asgi_server_with_redis_refusing_connections_serves_pages(seeded):
    urls = public_urls()
    with asgi_process(REDIS_URL=closed_port_url()) as base:
        for url in urls:
            with urllib.request.urlopen(base + url, timeout=30) as response:
                assert response.status == 200, url
        with urllib.request.urlopen(base + "/healthz", timeout=30) as response:
            health = json.load(response)
        assert response.status == 200
        assert health["status"] == "degraded" and health["cache"] == "down"
