"""Who sees what in search results. Both backends enforce it inside their query.

- The public sees published (live) content that has no view restriction; never discussions.
- A logged-in user also sees discussions and pages restricted to logged-in users, plus the
  drafts of the subtrees their groups may edit (a college's editors see their college's drafts).
- Patrollers, the steering committee and superusers see every draft (wiki.permissions).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Visibility:
    authenticated: bool = False
    all_drafts: bool = False
    group_ids: tuple[int, ...] = ()


PUBLIC = Visibility()


def visibility_for(user) -> Visibility:
    if user is None or not user.is_authenticated:
        return PUBLIC
    from wiki.permissions import can_see_all_drafts

    return Visibility(
        authenticated=True,
        all_drafts=bool(user.is_superuser or can_see_all_drafts(user)),
        group_ids=tuple(sorted(user.groups.values_list("id", flat=True))),
    )


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
