"""Probes for /healthz: each returns "ok", "down" or "disabled"."""

import asyncio
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return "down"
    return "ok"


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
    from search.backends import elasticsearch_available

    return "ok" if elasticsearch_available() else "down"


def health_report() -> tuple[dict[str, str], bool]:
    """Return the state of each service and whether the site can serve (database up)."""
    states = {
        "database": database_state(),
        "channel_layer": channel_layer_state(),
        "search": search_state(),
    }
    return states, states["database"] == "ok"
