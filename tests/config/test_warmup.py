"""Each ASGI process loads its views and opens its database pool at start, not in the first
requests (a burst of ballots after a restart queued behind weasyprint's import)."""

from tests.config.test_settings import run_python

CHECK = (
    "import sys; import config.asgi; from django.db import connections; "
    "pools = type(connections['default'])._connection_pools; "
    "print('config.urls' in sys.modules, 'weasyprint' in sys.modules, "
    "bool(pools) and not pools['default'].closed)"
)
ENV = {
    "DATABASE_URL": "postgres://wiki:wiki@127.0.0.1:5432/wiki",
    "SECRET_KEY": "x",
    "PSEUDONYM_KEY": "y",
    "ALLOWED_HOSTS": "localhost",
}


def test_the_asgi_application_loads_every_view_and_opens_its_pool_at_start():
    result = run_python(CHECK, "config.settings.production", DATABASE_POOL_MAX="2", **ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True"]


def test_without_a_pool_nothing_is_opened_at_start():
    result = run_python(CHECK, "config.settings.production", **ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "False"]


def test_a_database_down_at_start_does_not_stop_the_process():
    env = {**ENV, "DATABASE_URL": "postgres://wiki:wiki@127.0.0.1:1/wiki"}
    result = run_python(
        CHECK.replace("print(", "print('started', "),
        "config.settings.production",
        DATABASE_POOL_MAX="2",
        DATABASE_POOL_TIMEOUT="1",
        **env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "started"
