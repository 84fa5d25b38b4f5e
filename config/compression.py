"""Compressed HTML (and JSON) for anonymous readers only, against BREACH.

BREACH recovers a secret from the size of compressed responses that also reflect what an
attacker sends. The secrets of this site's bodies are the CSRF token and what belongs to a
signed-in reader (drafts, their name). So a response is compressed only when the request
carries no session cookie, nobody is signed in, no CSRF secret was read or sent (`get_token`,
e.g. the login form, or a csrftoken cookie) and the response sets no cookie: the anonymous
views of pages (full-page cache hits included), the search results, the read-only API.
Everything else goes uncompressed, as before. Django's GZipMiddleware adds its own length
padding ("Heal the Breach") and `Vary: Accept-Encoding`; static files are compressed ahead of
time by WhiteNoise and are left to it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware


def may_compress(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether `response` holds no secret an attacker could recover through its size."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    # The CSRF middleware puts the secret here when the request brought a csrftoken cookie or
    # when anything called get_token (a form rendered its token); it resets
    # CSRF_COOKIE_NEEDS_UPDATE before this middleware sees the response, so that flag cannot
    # tell. Either way the body may hold the token: not compressed.
    if "CSRF_COOKIE" in request.META:
        return False
    return not response.cookies


class AnonymousGZipMiddleware(GZipMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not may_compress(request, response):
            return response
        return super().process_response(request, response)
