import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db


def test_migrations_applied_on_postgresql():
    assert connection.vendor == "postgresql", "tests must run on PostgreSQL (make test)"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations WHERE app = 'wiki'")
        assert cursor.fetchone()[0] >= 1


def test_no_missing_migrations():
    # Exits with SystemExit(1) when a model change has no migration.
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)
