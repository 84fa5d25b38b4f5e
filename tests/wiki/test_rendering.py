"""The rendering cache: a plain-text fallback kept only briefly, links never served stale."""

import hashlib

import pytest
from django.core.cache import cache

from tests.wiki.history_support import socle_competency
from wiki import rendering, visibility

pytestmark = pytest.mark.django_db

SLOW = "".join("`" * k + "a" for k in range(1, 300))  # cut by the parse deadline


def test_a_fallback_is_cached_for_minutes_not_a_day(monkeypatch):
    timeouts = []
    real_set = cache.set
    monkeypatch.setattr(
        rendering.cache,
        "set",
        lambda key, value, timeout: timeouts.append(timeout) or real_set(key, value, timeout),
    )
    assert "mis en forme" in rendering.render_markdown(SLOW + " unique-1")
    assert "<strong>" in rendering.render_markdown("**gras** unique-2")
    assert timeouts == [rendering.INCOMPLETE_TTL_SECONDS, rendering.TTL_SECONDS]


def test_a_cached_rendering_follows_its_link_targets():
    """A fragment is cached, but a link whose target is unpublished turns red at once, and
    blue again when the page is published (the links version moves)."""
    page = socle_competency()
    text = f"Voir [[{page.code}]] (cache-invalidation)"
    first = rendering.render_markdown(text)
    assert 'class="wikilink"' in first
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
    audience = visibility.audience_key(visibility.PUBLIC)
    key = f"wiki:md:{rendering.links_version()}:{audience}:{digest}"
    assert cache.get(key) == first  # cached
    page.unpublish()
    assert "wikilink--missing" in rendering.render_markdown(text)
    page.get_latest_revision().publish()
    assert 'class="wikilink"' in rendering.render_markdown(text)
