"""Fault injection against real servers: a private Redis that the tests stop and start, an
Elasticsearch "node" that accepts connections and never answers, a PostgreSQL backend
terminated in the middle of a request.

The shared services (Redis on 6379, Elasticsearch on 9200) are never touched: each fault is
made on a server of the test's own."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.test import override_settings

from wiki.models import CompetencyPage, ReferentielPage


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A throwaway redis-server on its own port, without persistence: stop() and start() it
    as often as a test needs; pause() freezes it (connections accepted, nothing answered)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def pause(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    redis = PrivateRedis()
    redis.start()
    yield redis
    if redis.process and redis.process.poll() is None:
        redis.resume()
    redis.stop()


def redis_settings(url: str, *, retry_after: float = 0.5) -> dict:
    """CACHES and CHANNEL_LAYERS as config/settings/base.py builds them for REDIS_URL=url."""
    caches = {"default": {**settings.CACHES["default"], "LOCATION": url}}
    options = caches["default"].get("OPTIONS", {})
    caches["default"]["OPTIONS"] = {**options, "retry_after": retry_after}
    layers = {}
    for alias, layer in settings.CHANNEL_LAYERS.items():
        host = layer["CONFIG"]["hosts"][0]
        host = {**host, "address": url} if isinstance(host, dict) else url
        layers[alias] = {**layer, "CONFIG": {**layer["CONFIG"], "hosts": [host]}}
    return {"CACHES": caches, "CHANNEL_LAYERS": layers}


@contextmanager
def redis_at(url: str, *, retry_after: float = 0.5) -> Iterator[None]:
    """Cache, sessions and channel layer on the Redis at `url` (changing CACHES and
    CHANNEL_LAYERS resets Django's and Channels' handlers)."""
    with override_settings(**redis_settings(url, retry_after=retry_after)):
        yield


def closed_port_url() -> str:
    """A Redis URL where nothing listens: a real refused connection."""
    return f"redis://127.0.0.1:{free_port()}/0"


class HangingServer:
    """Accepts TCP connections and never answers: an Elasticsearch node in a brownout."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.accepted: list[socket.socket] = []
        self._stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stopped.is_set():
            try:
                connection, _address = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted.append(connection)  # held open, never read, never answered

    def close(self) -> None:
        self._stopped.set()
        self.thread.join(timeout=2)
        for connection in self.accepted:
            connection.close()
        self.sock.close()


@pytest.fixture
def hanging_elasticsearch() -> Iterator[HangingServer]:
    server = HangingServer()
    yield server
    server.close()


def public_urls() -> list[str]:
    """Home, a référentiel, a competency, a search: what the public reads."""
    referentiel = ReferentielPage.objects.live().public().order_by("path").first()
    competency = CompetencyPage.objects.live().public().order_by("path").first()
    return ["/", referentiel.url, competency.url, "/recherche/?q=donn%C3%A9es"]


@contextmanager
def asgi_process(**env: str) -> Iterator[str]:
    """The real ASGI application in a daphne process on the test database, with `env` on top
    of the test settings' environment. Yields its base URL."""
    import sys
    import urllib.error
    import urllib.request

    from django.db import connection

    port = free_port()
    db = connection.settings_dict
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        **env,
    }
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    daphne = os.path.join(os.path.dirname(sys.executable), "daphne")
    process = subprocess.Popen(
        [daphne, "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=5)
            break
        except urllib.error.HTTPError:
            break  # it answers (a 503 is still an answer)
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("daphne did not start: " + process.stderr.read().decode()[-2000:])
            time.sleep(0.2)
    try:
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
