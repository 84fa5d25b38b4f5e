"""Live participation on the facilitator's dashboard. The consumer only routes messages."""

from __future__ import annotations

import asyncio

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.template.loader import render_to_string

from consensus import groups, permissions, selectors
from consensus.models import Study


def participation_fragment(study_id: int) -> dict:
    study = Study.objects.get(pk=study_id)
    participation = selectors.study_participation(study)
    return {
        "type": "participation",
        "rounds": [
            {
                "number": p.round.number,
                "status": p.round.status,
                "invited": p.invited,
                "submitted": p.submitted,
                "pending": len(p.pending),
            }
            for p in participation
        ],
        "html": render_to_string(
            "consensus/includes/_participation.html", {"participation": participation}
        ),
    }


# Application close codes (4000-4999), as HTTP's 403 and 404.
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404


class StudyParticipationConsumer(AsyncJsonWebsocketConsumer):
    # Every ballot sends a message; when 200 panelists submit in the same second, a dashboard
    # re-reads the participation at most once per window, with the data committed by then.
    COALESCE_SECONDS = 0.25

    _dirty = False
    _refresh: asyncio.Task | None = None

    async def connect(self) -> None:
        self.study_id = int(self.scope["url_route"]["kwargs"]["study_id"])
        user = self.scope.get("user")
        if not await database_sync_to_async(permissions.can_follow_study)(user, self.study_id):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        # Checked after the permission, so that only facilitators learn which studies exist.
        if not await Study.objects.filter(pk=self.study_id).aexists():
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.group = groups.study_participation_group(self.study_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self._send_participation()

    async def disconnect(self, code: int) -> None:
        if self._refresh is not None:
            self._refresh.cancel()
        group = getattr(self, "group", None)
        if group is not None:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        await self.send_json({"type": "error", "message": "Message inconnu."})

    async def participation_changed(self, event: dict) -> None:
        self._dirty = True
        if self._refresh is None or self._refresh.done():
            self._refresh = asyncio.create_task(self._refresh_while_dirty())

    async def _refresh_while_dirty(self) -> None:
        # A change that arrives while the data is being read marks it dirty again: one more
        # read follows, so the last state shown is never older than the last change.
        while self._dirty:
            await asyncio.sleep(self.COALESCE_SECONDS)
            self._dirty = False
            await self._send_participation()

    async def _send_participation(self) -> None:
        await self.send_json(await database_sync_to_async(participation_fragment)(self.study_id))
