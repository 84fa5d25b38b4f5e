"""Discussion threads on each page: open a thread, reply (nested), resolve and reopen."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from wiki.models import Message, Thread
from wiki.permissions import can_discuss_page, can_resolve_thread
from wiki.text import newlines_normalised

BODY_MAX_LENGTH = 20_000
TITLE_MAX_LENGTH = Thread._meta.get_field("title").max_length


def _clean_body(body: str) -> str:
    body = newlines_normalised(body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")}, code="required")
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationError(
            {
                "body": _(
                    "The message is too long: %(length)s characters, at most %(limit)s. "
                    "Shorten it or split it into several messages."
                )
                % {"length": len(body), "limit": BODY_MAX_LENGTH}
            },
            code="max_length",
        )
    return body


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Give the discussion a subject.")}, code="required")
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError(
            {
                "title": _("The subject is too long: at most %(limit)s characters.")
                % {"limit": TITLE_MAX_LENGTH}
            },
            code="max_length",
        )
    return title


@transaction.atomic
def thread_create(*, user, page: Page, title: str, body: str) -> Thread:
    """Open a discussion on a page with its first message."""
    if not can_discuss_page(user, page):
        raise PermissionDenied(_("You cannot take part in this page's discussions."))
    errors = {}
    try:
        title = _clean_title(title)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        body = _clean_body(body)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    thread = Thread.objects.create(page=page, title=title, created_by=user)
    Message.objects.create(thread=thread, author=user, body=body)
    return thread


@transaction.atomic
def message_post(*, user, thread: Thread, body: str, parent: Message | None = None) -> Message:
    """Reply in a thread, under `parent` when given (a message of the same thread)."""
    thread = Thread.objects.select_for_update(of=("self",)).select_related("page").get(pk=thread.pk)
    if not can_discuss_page(user, thread.page):
        raise PermissionDenied(_("You cannot take part in this page's discussions."))
    if thread.is_resolved:
        raise ValidationError(
            {"body": _("This discussion is resolved: reopen it to reply.")}, code="resolved"
        )
    if parent is not None and parent.thread_id != thread.pk:
        raise ValidationError(
            {"parent": _("The message you reply to is not in this discussion.")}, code="invalid"
        )
    body = _clean_body(body)
    return Message.objects.create(thread=thread, parent=parent, author=user, body=body)


@transaction.atomic
def thread_resolve(*, user, thread: Thread) -> Thread:
    thread = Thread.objects.select_for_update(of=("self",)).select_related("page").get(pk=thread.pk)
    if not can_resolve_thread(user, thread):
        raise PermissionDenied(_("You cannot resolve this discussion."))
    if not thread.is_resolved:
        thread.resolved_at = timezone.now()
        thread.resolved_by = user
        thread.save(update_fields=["resolved_at", "resolved_by"])
    return thread


@transaction.atomic
def thread_reopen(*, user, thread: Thread) -> Thread:
    thread = Thread.objects.select_for_update(of=("self",)).select_related("page").get(pk=thread.pk)
    if not can_resolve_thread(user, thread):
        raise PermissionDenied(_("You cannot reopen this discussion."))
    if thread.is_resolved:
        thread.resolved_at = None
        thread.resolved_by = None
        thread.save(update_fields=["resolved_at", "resolved_by"])
    return thread
