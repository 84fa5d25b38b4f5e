"""Search tests run against the real Elasticsearch node, under this run's index prefix."""

import threading

import pytest
from django.contrib.auth import get_user_model

from search.backends import breaker


@pytest.fixture(scope="session")
def search_index(elasticsearch, django_db_setup, django_db_blocker):
    """The seeded pages, indexed once per session; the prefix's indices and template are
    dropped at the end."""
    from search.indexing import index_drop_all, index_rebuild

    with django_db_blocker.unblock():
        index_rebuild()
    yield
    index_drop_all()


@pytest.fixture
def reindexed_after(search_index, django_db_blocker):
    """For tests that index uncommitted changes (rolled back afterwards): rebuild the index
    from the committed database once the test is over. This teardown runs before the test's
    transaction is rolled back, so the rebuild reads through a connection of its own (another
    thread), which does not see the test's changes."""
    yield
    from django.db import connection

    from search.indexing import index_rebuild

    failures = []

    def rebuild():
        try:
            index_rebuild()
        except Exception as error:  # noqa: BLE001 - re-raised in the test's thread
            failures.append(error)
        finally:
            connection.close()

    with django_db_blocker.unblock():
        thread = threading.Thread(target=rebuild)
        thread.start()
        thread.join(120)
    if failures:
        raise failures[0]


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
