"""The Delphi pseudonyms have their own key: production refuses to start without it."""

from tests.config.test_settings import PRINT_SETTINGS, run_python

PRODUCTION_ENV = {"SECRET_KEY": "prod-" + "k3y!" * 16, "ALLOWED_HOSTS": "wiki.example.org"}


def test_production_refuses_to_start_without_a_pseudonym_key():
    result = run_python(PRINT_SETTINGS, "config.settings.production", **PRODUCTION_ENV)
    assert result.returncode != 0
    assert "PSEUDONYM_KEY must be set" in result.stderr


def test_production_reads_the_pseudonym_key_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.PSEUDONYM_KEY)"
    )
    result = run_python(
        code, "config.settings.production", PSEUDONYM_KEY="p" * 40, **PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "p" * 40


def test_dev_and_test_settings_provide_a_pseudonym_key_distinct_from_secret_key():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(bool(s.PSEUDONYM_KEY) and s.PSEUDONYM_KEY != s.SECRET_KEY)"
    )
    for module in ("config.settings.dev", "config.settings.test"):
        result = run_python(code, module)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "True", module
