"""Discussion pages: thin views over wiki.services.discussions. A form error re-renders the page
with what was typed and the error linked to its field."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Page

from wiki import selectors
from wiki.models import Message, Thread
from wiki.permissions import can_discuss_page, can_resolve_thread
from wiki.services import discussions
from wiki.services.discussions import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from wiki.text import NormalisedCharField
from wiki.visibility import may_view_page, request_reader


class ThreadForm(forms.Form):
    # No max_length here: the service gives the clear message, and nothing typed is cut.
    title = forms.CharField(label=gettext_lazy("Subject"), required=False)
    body = NormalisedCharField(
        label=gettext_lazy("Message (Markdown)"), widget=forms.Textarea, required=False
    )


class ReplyForm(forms.Form):
    body = NormalisedCharField(
        label=gettext_lazy("Your reply (Markdown)"), widget=forms.Textarea, required=False
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


def _viewable_page(request: HttpRequest, page_id: int) -> Page:
    page = get_object_or_404(Page, pk=page_id, depth__gt=1).specific
    if not may_view_page(request_reader(request), page):
        raise Http404
    return page


def _render(request, page, *, status=200, **extra) -> HttpResponse:
    context = {
        "page": page,
        "threads": selectors.page_threads(page),
        "can_discuss": can_discuss_page(request.user, page),
        "thread_form": ThreadForm(),
        "body_max_length": BODY_MAX_LENGTH,
        "title_max_length": TITLE_MAX_LENGTH,
        **extra,
    }
    for thread in context["threads"]:
        thread.can_resolve = can_resolve_thread(request.user, thread)
    return render(request, "wiki/page_discussion.html", context, status=status)


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    for field, field_errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


@login_required
@require_http_methods(["GET", "POST"])
def page_discussion(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _viewable_page(request, page_id)
    if request.method == "GET":
        return _render(request, page)
    form = ThreadForm(request.POST)
    form.is_valid()
    try:
        thread = discussions.thread_create(
            user=request.user,
            page=page,
            title=form.cleaned_data.get("title", ""),
            body=form.cleaned_data.get("body", ""),
        )
    except ValidationError as error:
        _add_errors(form, error)
        return _render(request, page, status=400, thread_form=form)
    messages.success(request, _("Your discussion is open."))
    return redirect(f"{reverse('wiki:discussion', args=[page.pk])}#discussion-{thread.pk}")


@login_required
@require_POST
def thread_reply(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread = get_object_or_404(Thread.objects.select_related("page"), pk=thread_id)
    page = _viewable_page(request, thread.page_id)
    form = ReplyForm(request.POST)
    form.is_valid()
    parent = None
    parent_id = form.cleaned_data.get("parent")
    if parent_id:
        parent = Message.objects.filter(pk=parent_id).first()
    try:
        if parent_id and parent is None:
            raise ValidationError({"parent": _("The message you reply to no longer exists.")})
        message = discussions.message_post(
            user=request.user, thread=thread, body=form.cleaned_data.get("body", ""), parent=parent
        )
    except ValidationError as error:
        _add_errors(form, error)
        return _render(
            request,
            page,
            status=400,
            reply_form=form,
            reply_thread_id=thread.pk,
            reply_parent_id=parent_id or None,
        )
    messages.success(request, _("Your reply is posted."))
    url = reverse("wiki:discussion", args=[page.pk])
    return redirect(f"{url}#message-{message.pk}")


@login_required
@require_POST
def thread_resolve(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread = get_object_or_404(Thread.objects.select_related("page"), pk=thread_id)
    page = _viewable_page(request, thread.page_id)
    action = request.POST.get("action", "resolve")
    # PermissionDenied from the service becomes a 403.
    if action == "reopen":
        discussions.thread_reopen(user=request.user, thread=thread)
        messages.success(request, _("The discussion is open again."))
    else:
        discussions.thread_resolve(user=request.user, thread=thread)
        messages.success(request, _("The discussion is marked as resolved."))
    return redirect(f"{reverse('wiki:discussion', args=[page.pk])}#discussion-{thread.pk}")
