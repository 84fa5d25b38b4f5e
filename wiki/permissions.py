"""Plain predicates about who may do what. Services enforce them; views reuse them to fail early."""

from wagtail.models import Page


def can_follow_page_editors(user, page_id: int) -> bool:
    """Presence on an edit form is visible to those who may edit the page."""
    if user is None or not user.is_authenticated:
        return False
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return False
    return page.permissions_for_user(user).can_edit()
