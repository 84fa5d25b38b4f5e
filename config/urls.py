from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.api import api
from config.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # The language switch only sets the language cookie: a forged post can do no more than
    # switch a visitor's language. Without a CSRF token the anonymous pages hold nothing of a
    # visitor and can be cached whole (wiki/page_cache.py).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "connexion/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("wiki/", include("wiki.urls")),
    path("consensus/", include("consensus.urls")),
    path("programme/", include("wiki.urls_programme")),
    path("referentiels/", include("wiki.urls_referentiels")),
    path("tableau-de-bord/", include("consensus.urls_dashboard")),
    path("ims/case/v1p1/", include("wiki.urls_case")),
    path("api/v1/", api.urls),
    path("", include("search.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page tree last: it catches every remaining path. Not under i18n_patterns: with an
# unprefixed default language, LocaleMiddleware forces French on every path outside them
# (search, recent changes, consensus). The reader's language is their choice (the language
# cookie set by /i18n/setlang/), the same on every page.
urlpatterns += [path("", include(wagtail_urls))]
