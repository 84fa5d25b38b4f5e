"""Discussion threads of a page."""

from __future__ import annotations

from wagtail.models import Page

from wiki.models import (
    Message,
    Thread,
)


def page_threads(page: Page) -> list:
    """The page's discussion threads, open ones first, each with `message_tree`: a list of
    (message, children) pairs, nested as the replies are. Two queries."""

    threads = list(
        Thread.objects.filter(page_id=page.pk)
        .select_related("created_by", "resolved_by")
        .order_by("resolved_at", "-created_at")
    )
    children: dict = {}
    for message in (
        Message.objects.filter(thread__page_id=page.pk)
        .select_related("author")
        .order_by("created_at", "id")
    ):
        children.setdefault((message.thread_id, message.parent_id), []).append(message)

    def tree(thread_id, parent_id):
        return [
            (message, tree(thread_id, message.pk))
            for message in children.get((thread_id, parent_id), [])
        ]

    for thread in threads:
        thread.message_tree = tree(thread.pk, None)
    # Open threads first (resolved_at NULLS come last in PostgreSQL's ascending order).
    threads.sort(key=lambda t: (t.resolved_at is not None, -t.created_at.timestamp()))
    return threads
