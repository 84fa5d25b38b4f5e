"""WebSocket routes, one line per consumer."""

from django.urls import path

from consensus.consumers import StudyParticipationConsumer
from wiki.consumers import PageEditorsConsumer, RecentChangesConsumer

websocket_urlpatterns = [
    path("ws/pages/<int:page_id>/editors/", PageEditorsConsumer.as_asgi()),
    path(
        "ws/consensus/studies/<int:study_id>/participation/", StudyParticipationConsumer.as_asgi()
    ),
    path("ws/recent-changes/", RecentChangesConsumer.as_asgi()),
]
