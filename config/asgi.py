"""ASGI entry point: HTTP goes to Django/Wagtail, WebSocket to Channels consumers.

Fail closed: without DJANGO_SETTINGS_MODULE this is production, which refuses to start without
its secrets. The demo names its settings (`make demo` sets
DJANGO_SETTINGS_MODULE=config.settings.dev)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
# Load the apps before anything imports models (consumers, routing).
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from config.warmup import warm_up  # noqa: E402

# Before the first request, not in it: the URLconf's imports (the PDF export's weasyprint alone
# takes seconds) and the database pool's connections. Without this, the first burst after a
# start — 200 panelists submitting at once — queued behind them.
warm_up()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
