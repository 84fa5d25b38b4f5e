"""Search tests run against the real Elasticsearch node, under this run's index prefix."""

import pytest
from django.contrib.auth import get_user_model

from search.connection import breaker


@pytest.fixture(autouse=True)
def _breaker_closed():
    """Each test starts with Elasticsearch considered reachable."""
    breaker.reset()
    yield
    breaker.reset()


def account(username: str):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def cerf_editor(db):
    return account("editeur.radiologie")


@pytest.fixture
def cnge_editor(db):
    return account("editeur.medecine-generale")


@pytest.fixture
def patroller(db):
    return account("patrouilleur")
