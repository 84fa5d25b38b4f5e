"""« Mes brouillons »: the drafts a user may edit."""

from __future__ import annotations

from wagtail.models import Page

from wiki import visibility
from wiki.visibility import Reader

MY_DRAFTS_LIMIT = 200


def drafts_editable(user, reader: Reader) -> list[Page]:
    """The wiki pages with unpublished changes (never published, or edited since) that `user`
    may edit (Wagtail's page permissions) and whose drafts `reader` reads (wiki.visibility),
    most recently edited first; at most MY_DRAFTS_LIMIT."""
    from wagtail.permission_policies.pages import PagePermissionPolicy

    editable = PagePermissionPolicy().instances_user_has_any_permission_for(
        user, {"add", "change", "publish"}
    )
    pages = Page.objects.filter(
        has_unpublished_changes=True,
        depth__gt=2,
        pk__in=editable.values("pk"),
    )
    drafts_q = visibility.draft_pages_q(reader)
    if drafts_q is not None:
        pages = pages.filter(drafts_q)
    pages = pages.order_by("-latest_revision_created_at", "path")[:MY_DRAFTS_LIMIT]
    return list(pages.select_related("content_type"))
