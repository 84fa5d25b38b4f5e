"""What each ASGI process does once at start so that its first requests do not pay for it."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.urls import get_resolver

logger = logging.getLogger(__name__)


def warm_up() -> None:
    """Import every view (Django loads the URLconf lazily, at the first request that needs a
    route) and, with a connection pool, open it: its ``DATABASE_POOL_MIN`` connections are
    then made in the background before the first requests. Never fatal, never waits."""
    get_resolver().url_patterns  # noqa: B018 - the import is the point
    if not getattr(settings, "DATABASE_POOL_MAX", 0) or connection.vendor != "postgresql":
        return
    try:
        # Opening it starts its workers, which connect in the background: nothing waits here,
        # and with the database down they keep retrying while the process serves /healthz.
        connection.pool.open()
    except Exception:  # noqa: BLE001 - logged; the first query opens it again
        logger.warning("database pool not opened at start", exc_info=True)
