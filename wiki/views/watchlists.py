"""« Liste de suivi » and notifications: thin views over wiki.services.watchlists."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Page

from wiki import selectors
from wiki.models import DomainPage, ReferentielPage
from wiki.services import watchlists
from wiki.visibility import may_view_page, request_reader

TRUE_VALUES = {"1", "on", "true", "yes", "oui"}


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
@require_POST
def watch_toggle(request: HttpRequest, page_id: int) -> HttpResponse:
    page = get_object_or_404(Page, pk=page_id).specific
    if not may_view_page(request_reader(request), page):
        raise Http404  # as for any page they may not see: its existence is not disclosed
    # No flash message: page templates (Wagtail's) do not show them, so one would linger and
    # surface on a later page. The button's new label (« Ne plus suivre ») is the feedback.
    action = request.POST.get("action")
    if action == "watch":
        if "with_descendants" in request.POST:
            deep = request.POST["with_descendants"].strip().lower() in TRUE_VALUES
        else:
            # Watching a référentiel or a domain covers its pages unless told otherwise.
            deep = isinstance(page, ReferentielPage | DomainPage)
        watchlists.watch_add(user=request.user, page=page, with_descendants=deep)
    elif action == "unwatch":
        watchlists.watch_remove(user=request.user, page=page)
    else:
        return HttpResponseBadRequest(_("Unknown action."))
    return HttpResponseRedirect(_next_url(request, page.url or "/"))


@login_required
def watchlist(request: HttpRequest) -> HttpResponse:
    context = selectors.watchlist_overview(request.user)
    response = render(request, "wiki/watchlist.html", context)
    watchlists.watchlist_visit_record(user=request.user)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        ids = None
        if request.POST.get("notification"):
            try:
                ids = [int(request.POST["notification"])]
            except ValueError:
                ids = []
        count = watchlists.notifications_mark_read(user=request.user, ids=ids)
        if count:
            messages.success(request, _("Notifications marked as read."))
        return redirect("wiki:notifications")
    return render(
        request,
        "wiki/notifications.html",
        {"notifications": selectors.user_notifications(request.user)},
    )
