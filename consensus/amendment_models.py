"""Amendments to a published edition: a proposal on one competency, decided by the référent or
the steering committee, then a short Delphi cycle that ends in a minor edition.

The path of an amendment (:class:`Amendment.Status`)::

    proposed ─┬─ refused                         (référent / committee, with reasons)
              └─ accepted ── in_study ─┬─ rejected    (committee decision « keep »)
                                       └─ adopted ── published (the minor edition)

Imported at the end of ``consensus/models.py`` so that Django registers it in this app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AmendmentQuerySet(models.QuerySet):
    def for_referentiel(self, referentiel) -> AmendmentQuerySet:
        return self.filter(edition__referentiel=referentiel)

    def open(self) -> AmendmentQuerySet:
        return self.filter(status__in=Amendment.OPEN_STATUSES)


class Amendment(models.Model):
    """A proposed new wording of one competency (by its stable code) of one edition."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted for study")
        REFUSED = "refused", _("Refused")
        IN_STUDY = "in_study", _("In Delphi study")
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Rejected after study")
        PUBLISHED = "published", _("Published")

    # Still on its way: one such amendment per proposer, edition and code.
    OPEN_STATUSES = (Status.PROPOSED, Status.ACCEPTED, Status.IN_STUDY, Status.ADOPTED)

    edition = models.ForeignKey(
        "wiki.Edition",
        verbose_name=_("edition amended"),
        on_delete=models.PROTECT,
        related_name="amendments",
    )
    code = models.CharField(_("competency code"), max_length=30)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="amendments_proposed",
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    # The wording in the edition when it was proposed (the edition never changes; kept here so
    # lists and the study need not read the snapshot).
    current_title = models.CharField(_("title in the edition"), max_length=255)
    current_statement = models.TextField(_("statement in the edition"), blank=True)
    # The proposal.
    title = models.CharField(_("proposed title"), max_length=255)
    statement = models.TextField(_("proposed statement"))
    learning_outcomes = models.TextField(_("proposed learning outcomes (one a line)"), blank=True)
    rationale = models.TextField(_("rationale"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    # Accepted or refused (once): by whom, when, why.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reasons = models.TextField(_("reasons of the decision"), blank=True)
    # The short cycle: the Delphi study and its item, then the outcome.
    study = models.ForeignKey(
        "consensus.Study",
        verbose_name=_("Delphi study"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
    )
    item = models.OneToOneField(
        "consensus.Item",
        verbose_name=_("Delphi item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendment",
    )
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    published_edition = models.ForeignKey(
        "wiki.Edition",
        verbose_name=_("published in edition"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments_published",
    )
    history = HistoricalRecords()

    objects = AmendmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposed_by", "edition", "code"],
                condition=Q(status__in=["proposed", "accepted", "in_study", "adopted"]),
                name="amendment_one_open_per_proposer_code",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "proposed",
                        "accepted",
                        "refused",
                        "in_study",
                        "adopted",
                        "rejected",
                        "published",
                    ]
                ),
                name="amendment_status_valid",
            ),
            # The decision is recorded with the move out of « proposed », and only then.
            models.CheckConstraint(
                condition=(
                    Q(status="proposed", decided_by__isnull=True, decided_at__isnull=True)
                    | (
                        ~Q(status="proposed")
                        & Q(decided_by__isnull=False, decided_at__isnull=False)
                    )
                ),
                name="amendment_decision_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(decision_reasons=""),
                name="amendment_refusal_has_reasons",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["in_study", "adopted", "rejected", "published"])
                | Q(study__isnull=False, item__isnull=False),
                name="amendment_study_when_studied",
            ),
            models.CheckConstraint(
                condition=Q(status="published", published_edition__isnull=False)
                | (~Q(status="published") & Q(published_edition__isnull=True)),
                name="amendment_published_has_edition",
            ),
        ]
        indexes = [models.Index(fields=["edition", "status"], name="amendment_edition_status")]

    def __str__(self) -> str:
        return f"{self.code} ({self.edition_id}) #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def learning_outcomes_list(self) -> list[str]:
        return [line.strip() for line in self.learning_outcomes.splitlines() if line.strip()]
