"""A per-client request rate for the read API, counted in the shared cache (Redis in
production): a fixed window per client address, one atomic increment per request.

Fail-soft as the cache is (`config.cache.FailSoftRedisCache`): when Redis cannot be reached,
`incr` raises ValueError (as for a missing key) and the request is let through: an outage of
the cache slows nothing down and refuses nobody."""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import BaseThrottle


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind `TRUSTED_PROXY_COUNT` proxies the address the first trusted one
    saw (as login throttling reads it: the proxy overwrites X-Forwarded-For)."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies and forwarded:
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")


class ClientRateThrottle(BaseThrottle):
    """At most `requests` per `seconds` for each client address (`settings.API_RATE_LIMIT`,
    read at each request); over it, ninja answers 429 with `Retry-After` (the seconds left in
    the window)."""

    def __init__(self, scope: str = "api") -> None:
        self.scope = scope

    def allow_request(self, request: HttpRequest) -> bool:
        requests, seconds = settings.API_RATE_LIMIT
        window = int(time.time() // seconds)
        key = f"throttle:{self.scope}:{window}:{client_address(request)}"
        try:
            cache.add(key, 0, seconds + 1)
            count = cache.incr(key)
        except ValueError:  # the cache lost the key or cannot be reached: let it through
            return True
        return count <= requests

    def wait(self) -> float:
        seconds = settings.API_RATE_LIMIT[1]
        return max(1, math.ceil(seconds - time.time() % seconds))
