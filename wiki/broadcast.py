"""Live updates over Channels, sent after the transaction commits. Broadcast only: business
reactions to a change (notifications) subscribe to `wiki.signals.change_committed`.

« Modifications récentes » fans out per *audience class*, not per socket: every socket whose
row would be the same HTML (same visibility, filters, language, patrol form) joins the group of
its class, and a saved change is rendered once per class here, then sent to that group. The
classes that have sockets open are kept in a small registry (`LiveClasses`): a Redis hash next
to the channel layer's own keys, or a dict in the process with the in-memory layer (the demo)."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from dataclasses import asdict, dataclass

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from wiki import groups
from wiki.selectors import ChangeFilters, changes_with_read_urls, recent_changes
from wiki.visibility import Reader, may_read_drafts

logger = logging.getLogger(__name__)

# The channel layer of live broadcasts (config/settings/base.py: Redis pub/sub).
LIVE_LAYER = "live"
ROW_TEMPLATE = "wiki/includes/_change_row.html"
# A class nobody connected to for this long is forgotten (the channel layer's group expiry).
CLASS_EXPIRY_SECONDS = 86400


@dataclass(frozen=True)
class RowAudience:
    """Everything the HTML of a « Modifications récentes » row depends on besides the change:
    two sockets with equal audiences receive the same bytes."""

    reader: Reader
    filters: ChangeFilters
    language: str
    can_patrol: bool

    def to_json(self) -> str:
        data = asdict(self)
        data["reader"]["passed_restrictions"] = sorted(self.reader.passed_restrictions)
        return json.dumps(data, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> RowAudience:
        data = json.loads(text)
        reader = data["reader"]
        return cls(
            reader=Reader(
                user_id=reader["user_id"],
                authenticated=reader["authenticated"],
                superuser=reader["superuser"],
                all_drafts=reader["all_drafts"],
                group_ids=tuple(reader["group_ids"]),
                draft_paths=tuple(reader["draft_paths"]),
                passed_restrictions=frozenset(reader["passed_restrictions"]),
            ),
            filters=ChangeFilters(**data["filters"]),
            language=data["language"],
            can_patrol=data["can_patrol"],
        )

    @classmethod
    def of(cls, reader: Reader, filters: ChangeFilters, language: str, can_patrol: bool):
        """The audience of a socket. The user id is left out of the reader: what a row shows
        depends on what the viewer may see, not on who they are."""
        anonymous_reader = Reader(
            authenticated=reader.authenticated,
            superuser=reader.superuser,
            all_drafts=reader.all_drafts,
            group_ids=reader.group_ids,
            draft_paths=reader.draft_paths,
            passed_restrictions=reader.passed_restrictions,
        )
        return cls(anonymous_reader, filters, language, can_patrol)

    @property
    def key(self) -> str:
        return hashlib.blake2b(self.to_json().encode(), digest_size=10).hexdigest()


class LiveClasses:
    """Which audience classes have sockets open: {key: audience JSON} and {key: sockets}."""

    _lock = threading.Lock()
    _local_audiences: dict[str, str] = {}
    _local_counts: dict[str, int] = {}
    _clients: dict[str, object] = {}

    def __init__(self) -> None:
        layer = settings.CHANNEL_LAYERS[LIVE_LAYER]
        config = layer.get("CONFIG", {})
        host = (config.get("hosts") or [None])[0]
        # The Redis of the live layer itself (dict or URL form of channels-redis' hosts).
        self.address = host.get("address") if isinstance(host, dict) else host
        self.redis = layer["BACKEND"].startswith("channels_redis") and bool(self.address)
        prefix = config.get("prefix", "asgi")
        self.audiences_key = f"{prefix}:wiki.recentchanges.audiences"
        self.counts_key = f"{prefix}:wiki.recentchanges.sockets"

    def _redis(self):
        client = self._clients.get(self.address)
        if client is None:
            import redis

            client = redis.Redis.from_url(
                self.address,
                socket_connect_timeout=settings.REDIS_CONNECT_TIMEOUT,
                socket_timeout=settings.REDIS_SOCKET_TIMEOUT,
                decode_responses=True,
            )
            self._clients[self.address] = client
        return client

    def join(self, audience: RowAudience) -> str:
        key = audience.key
        if not self.redis:
            with self._lock:
                self._local_audiences[key] = audience.to_json()
                self._local_counts[key] = self._local_counts.get(key, 0) + 1
            return key
        pipe = self._redis().pipeline()
        pipe.hset(self.audiences_key, key, audience.to_json())
        pipe.hincrby(self.counts_key, key, 1)
        pipe.expire(self.audiences_key, CLASS_EXPIRY_SECONDS)
        pipe.expire(self.counts_key, CLASS_EXPIRY_SECONDS)
        pipe.execute()
        return key

    def leave(self, key: str) -> None:
        if not self.redis:
            with self._lock:
                self._local_counts[key] = self._local_counts.get(key, 0) - 1
            return
        self._redis().hincrby(self.counts_key, key, -1)

    def active(self) -> list[tuple[str, RowAudience]]:
        """The classes with at least one socket (a worker killed without closing its sockets
        leaves its counts up: those classes are rendered for nobody until they expire)."""
        if not self.redis:
            with self._lock:
                audiences, counts = dict(self._local_audiences), dict(self._local_counts)
        else:
            pipe = self._redis().pipeline()
            pipe.hgetall(self.audiences_key)
            pipe.hgetall(self.counts_key)
            audiences, counts = pipe.execute()
        return [
            (key, RowAudience.from_json(text))
            for key, text in sorted(audiences.items())
            if int(counts.get(key, 0)) > 0
        ]

    def forget_all(self) -> None:
        """Drop this registry's keys (tests and benchmarks; never the rest of Redis)."""
        if not self.redis:
            with self._lock:
                self._local_audiences.clear()
                self._local_counts.clear()
            return
        self._redis().delete(self.audiences_key, self.counts_key)


def render_row(change_id: int, audience: RowAudience, published_again: bool = False) -> str:
    """The row of a change for one audience class, or "" when that class does not see it (or,
    on publication, already received it as a draft)."""
    change = (
        recent_changes(reader=audience.reader, filters=audience.filters)
        .filter(pk=change_id)
        .first()
    )
    if change is None:
        return ""
    if published_again and may_read_drafts(audience.reader, change.page):
        return ""  # this class received it when it was saved
    changes_with_read_urls([change])
    with translation.override(audience.language):
        return render_to_string(
            ROW_TEMPLATE, {"change": change, "can_patrol": audience.can_patrol, "next_url": ""}
        )


def change_saved(change_id: int, published: bool = False) -> None:
    """Tell the « Modifications récentes » pages: one render and one group message per audience
    class with sockets open. `published`: an earlier change was just published (see
    services.changes)."""
    layer = get_channel_layer(LIVE_LAYER)
    if layer is None:
        return
    try:
        messages = []
        for key, audience in LiveClasses().active():
            html = render_row(change_id, audience, published_again=published)
            if html:
                messages.append(
                    (
                        groups.recent_changes_group(key),
                        {"type": "change.row", "change_id": change_id, "html": html},
                    )
                )
        if messages:
            async_to_sync(_send_all)(layer, messages)
    except Exception:  # a down channel layer must never break an edit
        logger.warning("recent changes broadcast failed", exc_info=True)


async def _send_all(layer, messages: list[tuple[str, dict]]) -> None:
    for group, message in messages:
        await layer.group_send(group, message)
