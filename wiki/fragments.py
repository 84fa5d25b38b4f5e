"""The reader-independent part of a page view, cached for every reader, signed in or not.

A competency page is the same article for every reader of one audience
(`wiki.visibility.audience_key`: the public, or readers with exactly the same rights); only the
chrome around it is personal (the header's name and notifications, the page tabs' edit and watch
buttons, CSRF tokens, messages). The article and the breadcrumb are cached with Django's
`{% cache %}` tag under `fragment_key`, which names:

- the page and its **live revision** (a publication changes it);
- the **links version** (`wiki.rendering.links_version`): it moves on every publication,
  unpublication, move, deletion, creation, rename and view-restriction change, so a wikilink
  that turns red or blue, a moved ancestor or a renamed domain is never served stale;
- the reader's **audience** (a draft reader's wikilinks and « Déclinée dans » show drafts the
  public must not see: the two never share an entry);
- the language.

Only the published version served by Wagtail's `serve` (`wiki/wagtail_hooks.py` marks it) is
cached: never the draft reader, never a preview. What no signal reports (an institution renamed,
a deployment's new templates, « Compétences proches » from the search index) lasts at most
`WIKI_FRAGMENT_CACHE_SECONDS`.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language

from wiki import visibility
from wiki.rendering import links_version

logger = logging.getLogger(__name__)

SERVING_LIVE_ATTRIBUTE = "wiki_serving_live"


def ttl_seconds() -> int:
    return int(getattr(settings, "WIKI_FRAGMENT_CACHE_SECONDS", 300))


def fragment_key(request: HttpRequest | None, page) -> str | None:
    """The cache key of `page`'s reader-independent fragments for this request's audience, or
    None when they must be rendered afresh (cache off, draft reader, preview, not live)."""
    if request is None or ttl_seconds() <= 0:
        return None
    if not getattr(request, SERVING_LIVE_ATTRIBUTE, False):
        return None
    if getattr(request, "is_preview", False) or getattr(request, "wiki_show_drafts", False):
        return None
    if not page.live or page.live_revision_id is None:
        return None
    try:
        version = links_version()
    except Exception:  # a cache outage slows pages down, it must not break them
        logger.warning("fragment cache unavailable", exc_info=True)
        return None
    audience = visibility.audience_key(visibility.request_reader(request))
    return f"{page.pk}:{page.live_revision_id}:{version}:{audience}:{get_language()}"
