"""Side effects of a saved change, run after the transaction commits: live updates over Channels.

Other apps subscribe through the `change_committed` signal (watchlists notify from there)."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.dispatch import Signal

from wiki import groups

logger = logging.getLogger(__name__)

# Sent after commit with `change_id`: receivers may notify watchers, index, etc.
change_committed = Signal()


def change_saved(change_id: int, published: bool = False) -> None:
    """`published`: an earlier change was just published (see services.changes)."""
    change_committed.send(sender=None, change_id=change_id)
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(
            groups.recent_changes_group(),
            {"type": "change.saved", "change_id": change_id, "published": published},
        )
    except Exception:  # a down channel layer must never break an edit
        logger.warning("recent changes broadcast failed", exc_info=True)
