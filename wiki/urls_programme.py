"""/programme/…: the programme's public reference pages (French slugs)."""

from django.urls import path

from wiki.views import programme

app_name = "programme"

urlpatterns = [
    path("", programme.programme_index, name="index"),
    path("phases/", programme.programme_phases, name="phases"),
    path("laureats-ami-cma/", programme.ami_cma_laureates, name="ami-cma"),
    path("universites/", programme.plan_universities, name="universities"),
    path("etu-e-sante/", programme.etu_esante, name="etu"),
    path("matrice-socle/", programme.socle_matrix, name="socle-matrix"),
]
