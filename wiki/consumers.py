"""Who has a page open for editing, live. The consumer only routes messages."""

from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils import translation

from wiki import groups
from wiki.filters import RecentChangesFilterForm
from wiki.permissions import can_follow_page_editors, can_patrol
from wiki.selectors import changes_with_read_urls, recent_changes
from wiki.visibility import may_read_drafts, reader_for


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
    the page's filters (query string on connect) arrives as the row's HTML, rendered here."""

    async def connect(self) -> None:
        self.user = self.scope.get("user") or AnonymousUser()
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        self.query = {key: values[-1] for key, values in query.items()}
        languages = {code for code, _name in settings.LANGUAGES}
        lang = self.query.pop("lang", "")
        self.language = lang if lang in languages else settings.LANGUAGE_CODE
        self.reader, self.filters = await database_sync_to_async(self._reader_and_filters)()
        self.group = groups.recent_changes_group()
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        group = getattr(self, "group", None)
        if group is not None:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        await self.send_json({"type": "error", "message": "Message inconnu."})

    async def change_saved(self, event: dict) -> None:
        change_id = int(event["change_id"])
        html = await database_sync_to_async(self._row_html)(change_id, bool(event.get("published")))
        if html:
            await self.send_json({"type": "change", "change_id": change_id, "html": html})

    def _reader_and_filters(self):
        reader = reader_for(self.user, self.scope.get("session"))
        keys = ("college", "referentiel", "author", "unpatrolled", "period")
        data = {key: self.query[key] for key in keys if self.query.get(key)}
        return reader, RecentChangesFilterForm(data or None, reader=reader).filters()

    def _row_html(self, change_id: int, published_again: bool = False) -> str:
        change = (
            recent_changes(reader=self.reader, filters=self.filters).filter(pk=change_id).first()
        )
        if change is None:
            return ""
        if published_again and may_read_drafts(self.reader, change.page):
            return ""  # this viewer received it when it was saved
        changes_with_read_urls([change])
        with translation.override(self.language):
            return render_to_string(
                "wiki/includes/_change_row.html",
                {"change": change, "can_patrol": can_patrol(self.user), "next_url": ""},
            )
