"""Rendered Markdown, cached. A cached fragment is keyed by its text, by the link-graph
version, which moves whenever a page is created, renamed, published, unpublished, moved or
deleted (a link that turns red or blue is never served stale), and by the reader's audience
(wiki.visibility.audience_key): a wikilink to a draft is blue for those who may read it and red
for everyone else, and the two renderings never share an entry."""

import functools
import hashlib
import logging

from django.core.cache import cache
from django.utils.translation import gettext as _

from wiki import markdown, visibility
from wiki.selectors import wikilink_targets_resolved

logger = logging.getLogger(__name__)
LINKS_VERSION_KEY = "wiki:links-version"
TTL_SECONDS = 24 * 3600
# A text that fell back to plain text (too slow to parse) is tried again after this long, not
# re-parsed on every view: each attempt costs up to markdown.TIME_LIMIT of a worker's time.
INCOMPLETE_TTL_SECONDS = 300


def links_version() -> int:
    version = cache.get(LINKS_VERSION_KEY)
    if version is None:
        cache.add(LINKS_VERSION_KEY, 1, timeout=None)
        version = cache.get(LINKS_VERSION_KEY, 1)
    return version


def links_version_bump() -> None:
    try:
        try:
            cache.incr(LINKS_VERSION_KEY)
        except ValueError:  # not set yet
            cache.add(LINKS_VERSION_KEY, 2, timeout=None)
    except Exception:
        # Without the cache there is nothing stale to invalidate... unless it comes back with
        # old entries: they expire within TTL_SECONDS.
        logger.warning("could not move the links version", exc_info=True)


def render_markdown(text: str, reader: visibility.Reader = visibility.PUBLIC) -> str:
    """`text` rendered for `reader`: its wikilinks resolve to the pages `reader` may see."""
    if not text:
        return ""
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
    try:
        audience = visibility.audience_key(reader)
        key = f"wiki:md:{links_version()}:{audience}:{digest}"
        html = cache.get(key)
    except Exception:  # a cache outage slows pages down, it must not break them
        logger.warning("rendering cache unavailable", exc_info=True)
        return _render(text, reader)
    if html is None:
        rendered = _render_result(text, reader)
        html = rendered.html
        try:
            cache.set(key, html, TTL_SECONDS if rendered.complete else INCOMPLETE_TTL_SECONDS)
        except Exception:
            logger.warning("rendering cache unavailable", exc_info=True)
    return html


def plain_notice() -> str:
    """The notice above a text shown as typed (markdown.PLAIN_NOTICE, translated)."""
    return _("This text could not be formatted in time: it is shown as typed.")


def render_preview(text: str, reader: visibility.Reader) -> str:
    """The editor's live preview: rendered as the page will be for `reader`, never cached."""
    resolver = functools.partial(wikilink_targets_resolved, reader=reader)
    return markdown.render(text, resolver=resolver, notice=plain_notice())


def _render(text: str, reader: visibility.Reader) -> str:
    return _render_result(text, reader).html


def _render_result(text: str, reader: visibility.Reader) -> markdown.Rendered:
    resolver = functools.partial(wikilink_targets_resolved, reader=reader)
    rendered = markdown.render_result(text, resolver=resolver, notice=plain_notice())
    if not rendered.complete:
        logger.warning("Markdown text of %s characters shown as plain text", len(text))
    return rendered
