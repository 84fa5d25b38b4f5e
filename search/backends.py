"""Which search answers: Elasticsearch when it is configured and reachable, the database
otherwise. A dispatcher only: the connection and the breaker are `search.connection`."""

from __future__ import annotations

import logging

from django.conf import settings
from elasticsearch import ApiError

from search import fallback, queries
from search.connection import UNREACHABLE, breaker, elasticsearch_usable
from search.indexing import pending_flush_in_background
from search.results import SearchRequest, SearchResponse, Suggestion
from search.visibility import Visibility

logger = logging.getLogger(__name__)


def _after_success() -> None:
    if breaker.success():
        pending_flush_in_background()


def _failed(error: Exception) -> None:
    if isinstance(error, UNREACHABLE):
        breaker.failure()
        logger.warning("Elasticsearch unreachable, searching the database: %s", error)
    else:
        logger.exception("Elasticsearch refused a search, searching the database")


def search(request: SearchRequest, visibility: Visibility) -> SearchResponse:
    """The public search: Elasticsearch, or the database when the node cannot answer."""
    if elasticsearch_usable():
        try:
            response = queries.pages_search(request, visibility)
        except (ApiError, *UNREACHABLE) as error:
            _failed(error)
        else:
            _after_success()
            return response
    response = fallback.pages_search(request, visibility)
    response.degraded = bool(settings.ELASTICSEARCH_URL)
    return response


def autocomplete(text: str, visibility: Visibility, size: int = 8) -> list[Suggestion]:
    if elasticsearch_usable():
        try:
            suggestions = queries.pages_autocomplete(text, visibility, size=size)
        except (ApiError, *UNREACHABLE) as error:
            _failed(error)
        else:
            _after_success()
            return suggestions
    return fallback.pages_autocomplete(text, visibility, size=size)
