"""The demo: one machine, embedded defaults (SQLite, in-memory channels, database search)."""

from config.env import env_str

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = env_str("SECRET_KEY", "demo-only-insecure-key-never-use-in-production")
PSEUDONYM_KEY = env_str("PSEUDONYM_KEY", "demo-only-pseudonym-key-never-use-in-production")
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Demo accounts only: the same password for each demo role, printed by `make demo`.
DEMO_PASSWORD = "demo-sanses-2026"
