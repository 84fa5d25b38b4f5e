"""Who sees what in search results: wiki.visibility's rule, translated by each backend into
its own query (search.queries for Elasticsearch, search.fallback for the database).

- The public sees published (live) content that has no view restriction; never discussions.
- A logged-in user also sees discussions and pages restricted to logged-in users, plus the
  drafts of the subtrees their groups may edit (a college's editors see their college's drafts).
- Patrollers, the steering committee and superusers see every draft.
- Pages restricted to groups or by a password are left to those who may read their drafts
  (a search index holds no session, so it fails closed).
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from wiki.visibility import PUBLIC, Reader, reader_for

# The search backends speak of a Visibility: it is the wiki's Reader.
Visibility = Reader

__all__ = ["PUBLIC", "Visibility", "draft_url", "visibility_for"]


def visibility_for(user) -> Visibility:
    return reader_for(user)


def draft_url(page_id: int, fallback: str) -> str:
    """Where a draft result leads: the wiki's draft reader (a draft's public URL is a 404)."""
    for name, kwargs in (
        ("wiki:draft", {"page_id": page_id}),
        ("wagtailadmin_pages:view_draft", {"page_id": page_id}),
    ):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return fallback
