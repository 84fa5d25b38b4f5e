"""The Elasticsearch connection: the shared client, the names of the aliases, the health
probe and the outage circuit breaker. A leaf: it imports nothing else from `search`."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout
from elasticsearch import Elasticsearch

from config.breaker import CircuitBreaker

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


def alias_name() -> str:
    """The alias every search and every write goes through (see search.indexing)."""
    return f"{settings.SEARCH_INDEX_PREFIX}-pages"


def building_alias_name() -> str:
    # Deliberately outside the `p-pages-*` pattern: it is an alias, never an index.
    return f"{settings.SEARCH_INDEX_PREFIX}-building-pages"


def elasticsearch_available() -> bool:
    if not settings.ELASTICSEARCH_URL:
        return False
    try:
        health = client().options(request_timeout=settings.SEARCH_TIMEOUT).cluster.health()
    except Exception:
        return False
    return health.get("status") in {"green", "yellow"}


# During an outage searches go straight to the database and edits straight to the outbox,
# with no timeout, for SEARCH_RETRY_AFTER seconds.
breaker = CircuitBreaker(lambda: settings.SEARCH_RETRY_AFTER)


def elasticsearch_usable() -> bool:
    """Configured, and not given up on for now by the breaker."""
    return bool(settings.ELASTICSEARCH_URL) and breaker.allow()
