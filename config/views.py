from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.health import health_report


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    states, serving = health_report()
    body = {"status": "ok" if serving else "down", **states}
    return JsonResponse(body, status=200 if serving else 503)
