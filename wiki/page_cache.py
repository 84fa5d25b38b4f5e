"""The full-page cache: anonymous views of published, unrestricted Wagtail pages, served from
the cache (Redis in production) without sessions, authentication or a page render.

- **What is stored**: only a 200 answer to a GET with no query string, from a reader who sent no
  cookie but the language and CSRF ones (no session, no messages), for a page that Wagtail
  served (`wiki/wagtail_hooks.py` marks it) that is live and that the public reads
  (`wiki.visibility.may_read_published(PUBLIC, …)`: no login, group or password restriction),
  and only when the answer sets no cookie. Anonymous pages carry no CSRF token (the language
  switch needs none, `config/urls.py`), so nothing in an entry belongs to a visitor.
- **Key**: language, scheme, host and path. **Freshness**: each entry holds the links version
  (`wiki.rendering.links_version`) read *before* its page was rendered; the version moves on
  every publication, unpublication, move, deletion, page creation or rename and view
  restriction change (`wiki/receivers.py`), so one Redis round trip (MGET of the version and the
  entry) tells whether the entry is current. What no signal reports (an institution renamed, a
  deployment's new templates) lasts at most `WIKI_PAGE_CACHE_SECONDS`.
- A cache outage is a miss (`config.cache.FailSoftRedisCache`): pages are rendered as before.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

from wiki import visibility
from wiki.rendering import LINKS_VERSION_KEY, links_version

logger = logging.getLogger(__name__)

KEY_PREFIX = "wiki:page"
# Headers that describe one visitor's exchange, never replayed from an entry.
PER_VISITOR_HEADERS = {"set-cookie", "date", "content-length"}


def ttl_seconds() -> int:
    return int(getattr(settings, "WIKI_PAGE_CACHE_SECONDS", 300))


def request_cacheable(request: HttpRequest) -> bool:
    """Whether `request` may be answered from (or fill) the cache: an anonymous GET or HEAD
    with no query string and no cookie but the language and CSRF ones."""
    if ttl_seconds() <= 0 or request.method not in ("GET", "HEAD"):
        return False
    if request.META.get("QUERY_STRING"):
        return False
    allowed = {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
    return set(request.COOKIES) <= allowed


def cache_key(request: HttpRequest) -> str | None:
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if language not in {code for code, _name in settings.LANGUAGES}:
        language = settings.LANGUAGE_CODE
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    where = f"{request.scheme}://{host}{request.path}"
    digest = hashlib.blake2b(where.encode("utf-8"), digest_size=16).hexdigest()
    return f"{KEY_PREFIX}:{language}:{digest}"


def page_cacheable(page, request: HttpRequest) -> bool:
    """Whether Wagtail's answer for `page` may be stored: the published version of a live page
    the public reads, served to an anonymous visitor (not a preview, not the draft reader)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    if getattr(request, "is_preview", False) or getattr(request, "wiki_show_drafts", False):
        return False
    return page.live and visibility.may_read_published(visibility.PUBLIC, page)


def _response_storable(request: HttpRequest, response: HttpResponse) -> bool:
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if not getattr(response, "wiki_page_cacheable", False) or response.cookies:
        return False
    if "private" in response.get("Cache-Control", "") or "no-store" in response.get(
        "Cache-Control", ""
    ):
        return False
    # A message added while this page was rendered belongs to this visitor.
    storage = getattr(request, "_messages", None)
    return not getattr(storage, "_queued_messages", None)


def _entry(version: int, response: HttpResponse) -> dict:
    headers = [
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in PER_VISITOR_HEADERS
    ]
    return {"version": version, "headers": headers, "content": response.content}


def _response(entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"], status=200)
    for name, value in entry["headers"]:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response


class PageCacheMiddleware:
    """Answers cached pages before sessions and authentication; stores what may be stored.
    Placed after the security, CSP and static-files middleware (their headers are added to a
    cached answer as to any other)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request_cacheable(request):
            return self.get_response(request)
        key = cache_key(request)
        if key is None:
            return self.get_response(request)
        try:
            found = cache.get_many([LINKS_VERSION_KEY, key])
        except Exception:  # a cache outage slows pages down, it must not break them
            logger.warning("page cache unavailable", exc_info=True)
            return self.get_response(request)
        version, entry = found.get(LINKS_VERSION_KEY), found.get(key)
        if entry is not None and version is not None and entry.get("version") == version:
            return _response(entry)
        if version is None:
            version = links_version()
        # The version is read before the page is rendered: a publication during the render
        # moves it, and the entry stored below is stale at once rather than wrong for long.
        response = self.get_response(request)
        if _response_storable(request, response):
            try:
                cache.set(key, _entry(version, response), ttl_seconds())
            except Exception:
                logger.warning("page cache unavailable", exc_info=True)
        return response
