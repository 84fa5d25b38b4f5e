"""The rendering cache keeps a plain-text fallback only briefly."""

import pytest
from django.core.cache import cache

from wiki import rendering

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
