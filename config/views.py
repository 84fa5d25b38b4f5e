from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.health import health_report


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the site can serve ("ok" or "degraded"), 503 when it cannot ("down")."""
    states, status = health_report()
    return JsonResponse({"status": status, **states}, status=503 if status == "down" else 200)
