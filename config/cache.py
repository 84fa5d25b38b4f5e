"""A Redis cache that fails soft: when Redis cannot be reached, the cache behaves as an empty
one (reads miss, writes are dropped) instead of raising into the request.

Everything the site caches can be rebuilt from the database: Wagtail's site root paths, the
rendered Markdown fragments, and the sessions (`cached_db` reads the database on a miss and
writes through to it). So with Redis down pages, logins and ballots keep working, only slower.

- Short socket timeouts (settings `REDIS_CONNECT_TIMEOUT`, `REDIS_SOCKET_TIMEOUT`) bound what one
  call can cost; a circuit breaker then skips Redis for `retry_after` seconds, so a dead Redis
  costs one timeout per period and process, not one per call.
- Keys this process wrote or deleted while Redis was unreachable may hold stale values when it
  comes back (a session logged out during the outage would otherwise come back to life): they
  are remembered and deleted on the first call that reaches Redis again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from config.breaker import CircuitBreaker

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
# Beyond this many keys written during an outage, the oldest are forgotten (they expire).
MISSED_KEYS_MAX = 10_000


class FailSoftRedisCache(RedisCache):
    """Django's RedisCache, where an unreachable Redis is a miss. OPTIONS takes `retry_after`
    (seconds the breaker stays open) besides the redis-py connection pool options."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        retry_after = float(options.pop("retry_after", 5.0))
        super().__init__(server, {**params, "OPTIONS": options})
        self.breaker = CircuitBreaker(retry_after)
        self._missed: dict[str, None] = {}  # insertion-ordered set of full keys
        self._missed_lock = threading.Lock()

    # ------------------------------------------------------------ the fail-soft call

    def _call(self, method, *args: Any, written: Iterable[str] = (), fallback: Any = None):
        """Run `self._cache.<method>(*args)` (or `method(*args)` when it is a function);
        `written` are the (full) keys the call changes."""
        if not self.breaker.allow():
            self._remember(written)
            return fallback
        try:
            if self.breaker.tripped:
                self._forget_missed()  # before anything can read a stale value
            call = method if callable(method) else getattr(self._cache, method)
            result = call(*args)
        except UNREACHABLE as error:
            self._remember(written)
            if self.breaker.failure():
                logger.warning("Redis cache unreachable, serving without cache: %s", error)
            return fallback
        if self.breaker.success():
            logger.warning("Redis cache reachable again")
        return result

    def _remember(self, keys: Iterable[str]) -> None:
        keys = list(keys)
        if not keys:
            return
        with self._missed_lock:
            for key in keys:
                self._missed.pop(key, None)
                self._missed[key] = None
            while len(self._missed) > MISSED_KEYS_MAX:
                self._missed.pop(next(iter(self._missed)))

    def _forget_missed(self) -> None:
        """Delete what may be stale: the keys this process could not write or delete while
        Redis was unreachable. Raises (and keeps them) when it still is."""
        with self._missed_lock:
            keys, self._missed = list(self._missed), {}
        if not keys:
            return
        try:
            self._cache.delete_many(keys)
        except UNREACHABLE:
            self._remember(keys)
            raise

    def ping(self) -> bool:
        """Ask Redis itself, whatever the breaker says (the health probe). A success closes
        the breaker."""
        try:
            self._cache.get_client(write=False).ping()
            if self.breaker.tripped:
                self._forget_missed()
        except UNREACHABLE:
            self.breaker.failure()
            return False
        self.breaker.success()
        return True

    # ------------------------------------------------------------ BaseCache API

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        timeout = self.get_backend_timeout(timeout)
        return self._call("add", key, value, timeout, written=[key], fallback=False)

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._call("get", key, default, fallback=default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        key = self.make_and_validate_key(key, version=version)
        self._call("set", key, value, self.get_backend_timeout(timeout), written=[key])

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        return self._call("touch", key, self.get_backend_timeout(timeout), fallback=False)

    def delete(self, key, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        return self._call("delete", key, written=[key], fallback=False)

    def get_many(self, keys, version=None) -> dict:
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}
        found = self._call("get_many", list(key_map), fallback={})
        return {key_map[key]: value for key, value in found.items()}

    def has_key(self, key, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        return self._call("has_key", key, fallback=False)

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        missing = object()
        result = self._call("incr", key, delta, written=[key], fallback=missing)
        if result is missing:  # as for any missing key
            raise ValueError(f"Key '{key}' not found.")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None) -> list:
        if not data:
            return []
        safe_data = {self.make_and_validate_key(key, version=version): v for key, v in data.items()}
        timeout = self.get_backend_timeout(timeout)
        failed = object()
        written = list(safe_data)
        result = self._call("set_many", safe_data, timeout, written=written, fallback=failed)
        return list(data) if result is failed else []

    def delete_many(self, keys, version=None) -> None:
        keys = [self.make_and_validate_key(key, version=version) for key in keys]
        if keys:
            self._call("delete_many", keys, written=keys)

    def clear(self) -> bool:
        """Delete this cache's keys (those under its KEY_PREFIX), not the whole Redis database:
        Django's RedisCache.clear() is FLUSHDB, which would also wipe the channel layer and the
        caches of every other site, run or benchmark sharing that Redis."""
        pattern = f"{_glob_escape(self.key_prefix)}:*"

        def delete_prefixed() -> bool:
            client = self._cache.get_client(None, write=True)
            batch = []
            for key in client.scan_iter(match=pattern, count=1000):
                batch.append(key)
                if len(batch) >= 1000:
                    client.unlink(*batch)
                    batch.clear()
            if batch:
                client.unlink(*batch)
            return True

        return bool(self._call(delete_prefixed, fallback=False))


def _glob_escape(text: str) -> str:
    """`text` matched literally by a Redis MATCH pattern."""
    return "".join(f"\\{char}" if char in "*?[]\\" else char for char in text)
