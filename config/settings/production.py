"""Production: refuses to start without SECRET_KEY, PSEUDONYM_KEY and ALLOWED_HOSTS."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set in the environment in production "
        "(for the demo: DJANGO_SETTINGS_MODULE=config.settings.dev, as `make demo` does)."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in the environment in production.")
PSEUDONYM_KEY = env_str("PSEUDONYM_KEY")
if not PSEUDONYM_KEY:
    raise ImproperlyConfigured("PSEUDONYM_KEY must be set in the environment in production.")

# Behind a TLS-terminating proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# /healthz must answer the proxy's plain-HTTP probe.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Login throttling behind the proxy (django-axes) -----------------------------------------
# The client address is REMOTE_ADDR (the proxy's, behind a proxy) unless TRUSTED_PROXY_COUNT says
# how many proxies the deployment has: then it is read from X-Forwarded-For, which the proxy
# must set (overwrite, not append to what the client sent). Without it every login shares the
# proxy's address, and the per-address lockout would lock everyone out at once.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
