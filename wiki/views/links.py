"""« Pages liées » (backlinks) and « Pages demandées » (red links): reads of the link graph."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from wagtail.models import Page

from wiki import selectors
from wiki.visibility import may_view_page, request_reader


def page_backlinks(request: HttpRequest, page_id: int) -> HttpResponse:
    page = get_object_or_404(Page, pk=page_id, depth__gt=1).specific
    if not may_view_page(request_reader(request), page):
        raise Http404
    return render(
        request,
        "wiki/page_backlinks.html",
        {"page": page, "backlinks": selectors.page_backlinks(page, request_reader(request))},
    )


def wanted_pages(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "wiki/wanted_pages.html",
        {"wanted": selectors.wanted_pages(request_reader(request))},
    )
