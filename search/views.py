"""Public search: the French results page, its JSON twin and the autocompletion endpoint."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET

from search import backends
from search.forms import SearchForm
from search.related import competencies_related, competency_text, referentiel_id_of
from search.visibility import visibility_for
from wiki import visibility
from wiki.models import CompetencyPage

AUTOCOMPLETE_MAX_LENGTH = 100


def _json(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    patch_vary_headers(response, ["Cookie"])  # results depend on who asks (drafts)
    return response


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    response = None
    if form.is_valid():
        search_request = form.search_request()
        if not search_request.is_empty:
            response = backends.search(search_request, visibility_for(request.user))
    params = request.GET.copy()
    params.pop("page", None)
    html = render(
        request,
        "search/search_page.html",
        {"form": form, "response": response, "query_without_page": params.urlencode()},
        status=200 if form.is_valid() else 400,
    )
    patch_vary_headers(html, ["Cookie"])
    return html


@require_GET
def search_api(request: HttpRequest) -> JsonResponse:
    form = SearchForm(request.GET)
    if not form.is_valid():
        return _json({"errors": form.errors.get_json_data()}, status=400)
    search_request = form.search_request()
    if search_request.is_empty:
        return _json({"count": 0, "results": [], "facets": {}, "suggestion": ""})
    response = backends.search(search_request, visibility_for(request.user))
    return _json(response.as_json())


@require_GET
def autocomplete_api(request: HttpRequest) -> JsonResponse:
    text = (request.GET.get("q") or "").strip()
    if len(text) > AUTOCOMPLETE_MAX_LENGTH:
        message = gettext("Type at most %(max)d characters.") % {"max": AUTOCOMPLETE_MAX_LENGTH}
        return _json({"errors": {"q": [message]}}, status=400)
    if "\x00" in text:  # PostgreSQL (the fallback) refuses them: as SearchForm does
        return _json({"errors": {"q": [gettext("Null characters are not allowed.")]}}, status=400)
    suggestions = backends.autocomplete(text, visibility_for(request.user))
    count = len(suggestions)
    if count:
        message = ngettext(
            "%(count)d suggestion, use the up and down arrows to browse it.",
            "%(count)d suggestions, use the up and down arrows to browse them.",
            count,
        ) % {"count": count}
    else:
        message = gettext("No suggestion.")
    return _json(
        {
            "results": [s.as_json() for s in suggestions],
            "message": message,  # read by screen readers (an aria-live region)
            "label": gettext("Suggestions"),
        }
    )


@require_GET
def related_fragment(request: HttpRequest) -> HttpResponse:
    """« Compétences proches » of a text being written (the competency editing form asks it):
    an HTML fragment, of what this reader may read. The page (`page`) only gives the référentiel
    left out and the socle links of the database fallback; one the reader may not see counts
    as none."""
    page = None
    raw_page = request.GET.get("page", "")
    if raw_page.isdigit():
        page = CompetencyPage.objects.filter(pk=int(raw_page)).first()
    reader = visibility.request_reader(request)
    if page is not None and not visibility.may_view_page(reader, page):
        page = None
    outcomes = request.GET.get("learning_outcomes", "").splitlines()
    text = competency_text(request.GET.get("title", ""), request.GET.get("statement", ""), outcomes)
    related = competencies_related(
        text=text,
        visibility=reader,
        referentiel_id=referentiel_id_of(page) if page is not None else None,
        page=page,
    )
    response = render(
        request,
        "search/includes/_related.html",
        {"show": bool(related), "related": related, "bare": True},
    )
    patch_vary_headers(response, ["Cookie"])  # what it lists depends on who asks
    response["Cache-Control"] = "private, no-store"
    return response
