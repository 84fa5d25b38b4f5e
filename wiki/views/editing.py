"""Editing a page in the wiki itself: form, live preview, conflict view. Thin: the rules are in
wiki/services/editing.py and wiki/forms.py."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from wiki.diff import word_diff
from wiki.exceptions import EditConflict, PageLocked
from wiki.forms import MAX_TEXT_LENGTH, edit_form_class, initial_from_page
from wiki.permissions import can_contribute, can_edit_page, can_edit_some_page
from wiki.rendering import render_preview
from wiki.selectors import drafts_editable
from wiki.services.editing import page_edit as page_edit_service
from wiki.services.editing import page_latest_object, page_lock_refuse
from wiki.visibility import may_read_drafts, may_read_published, request_reader


def _editable_page(request: HttpRequest, page_id: int) -> Page:
    page = get_object_or_404(Page, pk=page_id).specific
    try:
        edit_form_class(page)
    except KeyError as error:
        raise PermissionDenied from error
    if not can_edit_page(request.user, page):
        raise PermissionDenied
    return page


@login_required
def page_edit(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _editable_page(request, page_id)
    form_class = edit_form_class(page)
    latest = page_latest_object(page)
    conflict = None
    try:
        page_lock_refuse(page, request.user)
        lock_message = None
    except PageLocked as error:
        lock_message = error.message
    if request.method == "POST" and lock_message is None:
        form = form_class(request.POST)
        if form.is_valid():
            try:
                page_edit_service(
                    page=page,
                    user=request.user,
                    data=form.page_data(),
                    base_revision_id=form.cleaned_data["base_revision_id"],
                    summary=form.cleaned_data["summary"],
                )
            except PageLocked as error:
                lock_message = error.message
            except EditConflict as error:
                conflict = _conflict_context(error, form, page)
                # The editor's text stays in the form; saving again now builds on the latest.
                data = request.POST.copy()
                data["base_revision_id"] = str(error.latest_revision.pk)
                form = form_class(data)
                form.is_valid()
            else:
                return redirect(_read_url(page))
    elif request.method == "POST":
        form = form_class(request.POST)  # locked: the editor's text stays in the form
    else:
        form = form_class(initial=initial_from_page(latest))
    status = 409 if conflict else 200
    if lock_message is not None and request.method == "POST":
        status = 423
    return render(
        request,
        "wiki/page_edit.html",
        {
            "page": page,
            "latest": latest,
            "form": form,
            "conflict": conflict,
            "lock_message": lock_message,
            "max_length": MAX_TEXT_LENGTH,
        },
        status=status,
    )


def _conflict_context(error: EditConflict, form, page) -> dict:
    theirs = error.latest_revision.as_object()
    theirs_initial = initial_from_page(theirs)
    mine = form.cleaned_data
    fields = []
    for name, field in form.fields.items():
        if name in ("base_revision_id", "summary"):
            continue
        their_value = _as_text(theirs_initial.get(name))
        my_value = _as_text(mine.get(name))
        fields.append(
            {
                "label": field.label,
                "theirs": their_value,
                "mine": my_value,
                "changed": their_value != my_value,
                "diff": word_diff(their_value, my_value),
            }
        )
    return {"revision": error.latest_revision, "fields": fields, "message": error.message}


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple) or hasattr(value, "__iter__") and not isinstance(value, str):
        return "\n".join(str(v) for v in value)
    return str(value)


def _read_url(page: Page) -> str:
    return page.url if page.live else reverse("wiki:draft", args=[page.pk])


@login_required
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """Render Markdown for the live preview; same pipeline as the page itself. For editors
    only: each call costs up to wiki.markdown.TIME_LIMIT of a worker's time."""
    if not can_edit_some_page(request.user):
        raise PermissionDenied
    text = request.POST.get("text", "")
    if len(text) > MAX_TEXT_LENGTH:
        return HttpResponseBadRequest(
            _("The text is over %(limit)s characters: preview unavailable.")
            % {"limit": MAX_TEXT_LENGTH}
        )
    return HttpResponse(render_preview(text, request_reader(request)))


def draft(request: HttpRequest, page_id: int) -> HttpResponse:
    """The latest version of a page, drafts included, for those allowed to see it."""
    page = get_object_or_404(Page, pk=page_id).specific
    reader = request_reader(request)
    if not may_read_drafts(reader, page):
        if may_read_published(reader, page):
            return redirect(page.url)  # the published version is all they may read
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    latest = page_latest_object(page)
    request.wiki_show_drafts = True
    context = latest.get_context(request)
    context["is_draft_view"] = True
    return render(request, latest.get_template(request), context)


@login_required
def my_drafts(request: HttpRequest) -> HttpResponse:
    """« Mes brouillons »: the pages with unpublished changes that the user may edit."""
    if not can_contribute(request.user):
        raise PermissionDenied
    drafts = drafts_editable(request.user, request_reader(request))
    return render(request, "wiki/my_drafts.html", {"drafts": drafts})
