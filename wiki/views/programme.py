"""The programme's public pages: phases, AMI-CMA laureates, universities of the plan, ETU
e-Santé. Filters are plain GET links, so every view can be bookmarked and shared."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wiki import programme, transversal, visibility


def programme_index(request: HttpRequest) -> HttpResponse:
    return render(request, "wiki/programme/index.html", {"phases": programme.programme_phases()})


def programme_phases(request: HttpRequest) -> HttpResponse:
    return render(request, "wiki/programme/phases.html", {"phases": programme.programme_phases()})


def ami_cma_laureates(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("action", "")
    number = int(raw) if raw.isdigit() and len(raw) < 4 else None
    view = programme.ami_cma_laureates(number)
    status = 404 if raw and view.selected is None else 200
    return render(
        request,
        "wiki/programme/ami_cma.html",
        {"view": view, "unknown_action": status == 404},
        status=status,
    )


def plan_universities(request: HttpRequest) -> HttpResponse:
    posts, total = programme.plan_posts()
    return render(request, "wiki/programme/universities.html", {"posts": posts, "total": total})


def etu_esante(request: HttpRequest) -> HttpResponse:
    return render(request, "wiki/programme/etu.html", {"outline": programme.etu_outline()})


def socle_matrix(request: HttpRequest) -> HttpResponse:
    matrix = transversal.socle_matrix(visibility.request_reader(request))
    return render(request, "wiki/programme/socle_matrix.html", {"matrix": matrix})
