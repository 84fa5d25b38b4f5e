"""The circuit breaker: after a failure the node is not asked for SEARCH_RETRY_AFTER seconds;
the outage lasts until a success ends it."""

from search.connection import Breaker


def test_the_breaker_opens_on_a_failure_and_a_success_ends_the_outage(settings):
    settings.SEARCH_RETRY_AFTER = 60
    breaker = Breaker()
    assert breaker.allow() and not breaker.tripped and not breaker.success()
    breaker.failure()
    assert not breaker.allow() and breaker.tripped
    assert breaker.success() is True  # it ended an outage: queued changes need indexing
    assert breaker.allow() and not breaker.tripped
