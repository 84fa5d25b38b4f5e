"""Delphi studies: protocol, panel, rounds, item versions, ratings and committee decisions.

Invariants live in the database (constraints) as well as in the services, so that concurrent
requests cannot break them: one rating per panelist and round item, one ballot per panelist and
round, one open round per study, scores within the supported bounds.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from consensus.rules import ConsensusRule, Scale

# Absolute bounds of any study's scale; the study's own bounds are checked by the services
# (a CHECK constraint cannot read another table).
SCORE_MIN, SCORE_MAX = 0, 100
# Smallest k a study may choose: below 3, a panelist who knows their own rating reads the
# other's rating off a two-ballot distribution.
MIN_BALLOTS_FLOOR = 3
# Longest ballot comment (characters, after line endings are normalised to "\n").
COMMENT_MAX_LENGTH = 2000


def pseudonym_salt_new() -> str:
    """A random per-study salt for the export pseudonyms (128 bits)."""
    return secrets.token_hex(16)


class Study(models.Model):
    title = models.CharField(_("title"), max_length=255)
    referentiel = models.ForeignKey(
        "wiki.ReferentielPage",
        verbose_name=_("competency framework"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delphi_studies",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Protocol (frozen when round 1 opens).
    scale_min = models.SmallIntegerField(
        _("scale minimum"),
        default=1,
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)],
    )
    scale_max = models.SmallIntegerField(
        _("scale maximum"),
        default=9,
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)],
    )
    agree_from = models.FloatField(_("agreement from score"), default=7)
    disagree_to = models.FloatField(_("disagreement up to score"), default=3)
    threshold = models.FloatField(
        _("consensus threshold (share)"),
        default=0.70,
        validators=[MinValueValidator(0.01), MaxValueValidator(1.0)],
    )
    median_min = models.FloatField(
        _("minimum median for keeping"), null=True, blank=True, default=7
    )
    rounds_planned = models.PositiveSmallIntegerField(_("rounds planned"), default=2)
    max_rounds = models.PositiveSmallIntegerField(_("maximum number of rounds"), default=3)
    stop_when_all_classified = models.BooleanField(
        _("stop when every item is classified"), default=True
    )
    stability_max_net_change = models.FloatField(
        _("stability: maximum net change between rounds"), null=True, blank=True, default=0.15
    )
    min_ballots = models.PositiveSmallIntegerField(
        _("minimum submitted ballots before results are shown (k)"),
        default=5,
        validators=[MinValueValidator(MIN_BALLOTS_FLOOR), MaxValueValidator(1000)],
    )
    protocol_frozen_at = models.DateTimeField(_("protocol frozen at"), null=True, blank=True)
    # Free texts of the methods report (ACCORD, CREDES): what only people know. The first six
    # are part of the protocol and freeze with it (REPORT_PROTOCOL_TEXTS); the last two are
    # written as the study ends.
    aim_background = models.TextField(_("aim and background"), blank=True)
    registration = models.TextField(_("registration"), blank=True)
    eligibility_recruitment = models.TextField(_("eligibility and recruitment"), blank=True)
    steering_committee = models.TextField(
        _("steering committee and the facilitator's role"), blank=True
    )
    piloting = models.TextField(_("piloting"), blank=True)
    ethics_consent = models.TextField(_("ethics and consent"), blank=True)
    funding_conflicts = models.TextField(_("funding and conflicts of interest"), blank=True)
    limitations = models.TextField(_("interpretation and limitations"), blank=True)
    # Mixed into every pseudonym of the study's exports: never displayed, never exported.
    pseudonym_salt = models.CharField(max_length=64, default=pseudonym_salt_new, editable=False)

    class Meta:
        verbose_name = _("Delphi study")
        verbose_name_plural = _("Delphi studies")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_min__gte=SCORE_MIN)
                & Q(scale_max__lte=SCORE_MAX)
                & Q(scale_min__lt=F("scale_max")),
                name="study_scale_bounds",
            ),
            models.CheckConstraint(
                condition=Q(threshold__gt=0) & Q(threshold__lte=1), name="study_threshold_share"
            ),
            models.CheckConstraint(
                condition=Q(disagree_to__lt=F("agree_from")), name="study_rule_order"
            ),
            models.CheckConstraint(
                condition=Q(rounds_planned__gte=1) & Q(max_rounds__gte=F("rounds_planned")),
                name="study_rounds_order",
            ),
            models.CheckConstraint(
                condition=Q(min_ballots__gte=MIN_BALLOTS_FLOOR), name="study_min_ballots_floor"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_frozen(self) -> bool:
        return self.protocol_frozen_at is not None

    @property
    def scale(self) -> Scale:
        return Scale(self.scale_min, self.scale_max)

    @property
    def rule(self) -> ConsensusRule:
        return ConsensusRule(
            agree_from=self.agree_from,
            disagree_to=self.disagree_to,
            threshold=self.threshold,
            median_min=self.median_min,
        )

    @property
    def scale_values(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))


class Panelist(models.Model):
    class Category(models.TextChoices):
        COLLEGE_EXPERT = "college_expert", _("College expert")
        TEACHER = "teacher", _("Teacher")
        STUDENT = "student", _("Student")
        PARTNER_PATIENT = "partner_patient", _("Partner patient")
        OTHER = "other", _("Other")

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="panelists")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delphi_panels"
    )
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    # When the invitation e-mail (with a personal sign-in link) was last sent.
    invitation_sent_at = models.DateTimeField(_("invitation sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("panelist")
        verbose_name_plural = _("panelists")
        constraints = [
            models.UniqueConstraint(fields=["study", "user"], name="panelist_one_per_study_user")
        ]

    def __str__(self) -> str:
        return f"{self.study_id}:{self.pk}"  # never the user: anonymity


class RoundQuerySet(models.QuerySet):
    def open(self) -> RoundQuerySet:
        return self.filter(status=Round.Status.OPEN)

    def closed(self) -> RoundQuerySet:
        return self.filter(status=Round.Status.CLOSED)


class Round(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("number"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["study", "number"]
        constraints = [
            models.UniqueConstraint(fields=["study", "number"], name="round_unique_number"),
            models.UniqueConstraint(
                fields=["study"], condition=Q(status="open"), name="round_one_open_per_study"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="round_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.study} — {self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Item(models.Model):
    """A rated statement; its wording lives in :class:`ItemVersion`."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=30)
    position = models.PositiveIntegerField(_("position"), default=0)
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["study", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["study", "code"], name="item_unique_code")]

    def __str__(self) -> str:
        return self.code

    def current_version(self) -> ItemVersion:
        return self.versions.order_by("-number").first()


