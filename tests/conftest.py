"""Shared fixtures. Tests use the real services started by `make services`; a missing service
is a failure with a clear message, never a skip."""

import threading

import pytest
from django.conf import settings


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the initial data once into the test database for the non-transactional tests."""
    from django.db import connections

    from wiki.services.seeding import initial_data_load

    with django_db_blocker.unblock():
        initial_data_load()
        # Snapshot the seeded database: transactional tests restore it (serialized rollback)
        # after Django flushes the tables, far faster than loading the seed again.
        for connection in connections.all():
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()
    yield
    # Threads of async tests (database_sync_to_async) may still hold a connection, which would
    # stop pytest-django from dropping the test database.
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "asgi_server", "seeded"}


def pytest_collection_modifyitems(items):
    """Every transactional test restores the seeded snapshot (serialized rollback).

    Mixing them with plain transactional tests would break the restore: their flush re-creates
    content types and permissions with new ids, which the snapshot then collides with."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
            TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ()))
        )
        if transactional:
            kwargs = {**(marker.kwargs if marker else {}), "transaction": True}
            kwargs["serialized_rollback"] = True
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.fixture
def seeded(transactional_db):
    """For transactional tests (live server, consumers): the seeded database, restored from the
    session snapshot after Django flushed the tables."""


@pytest.fixture(scope="session")
def elasticsearch():
    from search.connection import client, elasticsearch_available

    if not elasticsearch_available():
        pytest.fail(
            f"Elasticsearch is not reachable at {settings.ELASTICSEARCH_URL}: "
            "start it with `make services` (services/up.sh elasticsearch)."
        )
    yield client()


@pytest.fixture(scope="session", autouse=True)
def _this_runs_indices_dropped():
    """Every index this run created carries its prefix, including those Wagtail's own signal
    handlers create when a test saves a page without asking for Elasticsearch: drop them all
    at the end, whichever tests ran."""
    yield
    if not settings.ELASTICSEARCH_URL:
        return
    from search.connection import client

    try:
        client().indices.delete(
            index=f"{settings.SEARCH_INDEX_PREFIX}*",
            ignore_unavailable=True,
            allow_no_indices=True,
        )
    except Exception as error:  # noqa: BLE001 - a node that is down has nothing to drop
        print(f"could not drop this run's indices: {error}")


@pytest.fixture(scope="session")
def redis_url():
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
    except Exception as error:  # noqa: BLE001 - report whatever the client raised
        pytest.fail(
            f"Redis is not reachable at {settings.REDIS_URL}: {error}. Run `make services`."
        )
    return settings.REDIS_URL


@pytest.fixture
def user_factory(db):
    from tests.factories.accounts import UserFactory

    return UserFactory


# Search fixtures (search tests, and the visibility matrix of tests/wiki).


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
