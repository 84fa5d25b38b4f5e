"""/tableau-de-bord/: the national dashboard (public)."""

from django.urls import path

from consensus.views import dashboard

app_name = "dashboard"

urlpatterns = [
    path("", dashboard.national_dashboard, name="national"),
]
