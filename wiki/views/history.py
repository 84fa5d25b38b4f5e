"""A page's history, the diff between two of its revisions, and revert. Thin: selectors read,
services write, permission predicates decide."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Page

from wiki import diff, selectors
from wiki.exceptions import PageLocked
from wiki.pagination import page_number, page_slice
from wiki.permissions import can_edit_page, can_patrol
from wiki.services.history import page_revert as revert_service
from wiki.visibility import may_view_page, request_reader

HISTORY_PER_PAGE = 100


def _viewable_page(request: HttpRequest, page_id: int) -> Page:
    page = get_object_or_404(Page, pk=page_id)
    if not may_view_page(request_reader(request), page):
        raise Http404
    return page.specific


@require_GET
def page_history(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _viewable_page(request, page_id)
    number = page_number(request.GET)
    changes, has_next = page_slice(
        selectors.page_changes(page, request_reader(request)), number, HISTORY_PER_PAGE
    )
    latest_revision_id = page.latest_revision_id
    return render(
        request,
        "wiki/page_history.html",
        {
            "page": page,
            "changes": changes,
            "page_number": number,
            "has_next": has_next,
            "latest_revision_id": latest_revision_id,
            "can_edit": can_edit_page(request.user, page),
            "can_patrol": can_patrol(request.user),
        },
    )


@require_GET
def page_diff(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _viewable_page(request, page_id)
    reader = request_reader(request)
    new = selectors.page_revision(page, request.GET.get("a"), reader)
    if new is None:
        raise Http404
    if request.GET.get("de"):
        old = selectors.page_revision(page, request.GET.get("de"), reader)
        if old is None:
            raise Http404
    else:  # « différence avec la précédente »
        old = selectors.revision_previous(page, new, reader)
    if old is not None and (old.created_at, old.pk) > (new.created_at, new.pk):
        old, new = new, old
    old_content = old.content if old is not None else {}
    labels = selectors.revision_diff_labels(old_content, new.content)
    fields = diff.revisions_diff(old_content, new.content, labels=labels)
    changes = {
        c.revision_id: c
        for c in selectors.page_changes(page, reader).filter(
            revision_id__in=[r.pk for r in (old, new) if r is not None]
        )
    }
    return render(
        request,
        "wiki/page_diff.html",
        {
            "page": page,
            "old": old,
            "new": new,
            "old_change": changes.get(old.pk) if old is not None else None,
            "new_change": changes.get(new.pk),
            "fields": [f for f in fields if f.changed],
            "can_edit": can_edit_page(request.user, page),
            "can_patrol": can_patrol(request.user),
            "latest_revision_id": page.latest_revision_id,
        },
    )


@require_POST
def page_revert(request: HttpRequest, page_id: int, revision_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    page = _viewable_page(request, page_id)
    revision = selectors.page_revision(page, revision_id, request_reader(request))
    if revision is None:
        raise Http404
    if not can_edit_page(request.user, page):
        raise PermissionDenied
    try:
        new_revision = revert_service(page=page, revision=revision, user=request.user)
    except PageLocked as error:
        messages.error(request, error.message)
        return redirect("wiki:history", page_id=page.pk)
    if Page.objects.filter(pk=page.pk, live=True, live_revision_id=new_revision.pk).exists():
        messages.success(request, _("The page was reverted and the restored version published."))
    else:
        messages.success(
            request, _("The page was reverted; the restored version is saved as a draft.")
        )
    return redirect("wiki:history", page_id=page.pk)
