"""One row per saved revision of a wiki page: what « Modifications récentes », history, patrol
and watchlists read. Denormalised (référentiel, college) so that filtering 100 000 changes stays
an index scan instead of a walk up the page tree."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.models import Page, Revision

from .institutions import Institution

# history_change_reason of the audit rows of Change.history: what the patrol log lists.
PATROL_ACTION = "wiki.change.patrol"
UNPATROL_ACTION = "wiki.change.unpatrol"
PATROL_ACTIONS = (PATROL_ACTION, UNPATROL_ACTION)


class ChangeQuerySet(models.QuerySet):
    def unpatrolled(self):
        return self.filter(patrolled_at__isnull=True)

    def for_college(self, college_id: int):
        return self.filter(college_id=college_id)


class Change(models.Model):
    class Kind(models.TextChoices):
        CREATE = "create", _("Creation")
        EDIT = "edit", _("Edit")
        REVERT = "revert", _("Revert")

    revision = models.OneToOneField(
        Revision, verbose_name=_("revision"), on_delete=models.CASCADE, related_name="wiki_change"
    )
    # Pages are never hard-deleted while they have history that matters; if one is, its
    # changes go with it (Wagtail deletes its revisions too).
    page = models.ForeignKey(
        Page, verbose_name=_("page"), on_delete=models.CASCADE, related_name="wiki_changes"
    )
    referentiel = models.ForeignKey(
        Page,
        verbose_name=_("référentiel"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    college = models.ForeignKey(
        Institution,
        verbose_name=_("college"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changes",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wiki_changes",
    )
    created_at = models.DateTimeField(_("date"), db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.EDIT)
    title = models.CharField(_("title"), max_length=255)
    summary = models.CharField(_("edit summary"), max_length=500, blank=True)
    size = models.PositiveIntegerField(_("size (characters)"), default=0)
    size_delta = models.IntegerField(_("size change"), default=0)
    patrolled_at = models.DateTimeField(_("patrolled at"), null=True, blank=True)
    patrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("patrolled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    autopatrolled = models.BooleanField(_("autopatrolled"), default=False)
    # When this revision was first published. Readers who may not read drafts see only the
    # changes that were published (wiki.visibility): a draft saved on a live page stays private.
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    history = HistoricalRecords(
        excluded_fields=["size", "size_delta", "summary", "title", "published_at"]
    )

    objects = ChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="change_recent"),
            models.Index(fields=["college", "-created_at"], name="change_college_recent"),
            models.Index(fields=["referentiel", "-created_at"], name="change_referentiel_recent"),
            models.Index(fields=["user", "-created_at"], name="change_user_recent"),
            models.Index(fields=["page", "-created_at"], name="change_page_recent"),
            models.Index(
                fields=["-created_at"],
                name="change_unpatrolled_recent",
                condition=models.Q(patrolled_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_patrolled(self) -> bool:
        return self.patrolled_at is not None
