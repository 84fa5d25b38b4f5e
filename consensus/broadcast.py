"""Side effects towards the channel layer, always scheduled after the transaction commits.

A burst of ballots (200 panelists submitting in the same second) must not cost one channel-layer
round trip each in the requests: under ASGI, the notification is handed to the server's event
loop without waiting, and there each study's dashboards are told at most once per
``COALESCE_SECONDS`` — at once for the first change, then once more at the end of the window
for the changes that arrived during it, so the last state shown is never older than the last
change (the dashboard's consumer re-reads the participation itself)."""

from __future__ import annotations

import asyncio
import logging
import os

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from consensus import groups

logger = logging.getLogger(__name__)

COALESCE_SECONDS = 0.25  # as the dashboard consumer's (consumers.StudyParticipationConsumer)


async def _group_send(study_id: int) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        await layer.group_send(
            groups.study_participation_group(study_id), {"type": "participation.changed"}
        )
    except Exception:  # noqa: BLE001 - the data is committed; a dashboard refresh is optional
        logger.warning("participation broadcast failed for study %s", study_id, exc_info=True)


class Coalescer:
    """Per event loop: at most one send per study and window, the last change always sent.
    Only ever touched from its loop's thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop, window: float = COALESCE_SECONDS) -> None:
        self.loop = loop
        self.window = window
        self.last_sent: dict[int, float] = {}
        self.scheduled: set[int] = set()
        self.tasks: set[asyncio.Task] = set()  # strong references until each send is done

    def changed(self, study_id: int) -> None:
        if study_id in self.scheduled:
            return  # the send already planned will read the state after this change
        self.scheduled.add(study_id)
        due = self.last_sent.get(study_id, float("-inf")) + self.window
        self.loop.call_at(max(due, self.loop.time()), self._fire, study_id)

    def _fire(self, study_id: int) -> None:
        self.scheduled.discard(study_id)
        self.last_sent[study_id] = self.loop.time()
        task = self.loop.create_task(_group_send(study_id))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)


_coalescers: dict[asyncio.AbstractEventLoop, Coalescer] = {}


def _changed_in_loop(loop: asyncio.AbstractEventLoop, study_id: int) -> None:
    coalescer = _coalescers.get(loop)
    if coalescer is None:
        for old in [old for old in _coalescers if old.is_closed()]:
            del _coalescers[old]
        coalescer = _coalescers[loop] = Coalescer(loop)
    coalescer.changed(study_id)


def _server_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop of the ASGI server this sync code runs under (Django runs a request's
    sync code in a thread through asgiref, which records the loop it came from), or None."""
    if getattr(SyncToAsync.threadlocal, "main_event_loop_pid", None) != os.getpid():
        return None  # (as asgiref checks: a loop recorded before a fork is not ours)
    loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    if loop is not None and loop.is_running() and not loop.is_closed():
        return loop
    return None


def _send(study_id: int) -> None:
    try:  # sync code called straight from a coroutine's thread (tests, async-unsafe scripts)
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is not None:
        _changed_in_loop(running, study_id)
        return
    loop = _server_loop()
    if loop is not None:
        # No waiting: the request goes on while the loop sends (coalesced) later.
        loop.call_soon_threadsafe(_changed_in_loop, loop, study_id)
        return
    # Outside a server (commands, sync scripts): no burst to coalesce, send now.
    async_to_sync(_group_send)(study_id)


def participation_changed(study_id: int) -> None:
    """Tell the study's dashboards to refresh, once the data they will read is committed."""
    transaction.on_commit(lambda: _send(study_id))
