"""Live updates over Channels, sent after the transaction commits. Broadcast only: business
reactions to a change (notifications) subscribe to `wiki.signals.change_committed`."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from wiki import groups

logger = logging.getLogger(__name__)


def change_saved(change_id: int, published: bool = False) -> None:
    """Tell the « Modifications récentes » pages. `published`: an earlier change was just
    published (see services.changes)."""
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
