"""Who has a page open for editing, live. The consumer only routes messages."""

from urllib.parse import parse_qs

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from wiki import broadcast, groups
from wiki.broadcast import LiveClasses, RowAudience
from wiki.filters import RecentChangesFilterForm
from wiki.permissions import can_follow_page_editors, can_patrol
from wiki.visibility import reader_for


class PageEditorsConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        user = self.scope.get("user")
        self.page_id = int(self.scope["url_route"]["kwargs"]["page_id"])
        if not await database_sync_to_async(can_follow_page_editors)(user, self.page_id):
            await self.close(code=4403)
            return
        self.group = groups.page_editors_group(self.page_id)
        self.display_name = user.get_full_name() or user.get_username()
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.channel_layer.group_send(
            self.group,
            {
                "type": "editor.presence",
                "event": "joined",
                "name": self.display_name,
                "sender": self.channel_name,
            },
        )

    async def disconnect(self, code: int) -> None:
        group = getattr(self, "group", None)
        if group is None:
            return
        try:
            await self.channel_layer.group_send(
                group,
                {
                    "type": "editor.presence",
                    "event": "left",
                    "name": self.display_name,
                    "sender": self.channel_name,
                },
            )
        finally:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        # A newcomer asks who is there; everyone else answers once.
        if content.get("type") == "who":
            await self.channel_layer.group_send(
                self.group,
                {
                    "type": "editor.presence",
                    "event": "present",
                    "name": self.display_name,
                    "sender": self.channel_name,
                },
            )
        else:
            await self.send_json({"type": "error", "message": "Message inconnu."})

    async def editor_presence(self, event: dict) -> None:
        if event["sender"] == self.channel_name:
            return
        await self.send_json({"type": "presence", "event": event["event"], "name": event["name"]})


class RecentChangesConsumer(AsyncJsonWebsocketConsumer):
    """« Modifications récentes », live: each saved change the viewer may see and that matches
    the page's filters (query string on connect) arrives as the row's HTML. The row is rendered
    once per audience class (wiki.broadcast), not here: the socket joins its class's group."""

    channel_layer_alias = broadcast.LIVE_LAYER

    async def connect(self) -> None:
        self.user = self.scope.get("user") or AnonymousUser()
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        self.query = {key: values[-1] for key, values in query.items()}
        languages = {code for code, _name in settings.LANGUAGES}
        lang = self.query.pop("lang", "")
        self.language = lang if lang in languages else settings.LANGUAGE_CODE
        self.audience_key = await database_sync_to_async(self._join)()
        self.group = groups.recent_changes_group(self.audience_key)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        group = getattr(self, "group", None)
        if group is not None:
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            finally:
                await sync_to_async(LiveClasses().leave)(self.audience_key)

    async def receive_json(self, content, **kwargs) -> None:
        await self.send_json({"type": "error", "message": "Message inconnu."})

    async def change_row(self, event: dict) -> None:
        await self.send_json(
            {"type": "change", "change_id": int(event["change_id"]), "html": event["html"]}
        )

    def _join(self) -> str:
        reader = reader_for(self.user, self.scope.get("session"))
        keys = ("college", "referentiel", "author", "unpatrolled", "period")
        data = {key: self.query[key] for key in keys if self.query.get(key)}
        filters = RecentChangesFilterForm(data or None, reader=reader).filters()
        audience = RowAudience.of(reader, filters, self.language, can_patrol(self.user))
        return LiveClasses().join(audience)
