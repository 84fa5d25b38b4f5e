"""« Liste de suivi »: what each member watches, and the notifications it produces."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from .changes import Change


class Watch(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wiki_watches"
    )
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="wiki_watches")
    # Watching a référentiel covers every page below it.
    with_descendants = models.BooleanField(_("include sub-pages"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("watched page")
        verbose_name_plural = _("watched pages")
        constraints = [
            models.UniqueConstraint(fields=["user", "page"], name="watch_one_per_user_page")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ⟶ {self.page_id}"


class WatchlistVisit(models.Model):
    """When a member last looked at their watchlist: « changes since your last visit »."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wiki_watchlist_visit"
    )
    visited_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.visited_at}"


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wiki_notifications"
    )
    change = models.ForeignKey(Change, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "change"], name="notification_one_per_change")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.change_id}"
