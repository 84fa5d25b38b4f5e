"""« Modifications récentes »: every edit across the wiki, newest first, filtered, paginated,
updated live (wiki.consumers.RecentChangesConsumer + static/wiki/recent_changes.js)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wiki import selectors
from wiki.filters import RecentChangesFilterForm
from wiki.pagination import page_number
from wiki.permissions import can_patrol
from wiki.visibility import request_reader

FILTER_FIELDS = ("college", "referentiel", "author", "unpatrolled", "period")


@require_GET
def recent_changes(request: HttpRequest) -> HttpResponse:
    bound = any(request.GET.get(name) for name in FILTER_FIELDS)
    form = RecentChangesFilterForm(request.GET if bound else None, reader=request_reader(request))
    filters = form.filters()
    number = page_number(request.GET)
    changes, has_next = selectors.recent_changes_page(
        reader=request_reader(request), filters=filters, page=number
    )
    patroller = can_patrol(request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "wiki/recent_changes.html",
        {
            "form": form,
            "changes": changes,
            "page_number": number,
            "has_next": has_next,
            "has_previous": number > 1,
            "query": query.urlencode(),
            "can_patrol": patroller,
            "unpatrolled_per_college": (
                selectors.unpatrolled_count_per_college() if patroller else None
            ),
        },
    )
