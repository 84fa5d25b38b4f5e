"""Which search answers: Elasticsearch when it is configured and reachable, the database
otherwise. Also the shared client, the health probe and the outage circuit breaker."""

from __future__ import annotations

import logging
import threading
import time
from functools import cache

from django.conf import settings
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout
from elasticsearch import ApiError, Elasticsearch

from search.results import SearchRequest, SearchResponse, Suggestion
from search.visibility import Visibility

logger = logging.getLogger(__name__)

# The node is unreachable (as opposed to refusing one request).
UNREACHABLE = (TransportConnectionError, ConnectionTimeout)


@cache
def client() -> Elasticsearch:
    return Elasticsearch(
        settings.ELASTICSEARCH_URL,
        request_timeout=settings.SEARCH_TIMEOUT,
        retry_on_timeout=False,
        max_retries=0,
        # Twenty concurrent searches per process must not queue for a connection.
        connections_per_node=32,
    )


def index_name(base: str) -> str:
    """Indices carry the configured prefix, so test runs and sites never collide."""
    return f"{settings.SEARCH_INDEX_PREFIX}-{base}"


def elasticsearch_available() -> bool:
    if not settings.ELASTICSEARCH_URL:
        return False
    try:
        health = client().options(request_timeout=settings.SEARCH_TIMEOUT).cluster.health()
    except Exception:
        return False
    return health.get("status") in {"green", "yellow"}


class Breaker:
    """After a failure, stop asking the node for SEARCH_RETRY_AFTER seconds: during an outage
    searches go straight to the database and edits straight to the outbox, with no timeout."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open_until = 0.0
        self._tripped = False

    def allow(self) -> bool:
        return time.monotonic() >= self._open_until

    def failure(self) -> None:
        with self._lock:
            self._open_until = time.monotonic() + settings.SEARCH_RETRY_AFTER
            self._tripped = True

    def success(self) -> bool:
        """Record a success; True when it ends an outage (queued changes then need indexing)."""
        if not self._tripped:
            return False
        with self._lock:
            recovered, self._tripped, self._open_until = self._tripped, False, 0.0
        return recovered

    def reset(self) -> None:
        with self._lock:
            self._open_until, self._tripped = 0.0, False


breaker = Breaker()


def _elasticsearch_usable() -> bool:
    return bool(settings.ELASTICSEARCH_URL) and breaker.allow()


def _after_success() -> None:
    if breaker.success():
        from search.indexing import pending_flush_in_background

        pending_flush_in_background()


def _failed(error: Exception) -> None:
    if isinstance(error, UNREACHABLE):
        breaker.failure()
        logger.warning("Elasticsearch unreachable, searching the database: %s", error)
    else:
        logger.exception("Elasticsearch refused a search, searching the database")


def search(request: SearchRequest, visibility: Visibility) -> SearchResponse:
    """The public search: Elasticsearch, or the database when the node cannot answer."""
    if _elasticsearch_usable():
        from search.queries import pages_search

        try:
            response = pages_search(request, visibility)
        except (ApiError, *UNREACHABLE) as error:
            _failed(error)
        else:
            _after_success()
            return response
    from search.fallback import pages_search as database_search

    response = database_search(request, visibility)
    response.degraded = bool(settings.ELASTICSEARCH_URL)
    return response


def autocomplete(text: str, visibility: Visibility, size: int = 8) -> list[Suggestion]:
    if _elasticsearch_usable():
        from search.queries import pages_autocomplete

        try:
            suggestions = pages_autocomplete(text, visibility, size=size)
        except (ApiError, *UNREACHABLE) as error:
            _failed(error)
        else:
            _after_success()
            return suggestions
    from search.fallback import pages_autocomplete as database_autocomplete

    return database_autocomplete(text, visibility, size=size)
