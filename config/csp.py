"""Content-Security-Policy: a strict policy for the site, its own one for the admin.

The site's templates load every script and style from our static files, so the public policy
allows no inline script, no inline style and no other origin. Wagtail's admin (and Django's)
still ship inline scripts (date widgets, inline panels, search promotions) and style
attributes, so /admin/ and /django-admin/ get a policy of their own that allows inline code but
still nothing from another origin, no plugins, no <base>, and only same-origin framing (page
previews)."""

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts

ADMIN_PREFIXES = ("/admin/", "/django-admin/")

ADMIN_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "frame-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
}


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin policy on the admin paths."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(ADMIN_PREFIXES)
        ):
            parts.config = ADMIN_POLICY
        return parts
