from django.urls import path

from wiki import views

app_name = "wiki"
urlpatterns = [
    path("page-demandee/", views.missing_page, name="missing-page"),
]
