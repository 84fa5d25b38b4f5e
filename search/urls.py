"""Public search URLs (French path for the page, /api/ for JSON)."""

from django.urls import path

from search import views

app_name = "search"
urlpatterns = [
    path("recherche/", views.search_page, name="page"),
    path("api/search/", views.search_api, name="api"),
    path("api/search/autocomplete/", views.autocomplete_api, name="autocomplete"),
    path("recherche/proches/", views.related_fragment, name="related"),
]
