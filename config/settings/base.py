"""Settings shared by every mode. Each value comes from the environment, with the embedded
default (SQLite, in-memory channel layer, Wagtail's database search) when it is absent."""

from datetime import date, timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# `site/` is not a Python package (stdlib name clash): it only holds templates, static, locale.
SITE_DIR = BASE_DIR / "site"
FIXTURES_DIR = BASE_DIR / "fixtures"

SECRET_KEY = env_str("SECRET_KEY")
# Keys the Delphi exports' pseudonyms (with a random salt per study); separate from SECRET_KEY
# so that rotating one does not change the other, and holding one does not recompute them.
PSEUDONYM_KEY = env_str("PSEUDONYM_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    "wiki",
    "consensus",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "simple_history",
    "channels",
    "axes",
    "corsheaders",
    "ninja",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.csp.SiteCSPMiddleware",
    # Before anything that may answer (CORS_URLS_REGEX limits it to the read-only APIs).
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above the page cache (its hits are compressed too), for anonymous requests only (BREACH).
    "config.compression.AnonymousGZipMiddleware",
    # Anonymous views of published pages, answered before sessions and authentication.
    "wiki.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.locale.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as its documentation asks: turns a lockout into the French lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wiki.context_processors.notifications",
                "wiki.context_processors.contributor",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
# Under ASGI every sync request runs in its own thread with its own connection: a burst of
# requests (panelists submitting at the same minute) would open one connection each, pay the
# authentication handshake each time and run past PostgreSQL's max_connections. A psycopg pool
# bounds them per process and reuses them; requests beyond it wait for a free connection.
# A burst (200 panelists submitting at the same instant) queues for them: the wait allowed is
# longer than such a burst takes to drain (a few seconds), so the last ones wait rather than fail
# with "couldn't get a connection"; and they are all opened at start (min = max, within the
# processes x pool budget anyway), so a burst after a quiet hour pays no connection handshakes.
DATABASE_POOL_MAX = env_int("DATABASE_POOL_MAX", 0)
if DATABASE_POOL_MAX and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps them; Django must not
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": min(env_int("DATABASE_POOL_MIN", DATABASE_POOL_MAX), DATABASE_POOL_MAX),
        "max_size": DATABASE_POOL_MAX,
        "timeout": env_int("DATABASE_POOL_TIMEOUT", 30),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------- Redis: cache, sessions, channels
# Redis is an accelerator, never a dependency: with it down, pages, logins and ballots are served
# from the database (config/cache.py, fail-soft cache) and live updates pause (broadcasts log a
# warning). Short timeouts bound what a dead Redis costs; the cache's breaker then skips it for
# CACHE_RETRY_AFTER seconds. /healthz reports "degraded" meanwhile.
REDIS_URL = env_str("REDIS_URL")
REDIS_CONNECT_TIMEOUT = float(env_str("REDIS_CONNECT_TIMEOUT", "0.3"))
REDIS_SOCKET_TIMEOUT = float(env_str("REDIS_SOCKET_TIMEOUT", "0.5"))
CACHE_RETRY_AFTER = float(env_str("CACHE_RETRY_AFTER", "5"))
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # No read timeout here: a consumer's receive blocks on Redis for seconds by design.
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "socket_connect_timeout": REDIS_CONNECT_TIMEOUT}]
            },
        },
        # Live broadcasts to many sockets (« Modifications récentes »): Redis pub/sub, one
        # PUBLISH per group that each process receives once and hands to its own sockets,
        # where the default layer queues one message per socket. Nothing is kept for a socket
        # that is not listening (fine for live rows: the page itself is the record).
        "live": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "socket_connect_timeout": REDIS_CONNECT_TIMEOUT}]
            },
        },
    }
    CACHES = {
        "default": {
            "BACKEND": "config.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "wiki"),
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
                "retry_after": CACHE_RETRY_AFTER,
            },
        }
    }
    # Sessions read from Redis, written through to the database: a miss (Redis restarted or
    # down) reads the database, so nobody is logged out by a Redis outage.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer"},
        "live": {"BACKEND": "channels.layers.InMemoryChannelLayer"},
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# ---------------------------------------------------------------- end of the Redis block

# Full-page cache of anonymous views of published pages (wiki/page_cache.py): kept fresh by the
# links version; this bounds what no signal reports (0 switches it off).
WIKI_PAGE_CACHE_SECONDS = env_int("WIKI_PAGE_CACHE_SECONDS", 300)
# The reader-independent fragments of a page view (article, breadcrumb: wiki/fragments.py), for
# every audience, signed in or not; fresh by revision and links version, bounded by this too.
WIKI_FRAGMENT_CACHE_SECONDS = env_int("WIKI_FRAGMENT_CACHE_SECONDS", 300)

