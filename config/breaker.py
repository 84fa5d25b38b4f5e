"""One circuit breaker for every service the site can live without for a while (the Redis
cache, Elasticsearch): after a failure, skip the service for `retry_after` seconds, so an outage
costs one timeout per period and process instead of one per call.

Closed: calls go through. After a failure: open until `retry_after` has passed, then the next
call tries again, and a success closes it. `failure()` and `success()` say whether they start or
end an outage, so the caller logs it once and catches up (a cache forgets stale keys, search
indexes what was queued)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class CircuitBreaker:
    """`retry_after` is a number of seconds, or a callable read at each failure (so a setting
    can change it, as tests do)."""

    def __init__(self, retry_after: float | Callable[[], float]) -> None:
        self._retry_after = retry_after
        self._lock = threading.Lock()
        self._open_until = 0.0
        self._tripped = False

    @property
    def retry_after(self) -> float:
        value = self._retry_after
        return float(value() if callable(value) else value)

    @property
    def tripped(self) -> bool:
        """A failure was seen and no success has ended the outage yet."""
        return self._tripped

    def allow(self) -> bool:
        return time.monotonic() >= self._open_until

    def failure(self) -> bool:
        """Open it; True when this starts an outage."""
        retry_after = self.retry_after
        with self._lock:
            started = not self._tripped
            self._open_until = time.monotonic() + retry_after
            self._tripped = True
        return started

    def success(self) -> bool:
        """Close it; True when this ends an outage."""
        if not self._tripped:
            return False
        with self._lock:
            ended, self._tripped, self._open_until = self._tripped, False, 0.0
        return ended

    def reset(self) -> None:
        with self._lock:
            self._open_until, self._tripped = 0.0, False
