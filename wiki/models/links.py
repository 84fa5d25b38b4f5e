"""The link graph between wiki pages, kept current on every save: « Pages liées » (backlinks)
and « Pages demandées » (red links) are plain queries on it."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page


class PageLink(models.Model):
    source = models.ForeignKey(
        Page, verbose_name=_("source"), on_delete=models.CASCADE, related_name="outgoing_links"
    )
    # Null while the target does not exist (a red link); the raw target text stays, so a page
    # created later with that title or code picks the link up, and deleting a page turns its
    # incoming links red again.
    target = models.ForeignKey(
        Page,
        verbose_name=_("target"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incoming_links",
    )
    target_text = models.CharField(_("link target"), max_length=200)
    # A link may be in the page's published version, in its latest (working) version, or in
    # both: readers of published content only see the first (wiki.visibility.links_q).
    in_live = models.BooleanField(_("in the published version"), default=False)
    in_latest = models.BooleanField(_("in the latest version"), default=True)

    class Meta:
        verbose_name = _("page link")
        verbose_name_plural = _("page links")
        constraints = [
            models.UniqueConstraint(fields=["source", "target_text"], name="pagelink_unique_target")
        ]
        indexes = [
            models.Index(fields=["target_text"], name="pagelink_target_text"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_text}"
