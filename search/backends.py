"""The Elasticsearch connection, shared by indexing, queries and the health probe."""

from functools import cache

from django.conf import settings
from elasticsearch import Elasticsearch


@cache
def client() -> Elasticsearch:
    return Elasticsearch(
        settings.ELASTICSEARCH_URL,
        request_timeout=settings.SEARCH_TIMEOUT,
        retry_on_timeout=False,
        max_retries=0,
    )


def index_name(base: str) -> str:
    """Indices carry the configured prefix, so test runs and sites never collide."""
    return f"{settings.SEARCH_INDEX_PREFIX}-{base}"


def elasticsearch_available() -> bool:
    if not settings.ELASTICSEARCH_URL:
        return False
    try:
        health = client().cluster.health(request_timeout=settings.SEARCH_TIMEOUT)
    except Exception:
        return False
    return health.get("status") in {"green", "yellow"}
