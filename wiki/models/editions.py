"""Editions: a référentiel as validated and published, frozen forever under a version number.

An edition holds plain data only: the snapshot of the published pages (wiki.snapshots, as
JSON), the provenance the consensus side hands over (decisions, votes, studies), and a short
changelog. Nothing in it points to a live page, so no later edit, move or deletion in the wiki
reaches it. Immutability is enforced three times: ``save()``/``delete()`` refuse, the database
refuses (triggers of migration 0011: no UPDATE, no DELETE, no version that goes backwards or
repeats; a unique constraint on the version), and the service numbers versions itself.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wiki.exceptions import WikiError

from .pages import ReferentielPage


class EditionRefused(WikiError):
    """A version that goes backwards or repeats, or a change to a published edition."""

    default_message = _("This edition cannot be published.")


class EditionQuerySet(models.QuerySet):
    def for_referentiel(self, referentiel: ReferentielPage) -> EditionQuerySet:
        return self.filter(referentiel=referentiel)

    def newest_first(self) -> EditionQuerySet:
        return self.order_by("-major", "-minor")

    def latest_by_referentiel(self, referentiels) -> dict[int, Edition]:
        """The latest edition of each of `referentiels`, by référentiel id, in one query and
        without the snapshots (version numbers and slugs only)."""
        latest: dict[int, Edition] = {}
        editions = self.filter(referentiel__in=referentiels).only(
            "referentiel_id", "slug", "major", "minor"
        )
        for edition in editions.order_by("major", "minor"):
            latest[edition.referentiel_id] = edition
        return latest


class Edition(models.Model):
    class Kind(models.TextChoices):
        MAJOR = "major", _("major revision")
        MINOR = "minor", _("minor amendment")

    # PROTECT: a référentiel with published editions cannot be deleted (editions are forever).
    referentiel = models.ForeignKey(
        ReferentielPage,
        verbose_name=_("référentiel"),
        on_delete=models.PROTECT,
        related_name="editions",
    )
    # The référentiel's slug when the edition was published (its URL if the slug changes).
    slug = models.SlugField(_("slug at publication"), max_length=255)
    major = models.PositiveIntegerField(_("major version"))
    minor = models.PositiveIntegerField(_("minor version"))
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    snapshot = models.JSONField(_("snapshot"))
    # SHA-256 of the canonical JSON of the snapshot: checks that nothing changed it.
    digest = models.CharField(_("digest"), max_length=64)
    provenance = models.JSONField(_("provenance"), default=dict, blank=True)
    changelog = models.TextField(_("changelog"), blank=True)
    # The socle edition the « isRelatedTo » links of the CASE export point into.
    socle_version = models.CharField(_("socle version"), max_length=20, blank=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["referentiel", "major", "minor"]
        constraints = [
            models.UniqueConstraint(
                fields=["referentiel", "major", "minor"], name="edition_one_per_version"
            ),
            models.CheckConstraint(condition=Q(major__gte=1), name="edition_major_from_one"),
            models.CheckConstraint(
                condition=Q(kind="major", minor=0) | Q(kind="minor", minor__gte=1),
                name="edition_kind_matches_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slug} v{self.version}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise EditionRefused(_("A published edition never changes."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise EditionRefused(_("A published edition is never deleted."))

    @property
    def version(self) -> str:
        return f"{self.major}.{self.minor}"
