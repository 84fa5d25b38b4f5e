"""Template context shared by every page: the unread-notifications badge of the header."""

from django.utils.functional import SimpleLazyObject

from wiki.selectors import unread_notifications_count


def notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: the one COUNT query runs only if a template shows the badge.
    return {"wiki_unread_notifications": SimpleLazyObject(lambda: unread_notifications_count(user))}
