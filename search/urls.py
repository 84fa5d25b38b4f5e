"""Public search URLs (filled in by the search issue)."""

app_name = "search"
urlpatterns: list = []
