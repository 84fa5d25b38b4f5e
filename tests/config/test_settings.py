"""Each settings mode loads in a clean interpreter with only its environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLEAN_KEYS = (
    "DATABASE_URL",
    "REDIS_URL",
    "ELASTICSEARCH_URL",
    "SECRET_KEY",
    "PSEUDONYM_KEY",
    "ALLOWED_HOSTS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def run_python(code: str, settings: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in CLEAN_KEYS}
    environment.update({"DJANGO_SETTINGS_MODULE": settings, **env})
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.CHANNEL_LAYERS['default']['BACKEND'], "
    "s.WAGTAILSEARCH_BACKENDS['default']['BACKEND'], s.LANGUAGE_CODE, s.TIME_ZONE, s.DEBUG)"
)


def test_dev_settings_use_embedded_defaults():
    result = run_python(PRINT_SETTINGS, "config.settings.dev")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "channels.layers.InMemoryChannelLayer",
        "wagtail.search.backends.database",
        "fr",
        "Europe/Paris",
        "True",
    ]


def test_test_settings_use_real_services():
    result = run_python(PRINT_SETTINGS, "config.settings.test")
    assert result.returncode == 0, result.stderr
    engine, layer, search, *_ = result.stdout.split()
    assert engine == "django.db.backends.postgresql"
    assert layer == "channels_redis.core.RedisChannelLayer"
    assert search == "wagtail.search.backends.elasticsearch8"


@pytest.mark.parametrize(
    ("env", "missing"),
    [({}, "SECRET_KEY"), ({"SECRET_KEY": "x" * 60}, "ALLOWED_HOSTS")],
)
def test_production_refuses_to_start_without_secrets(env, missing):
    result = run_python(PRINT_SETTINGS, "config.settings.production", **env)
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_production_check_deploy_is_clean():
    environment = {k: v for k, v in os.environ.items() if k not in CLEAN_KEYS}
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="prod-" + "k3y!" * 16,
        PSEUDONYM_KEY="pseudo-" + "k3y!" * 16,
        ALLOWED_HOSTS="wiki.example.org",
        DATABASE_URL="postgres://wiki:wiki@127.0.0.1:5432/wiki",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _without_settings_module() -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in CLEAN_KEYS}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return environment


def test_the_asgi_entry_point_defaults_to_production_and_refuses_without_secrets():
    # What `uvicorn config.asgi:application` does with no settings named: never the demo.
    result = subprocess.run(
        [sys.executable, "-c", "import config.asgi"],
        cwd=ROOT,
        env=_without_settings_module(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set" in result.stderr


def test_manage_py_defaults_to_production_and_refuses_without_secrets():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_without_settings_module(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set" in result.stderr


def test_the_asgi_entry_point_serves_production_settings_when_configured():
    environment = _without_settings_module()
    environment.update(
        SECRET_KEY="prod-" + "k3y!" * 16,
        ALLOWED_HOSTS="wiki.example.org",
        PSEUDONYM_KEY="pseudo-" + "k3y!" * 16,
    )
    code = "import config.asgi; from django.conf import settings; print(settings.DEBUG)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False"]


def test_the_database_pool_is_opened_whole_and_lets_a_burst_wait():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "p = s.DATABASES['default']['OPTIONS']['pool']; "
        "print(p['min_size'], p['max_size'], p['timeout'])"
    )
    url = "postgres://wiki:wiki@127.0.0.1:5432/wiki"
    result = run_python(code, "config.settings.dev", DATABASE_URL=url, DATABASE_POOL_MAX="8")
    assert result.returncode == 0, result.stderr
    min_size, max_size, timeout = map(int, result.stdout.split())
    # Every connection opened at start; a queue longer than a burst of ballots takes to drain.
    assert (min_size, max_size) == (8, 8)
    assert timeout >= 30
    result = run_python(
        code, "config.settings.dev", DATABASE_URL=url, DATABASE_POOL_MAX="8",
        DATABASE_POOL_MIN="2", DATABASE_POOL_TIMEOUT="5",
    )  # fmt: skip
    assert result.stdout.split() == ["2", "8", "5"], result.stderr