# Search: our own index (search/ app, elasticsearch-dsl) and Wagtail's admin search backend.
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL")
SEARCH_INDEX_PREFIX = env_str("SEARCH_INDEX_PREFIX", "wiki")
SEARCH_TIMEOUT = float(env_str("SEARCH_TIMEOUT", "2"))
# After Elasticsearch fails, search the database for this many seconds before asking it again.
SEARCH_RETRY_AFTER = float(env_str("SEARCH_RETRY_AFTER", "5"))
# The first request of the indexing that follows a commit, in the request: a node that accepts
# connections and never answers costs this once, then nothing for SEARCH_RETRY_AFTER.
SEARCH_PROBE_TIMEOUT = float(env_str("SEARCH_PROBE_TIMEOUT", "0.5"))
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch8",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX_PREFIX": f"{SEARCH_INDEX_PREFIX}_wagtail_",
            # Not from Wagtail's signal handlers, inside the request: the outbox keeps this
            # index up to date after commit, behind the breaker (search/indexing.py).
            "AUTO_UPDATE": False,
            "TIMEOUT": 10,
            "OPTIONS": {},
            "INDEX_SETTINGS": {},
        }
    }
else:
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The site's own sign-in page (French, the site's layout, a way back); Wagtail's admin keeps its
# own. Both go through authenticate(request=...), so django-axes throttles both.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# --- Login throttling (django-axes) -------------------------------------------------------
# Both login pages (/admin/login/ for Wagtail, /django-admin/ for Django's admin) go through
# django.contrib.auth.authenticate(request=...), where AxesStandaloneBackend refuses a locked
# out client before any password is checked. Failures are counted per account and per address
# separately (either one locks): guessing one account's password from many addresses, or many
# accounts' passwords from one address, both stop after AXES_FAILURE_LIMIT tries. Attempts
# live in the database (works on SQLite in the demo, survives a Redis outage). Behind a proxy
# the client address is REMOTE_ADDR unless AXES_IPWARE_* says otherwise (production.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# --- end of login throttling ---------------------------------------------------------------

# --- Content-Security-Policy (django-csp 4) ------------------------------------------------
# Strict on the site: scripts, styles, images, fonts and connections (fetch, WebSocket: CSP3
# browsers count ws:/wss: to the page's own host as 'self') from our origin only, nothing
# inline. The admin paths get config.csp.ADMIN_POLICY instead (Wagtail needs inline code).
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# --- end of Content-Security-Policy --------------------------------------------------------

# French first; English through Django i18n.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [SITE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [SITE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "wiki-ia-sanses@localhost")

WAGTAIL_SITE_NAME = "Wiki IA_SaNSeS"
# No Gravatar in the admin: it would send a hash of each account's e-mail to a third party, and
# the admin's Content-Security-Policy (img-src 'self') blocks it anyway. Initials are shown.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The référentiel lifecycle is a workflow that lasts years: publishing a page during it must not
# cancel it (a vote in progress would start over), and its end publishes without asking the
# last voter for publish rights (consensus/workflow_actions.py).
WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH = False
WAGTAIL_FINISH_WORKFLOW_ACTION = "consensus.workflow_actions.workflow_finished"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024

# The IA_SaNSeS programme's start: the national dashboard's plan counts the phases' months
# (fixtures/phases.json) from it. An ISO date; a malformed one stops the process at start.
PROGRAMME_START = date.fromisoformat(env_str("PROGRAMME_START", "2025-01-01"))

# The read API (/api/v1/, config/api.py) and the CASE endpoints are open to other sites for
# reading: any origin, GET only, no credentials. A rate per client address: requests per window
# of seconds (counted in the cache; a cache outage lets requests through).
CORS_URLS_REGEX = r"^/(api/v1|ims/case/v1p1)/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_EXPOSE_HEADERS = ("Retry-After",)
API_RATE_LIMIT = (env_int("API_RATE_LIMIT", 300), env_int("API_RATE_WINDOW", 60))

# Demo accounts get a usable password only where this is set (the demo settings).
DEMO_PASSWORD = None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A 403 or 404 is the site answering as it should: one line, no traceback.
    "filters": {"client_errors_short": {"()": "config.log_filters.ClientErrorsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_errors_short"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # Django's own console handler (DEBUG only) would print each record a second time, with
    # its traceback: Django's records go to the root handler only.
    "loggers": {"django": {"handlers": [], "propagate": True}},
}
