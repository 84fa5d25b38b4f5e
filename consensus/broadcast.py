"""Side effects towards the channel layer, always scheduled after the transaction commits."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from consensus import groups

logger = logging.getLogger(__name__)


def _send(study_id: int) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(
            groups.study_participation_group(study_id), {"type": "participation.changed"}
        )
    except Exception:  # noqa: BLE001 - the data is committed; a dashboard refresh is optional
        logger.warning("participation broadcast failed for study %s", study_id, exc_info=True)


def participation_changed(study_id: int) -> None:
    """Tell the study's dashboards to refresh, once the data they will read is committed."""
    transaction.on_commit(lambda: _send(study_id))
