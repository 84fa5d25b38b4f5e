"""The read API, `/api/v1/`: each app's read endpoints gathered under one django-ninja API
(DESIGN.md: « one router in config/ »). OpenAPI 3 at `/api/v1/schema/`, browsable docs at
`/api/v1/docs`. GET only; open to other sites (CORS, `CORS_URLS_REGEX` in the settings);
a rate per client address (`config.throttling`, `API_RATE_LIMIT`)."""

from __future__ import annotations

from django.conf import settings
from ninja import NinjaAPI, Swagger

from config.throttling import ClientRateThrottle
from search.api import router as search_router
from wiki.api import router as wiki_router


class Docs(Swagger):
    """Swagger UI in French page chrome (`lang`), its settings in a hidden element: the strict
    Content-Security-Policy allows no inline script."""

    template = "api/docs.html"


def api_build() -> NinjaAPI:
    requests, seconds = settings.API_RATE_LIMIT
    api = NinjaAPI(
        title="wiki IA_SaNSeS — API de lecture",
        version="1.0.0",
        description=(
            "Les référentiels de compétences publiés, leurs compétences et la recherche, "
            "en JSON paginé. Lecture seule, ouverte aux autres sites (CORS), "
            f"limitée à {requests} requêtes par {seconds} s et par client (au-delà : "
            "429 et Retry-After)."
        ),
        urls_namespace="api-v1",
        openapi_url="/schema/",
        # Without deep links: Swagger UI draws each operation's path as a link inside the
        # operation's toggle button, a control nested in a control (axe: nested-interactive).
        docs=Docs(settings={"deepLinking": False}),
        docs_url="/docs",
        throttle=[ClientRateThrottle()],
    )
    api.add_router("", wiki_router)
    api.add_router("", search_router)
    return api


api = api_build()
