"""Probes for /healthz: each returns "ok", "down" or "disabled".

The site serves as long as the database answers: Redis (cache, channel layer) and
Elasticsearch only make it faster or live. Their absence makes the site "degraded", not down."""

import asyncio
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from search.connection import elasticsearch_available

OK, DOWN, DISABLED = "ok", "down", "disabled"


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return "down"
    return "ok"


def cache_state() -> str:
    """Redis as the cache: asked directly (a success also closes the cache's breaker)."""
    ping = getattr(cache, "ping", None)
    if ping is None:  # a process-local cache (the demo): nothing can be down
        return DISABLED
    return OK if ping() else DOWN


def channel_layer_state() -> str:
    layer = get_channel_layer()
    if layer is None:
        return "disabled"

    async def round_trip() -> bool:
        channel = await layer.new_channel()
        token = uuid.uuid4().hex
        await layer.send(channel, {"type": "health.ping", "token": token})
        message = await asyncio.wait_for(layer.receive(channel), timeout=2)
        return message.get("token") == token

    try:
        return "ok" if async_to_sync(round_trip)() else "down"
    except Exception:
        return "down"


def search_state() -> str:
    if not settings.ELASTICSEARCH_URL:
        return "disabled"
    return "ok" if elasticsearch_available() else "down"


def health_report() -> tuple[dict[str, str], str]:
    """The state of each service and the site's: "ok", "degraded" (it serves without some
    service) or "down" (it cannot serve: the database is down)."""
    states = {
        "database": database_state(),
        "cache": cache_state(),
        "channel_layer": channel_layer_state(),
        "search": search_state(),
    }
    if states["database"] != OK:
        status = "down"
    elif DOWN in states.values():
        status = "degraded"
    else:
        status = "ok"
    return states, status
