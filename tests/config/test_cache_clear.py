"""cache.clear() empties this site's cache only: the Redis database is shared (channel layer,
other runs, other sites), so keys outside the cache's KEY_PREFIX survive it (real Redis)."""

import uuid

import redis
from django.conf import settings
from django.core.cache import cache


def test_clearing_the_cache_keeps_the_other_keys_of_the_redis_database(redis_url):
    other = redis.Redis.from_url(settings.REDIS_URL)
    outsider = f"not-this-cache:{uuid.uuid4().hex}"
    other.set(outsider, "kept", ex=60)
    cache.set("entry", "cached")
    try:
        assert cache.clear()
        assert cache.get("entry") is None
        assert other.get(outsider) == b"kept"
    finally:
        other.delete(outsider)
