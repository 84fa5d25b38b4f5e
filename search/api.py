"""The search part of the read API (`/api/v1/search/`, gathered in `config/api.py`): the public
search (`search.backends`, Elasticsearch or its database fallback) as the anonymous reader sees
it, whoever asks: the API is read by other sites, without the session of a logged-in user."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from search import backends
from search.forms import SearchForm
from search.results import MAX_PAGE
from search.visibility import PUBLIC

router = Router(tags=["recherche"])


class SearchResultOut(Schema):
    title: str
    url: str
    type: str = Field(description="referentiel, domain or competency")
    referentiel: str
    domain: str
    code: str
    highlight: str = Field(description="HTML: escaped text with <mark> around matched words")
    edition: str = Field(
        "", description="the version of the published edition quoted (empty: the live page)"
    )


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class SearchOut(Schema):
    count: int
    page: int
    pages: int
    results: list[SearchResultOut]
    facets: dict[str, list[FacetValueOut]]
    suggestion: str = Field(description="a better query, when there is one (« did you mean »)")
    backend: str = Field(description="elasticsearch, or database when the node cannot answer")
    degraded: bool


class SearchErrorsOut(Schema):
    errors: dict[str, list[dict]]


class SearchParams(Schema):
    q: str = Field("", max_length=200, description="search terms (French analysis)")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    type: list[str] = Field([], description="facet filter: referentiel, domain, competency")
    profession: list[str] = Field([], description="facet filter (repeatable)")
    specialty: list[str] = Field([], description="facet filter (repeatable)")
    domain: list[str] = Field([], description="facet filter (repeatable)")
    cycle: list[str] = Field([], description="facet filter (repeatable)")
    phase: list[str] = Field([], description="facet filter (repeatable)")


@router.get(
    "/search/",
    response={200: SearchOut, 400: SearchErrorsOut},
    summary="Search the published référentiels",
)
def search(request: HttpRequest, params: Query[SearchParams]):
    """Ten results a page, with the facets' counts. The filters take the values listed in
    `facets`, and may be repeated. The query string is read by the site's search form, so the
    API and `/recherche/` accept the same input."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        return 400, {"errors": form.errors.get_json_data()}
    search_request = form.search_request()
    if search_request.is_empty:
        return {
            "count": 0,
            "page": 1,
            "pages": 1,
            "results": [],
            "facets": {},
            "suggestion": "",
            "backend": "",
            "degraded": False,
        }
    return backends.search(search_request, PUBLIC).as_json()
