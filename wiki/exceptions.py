"""Errors the wiki's services raise, with messages ready to show (translated)."""

from django.utils.translation import gettext_lazy as _


class WikiError(Exception):
    default_message = _("The wiki could not complete this action.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class EditConflict(WikiError):
    """Someone saved the page after the editor opened it."""

    default_message = _(
        "Someone else saved this page after you opened it. Your text is kept below: compare "
        "both versions, merge them, then save again."
    )

    def __init__(self, latest_revision, message=None):
        self.latest_revision = latest_revision
        super().__init__(message)


class PageLocked(WikiError):
    """The page is locked (by a committee member, a workflow or a scheduled publication)."""

    default_message = _("This page is locked: it cannot be changed now.")
