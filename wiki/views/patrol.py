"""Marking a change patrolled (POST) and the patrol log."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wiki import selectors
from wiki.models import Change
from wiki.pagination import page_number
from wiki.permissions import can_patrol
from wiki.services.patrol import PATROL_ACTION, change_unpatrol
from wiki.services.patrol import change_patrol as patrol_service
from wiki.visibility import request_reader


@require_POST
def change_patrol(request: HttpRequest, change_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_patrol(request.user):
        raise PermissionDenied
    change = get_object_or_404(Change, pk=change_id)
    if request.POST.get("action") == "unpatrol":
        change = change_unpatrol(change=change, user=request.user)
        message = _("The patrol mark was withdrawn.")
    else:
        change = patrol_service(change=change, user=request.user)
        message = _("The change was marked as patrolled.")
    if "application/json" in request.headers.get("Accept", ""):
        # recent_changes.js patrols in place, so the live list is not reloaded.
        return JsonResponse(
            {
                "change_id": change.pk,
                "patrolled": change.is_patrolled,
                "message": message,
                "college_id": change.college_id,
                "unpatrolled_count": selectors.unpatrolled_count_for_college(change.college_id),
            }
        )
    messages.success(request, message)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = None
    return redirect(target or "wiki:recent-changes")


@require_GET
def patrol_log(request: HttpRequest) -> HttpResponse:
    number = page_number(request.GET)
    entries, has_next = selectors.patrol_log_entries(reader=request_reader(request), page=number)
    return render(
        request,
        "wiki/patrol_log.html",
        {
            "entries": entries,
            "page_number": number,
            "has_next": has_next,
            "has_previous": number > 1,
            "patrol_action": PATROL_ACTION,
        },
    )