class ItemVersion(models.Model):
    """One wording of an item; ratings point to the version that was on the ballot."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("wording"))
    context = models.TextField(_("context"), blank=True)
    revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("item version")
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="itemversion_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.item.code} v{self.number}"


class RoundItem(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="round_items")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="round_items")
    version = models.ForeignKey(ItemVersion, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["round", "item__position", "item__code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "item"], name="rounditem_one_per_round_item")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}:{self.item_id}"


class Ballot(models.Model):
    """A panelist's answer sheet for a round: saved partially, then submitted once."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="ballots")
    panelist = models.ForeignKey(Panelist, on_delete=models.CASCADE, related_name="ballots")
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "panelist"], name="ballot_one_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}:{self.pk}"


class Rating(models.Model):
    round_item = models.ForeignKey(RoundItem, on_delete=models.CASCADE, related_name="ratings")
    panelist = models.ForeignKey(Panelist, on_delete=models.CASCADE, related_name="ratings")
    score = models.SmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True, max_length=COMMENT_MAX_LENGTH)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(LessThanOrEqual(Length("comment"), COMMENT_MAX_LENGTH)),
                name="rating_comment_length",
            ),
            models.UniqueConstraint(
                fields=["round_item", "panelist"], name="rating_one_per_panelist_item"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=SCORE_MIN) & Q(score__lte=SCORE_MAX),
                name="rating_score_bounds",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_item_id}:{self.score}"


class Decision(models.Model):
    """The steering committee's decision on an item, audited by django-simple-history."""

    class Choice(models.TextChoices):
        KEEP = "keep", _("Keep")
        DROP = "drop", _("Drop")
        REWORD = "reword", _("Reword")

    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="decision")
    decision = models.CharField(_("decision"), max_length=10, choices=Choice.choices)
    rationale = models.TextField(_("rationale"))
    # The wording adopted, for « reword »: applying the decision writes it in the draft.
    wording = models.TextField(_("wording adopted"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("committee decision")

    def __str__(self) -> str:
        return f"{self.item_id}:{self.decision}"


class SignInLink(models.Model):
    """A personal, expiring, single-use sign-in link sent by e-mail to a panelist.

    Only the SHA-256 of the random token is stored: the database does not hold a usable link.
    Using a link stamps ``used_at`` in the same statement that checks it is unused and not
    expired, so a link signs in once, even when opened twice at the same time."""

    class Purpose(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        REMINDER = "reminder", _("Reminder")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delphi_signin_links"
    )
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="signin_links")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in link")
        indexes = [models.Index(fields=["user", "study"], name="signinlink_user_study")]

    def __str__(self) -> str:
        return f"{self.study_id}:{self.pk}"


# Amendments to published editions (a short cycle ending in a minor edition), and the
# référentiel lifecycle (Wagtail workflow tasks, seats, votes, référents).
from consensus.amendment_models import Amendment  # noqa: E402, F401
from consensus.lifecycle_models import (  # noqa: E402, F401
    Body,
    CommitteeSeat,
    DecisionApplication,
    LifecycleVote,
    PhaseGateTask,
    PhaseGateTaskState,
    Referent,
    VotedRevision,
    VoteTask,
    VoteTaskState,
)
