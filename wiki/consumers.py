"""Who has a page open for editing, live. The consumer only routes messages."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from wiki import groups
from wiki.permissions import can_follow_page_editors


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
