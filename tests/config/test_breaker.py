"""The one circuit breaker (Redis cache, Elasticsearch): after a failure the service is skipped
for `retry_after` seconds; an outage lasts until a success ends it, reported once."""

import time

from config.breaker import CircuitBreaker
from search import connection


def test_a_failure_opens_it_and_a_success_ends_the_outage_once():
    breaker = CircuitBreaker(60)
    assert breaker.allow() and not breaker.tripped and not breaker.success()
    assert breaker.failure() is True  # starts an outage: logged once
    assert breaker.failure() is False
    assert not breaker.allow() and breaker.tripped
    assert breaker.success() is True  # it ended an outage: caches forget, search catches up
    assert breaker.success() is False
    assert breaker.allow() and not breaker.tripped


def test_it_lets_a_call_try_again_once_retry_after_has_passed():
    breaker = CircuitBreaker(0.05)
    breaker.failure()
    assert not breaker.allow()
    deadline = time.monotonic() + 2
    while not breaker.allow() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert breaker.allow() and breaker.tripped  # half-open: still an outage until a success


def test_search_reads_its_retry_delay_from_the_settings_at_each_failure(settings):
    settings.SEARCH_RETRY_AFTER = 60
    assert connection.breaker.retry_after == 60
    settings.SEARCH_RETRY_AFTER = 0
    connection.breaker.reset()
    connection.breaker.failure()
    assert connection.breaker.allow()
    connection.breaker.reset()
