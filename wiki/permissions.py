"""Plain predicates about who may do what. Services enforce them; views reuse them to fail early."""

from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from wiki.roles import ADMIN_ROLES, PATROLLERS, ROLE_GROUPS, STEERING_COMMITTEE, TRUSTED_EDITORS
from wiki.visibility import may_view_page, reader_for


def _in_groups(user, *names: str) -> bool:
    return user.groups.filter(name__in=names).exists()


def is_trusted_editor(user) -> bool:
    """Trusted editors' changes are autopatrolled."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or _in_groups(user, PATROLLERS, STEERING_COMMITTEE, TRUSTED_EDITORS)


def can_patrol(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or _in_groups(user, PATROLLERS, STEERING_COMMITTEE)


def can_edit_page(user, page: Page) -> bool:
    if not user.is_authenticated:
        return False
    return page.permissions_for_user(user).can_edit()


def can_edit_some_page(user) -> bool:
    """Whether the user may edit at least one page (Wagtail page permissions): the live
    preview of the edit form is for them only."""
    if user is None or not user.is_authenticated:
        return False
    return PagePermissionPolicy().user_has_any_permission(user, {"add", "change", "publish"})


def can_contribute(user) -> bool:
    """Whether the user edits pages: the roles that reach the Wagtail admin (wiki.roles
    ADMIN_ROLES), administrators, and whoever may edit some page. Only they are offered
    « Contribuer » and « Mes brouillons »; a panelist would land in an empty admin."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    admin_groups = [ROLE_GROUPS[role] for role in ADMIN_ROLES if role in ROLE_GROUPS]
    return _in_groups(user, *admin_groups) or can_edit_some_page(user)


def can_follow_page_editors(user, page_id: int) -> bool:
    """Presence on an edit form is visible to those who may edit the page."""
    if user is None or not user.is_authenticated:
        return False
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return False
    return can_edit_page(user, page)


# --- Discussions -------------------------------------------------------------------------


def can_discuss_page(user, page: Page) -> bool:
    """Logged-in members who may view a page may open and answer its discussions."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return may_view_page(reader_for(user), page)


def can_resolve_thread(user, thread) -> bool:
    """The thread's author, patrollers, the steering committee and the page's editors."""
    if not can_discuss_page(user, thread.page):
        return False
    if thread.created_by_id is not None and thread.created_by_id == user.pk:
        return True
    return can_patrol(user) or can_edit_page(user, thread.page)
