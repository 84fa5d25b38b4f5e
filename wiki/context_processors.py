"""Template context shared by every page: the unread-notifications badge of the header, and
whether the user edits (« Contribuer », « Mes brouillons »)."""

from django.utils.functional import SimpleLazyObject

from wiki.permissions import can_contribute
from wiki.selectors import unread_notifications_count
from wiki.visibility import request_reader


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

    def contributes() -> bool:
        # The request's reader (often computed already by the view) knows the subtrees the
        # user may edit: a college editor costs no query; other roles ask the permissions.
        if request_reader(request).draft_paths:
            return True
        return can_contribute(user)

    # Lazy: asked only when the header is rendered.
    return {"wiki_can_contribute": SimpleLazyObject(contributes)}
