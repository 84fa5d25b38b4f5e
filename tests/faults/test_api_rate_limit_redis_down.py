"""The read API's rate limit is counted in Redis and fails soft: Redis down lets requests
through (and costs no error), as the cache does."""

import pytest
from django.test import override_settings

from tests.faults.conftest import closed_port_url, redis_at

pytestmark = pytest.mark.django_db


@override_settings(API_RATE_LIMIT=(2, 3600))
def test_with_redis_refusing_connections_the_api_serves_without_a_limit(client):
    with redis_at(closed_port_url()):
        statuses = [
            client.get("/api/v1/referentiels/", REMOTE_ADDR="192.0.2.20").status_code
            for _ in range(5)
        ]
    assert statuses == [200] * 5
