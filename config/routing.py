"""WebSocket routes, one line per consumer."""

from django.urls import path

from wiki.consumers import PageEditorsConsumer

websocket_urlpatterns = [
    path("ws/pages/<int:page_id>/editors/", PageEditorsConsumer.as_asgi()),
]
