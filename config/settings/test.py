"""Tests run against the real services started by `make services` (services/up.sh).

Each test run gets its own database, channel-layer prefix, cache prefix and index prefix, so
that concurrent runs (developers, CI, benchmarks) never see each other's data. The run id is
exported, so an ASGI server started by a test (tests/e2e) shares them."""

import os

RUN_ID = os.environ.setdefault("TEST_RUN_ID", str(os.getpid()))
os.environ.setdefault("DATABASE_URL", "postgres://wiki:wiki@127.0.0.1:5432/wiki")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")
os.environ.setdefault("ELASTICSEARCH_URL", "http://127.0.0.1:9200")
os.environ.setdefault("SEARCH_INDEX_PREFIX", f"test{RUN_ID}")
os.environ.setdefault("CACHE_KEY_PREFIX", f"test{RUN_ID}")

from .base import *  # noqa: E402, F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
PSEUDONYM_KEY = "test-only-pseudonym-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files straight from the apps' folders: no collectstatic before tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Tests share one cache per run while each rolls its database back: the full-page cache is on
# only in the tests that ask for it (tests/wiki/test_page_cache.py).
WIKI_PAGE_CACHE_SECONDS = 0
WIKI_FRAGMENT_CACHE_SECONDS = 0  # on in tests/wiki/test_fragments.py
DATABASES["default"]["TEST"] = {"NAME": f"test_wiki_{RUN_ID}"}  # noqa: F405
for _layer in CHANNEL_LAYERS.values():  # noqa: F405
    if "CONFIG" in _layer:
        _layer["CONFIG"]["prefix"] = f"test{RUN_ID}"
# An edition's files are not built after its publication in the tests (a thread would outlive
# the test's database); tests of that building set « now ».
EDITION_FILES_AFTER_PUBLICATION = "off"
