"""Template context shared by every page: the unread-notifications badge of the header, and
whether the user edits (« Contribuer », « Mes brouillons »)."""

from django.utils.functional import SimpleLazyObject

from wiki.permissions import can_contribute
from wiki.selectors import unread_notifications_count


def notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: the one COUNT query runs only if a template shows the badge.
    return {"wiki_unread_notifications": SimpleLazyObject(lambda: unread_notifications_count(user))}


def contributor(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"wiki_can_contribute": False}
    # Lazy: asked only when the header is rendered.
    return {"wiki_can_contribute": SimpleLazyObject(lambda: can_contribute(user))}
