"""`/referentiels/`: every référentiel the reader may see, filtered by plain GET links."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wiki.browse import referentiels_browse
from wiki.visibility import request_reader


def referentiel_list(request: HttpRequest) -> HttpResponse:
    result = referentiels_browse(request.GET, request_reader(request))
    return render(request, "wiki/referentiel_list.html", {"result": result})
