"""The référentiel lifecycle: the four phases as a Wagtail workflow of our own task types.

- :class:`PhaseGateTask` closes a phase: it passes only when the conditions of leaving it
  hold (checked again at every attempt, by :class:`PhaseGateTaskState.approve` itself, so
  the Wagtail admin, a crafted request and code calling Wagtail cannot skip it).
- :class:`VoteTask` is a vote of a body (the steering committee, or the deans' conferences
  with one voice each): quorum and majority are set on the task; each seat votes once per
  task state (database constraint); the task approves or rejects itself when the rule is met.
- :class:`CommitteeSeat` records who votes, by represented body (institutions and role
  labels, never names); :class:`Referent` the référent named for a référentiel;
  :class:`DecisionApplication` what applying a committee decision wrote in the draft.

Imported at the end of ``consensus/models.py`` so that Django registers them in this app.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.models import Task, TaskState

from consensus import lifecycle_registry


class Body(models.TextChoices):
    """The bodies that vote in the lifecycle."""

    STEERING_COMMITTEE = "steering_committee", _("Steering committee")
    DEANS_CONFERENCES = "deans_conferences", _("Deans' conferences")


class CommitteeSeatQuerySet(models.QuerySet):
    def held_by(self, user) -> CommitteeSeatQuerySet:
        """The active seats ``user`` holds (none for an anonymous visitor)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(holder=user, active=True)


class CommitteeSeat(models.Model):
    """One voice in a body: the institution represented and a role label, held by an account.

    One seat per body and institution: the deans' conferences have one voice each."""

    body = models.CharField(_("body"), max_length=30, choices=Body.choices)
    institution = models.ForeignKey(
        "wiki.Institution",
        verbose_name=_("represented institution"),
        on_delete=models.PROTECT,
        related_name="committee_seats",
    )
    role_label = models.CharField(_("role"), max_length=120)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account holding the seat"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="committee_seats",
    )
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = CommitteeSeatQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee seat")
        verbose_name_plural = _("committee seats")
        ordering = ["body", "institution__acronym"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "institution"], name="committeeseat_one_per_body_institution"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_body_display()} — {self.institution.acronym or self.institution.name}"


class Referent(models.Model):
    """The référent of a référentiel: an account of its college (granting and removing are
    audited by django-simple-history)."""

    referentiel = models.OneToOneField(
        "wiki.ReferentielPage",
        verbose_name=_("référentiel"),
        on_delete=models.CASCADE,
        related_name="referent",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("référent"),
        on_delete=models.PROTECT,
        related_name="referent_of",
    )
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    named_at = models.DateTimeField(_("named at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("référent")
        verbose_name_plural = _("référents")

    def __str__(self) -> str:
        return f"{self.referentiel_id}:{self.user_id}"


class LifecycleTask(Task):
    """Common ground of the lifecycle's tasks: the phase they belong to.

    Wagtail's hooks delegate to the handler registered for the task's kind
    (``consensus.lifecycle_registry``, filled by ``consensus.lifecycle_tasks`` at app ready):
    the rules live in the lifecycle service, not in the models."""

    lifecycle_kind = ""

    phase = models.PositiveSmallIntegerField(
        _("phase"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )

    class Meta:
        abstract = True

    def start(self, workflow_state, user=None):
        # A référentiel's first revision starts its lifecycle before Wagtail has pointed
        # latest_revision at it: fall back on the newest revision of the object.
        from wagtail.models import Revision

        obj = workflow_state.content_object
        if obj.get_latest_revision() is None:
            task_state = self.get_task_state_class()(workflow_state=workflow_state)
            task_state.status = TaskState.STATUS_IN_PROGRESS
            task_state.revision = (
                Revision.objects.for_instance(obj).order_by("-created_at", "-pk").first()
            )
            task_state.task = self
            task_state.save()
        else:
            task_state = super().start(workflow_state, user=user)
        self.lifecycle_handler().started(self, task_state)
        return task_state

    def lifecycle_url(self, obj) -> str:
        from django.urls import reverse

        return reverse("consensus:lifecycle", args=[obj.pk])

    def lifecycle_handler(self) -> lifecycle_registry.TaskHandler:
        return lifecycle_registry.handler_for(self.lifecycle_kind)

    def get_actions(self, obj, user):
        return self.lifecycle_handler().actions(self, obj, user)

    def get_form_for_action(self, action):
        return self.lifecycle_handler().form_for_action(self, action)

    def on_action(self, task_state, user, action_name, **kwargs):
        return self.lifecycle_handler().on_action(self, task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if self.lifecycle_handler().can_moderate(self, user):
            return TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS, task=self.task_ptr)
        return TaskState.objects.none()


class PhaseGateTaskState(TaskState):
    """A gate's state: approving it re-checks the gate, whoever asks."""

    class Meta:
        verbose_name = _("phase gate state")

    def approve(self, user=None, update=True, comment=""):
        lifecycle_registry.handler_for(lifecycle_registry.GATE).approve_check(self)
        return super().approve(user=user, update=update, comment=comment)

    def reject(self, user=None, update=True, comment=""):
        # A gate is not a judgement: it holds until its conditions do.
        raise PermissionDenied(_("A phase gate cannot be rejected."))


class PhaseGateTask(LifecycleTask):
    """Leaving phase ``phase``: passes when the phase's conditions hold (consensus.lifecycle)."""

    lifecycle_kind = lifecycle_registry.GATE
    admin_form_fields = [*Task.admin_form_fields, "phase"]
    task_state_class = PhaseGateTaskState

    class Meta:
        verbose_name = _("phase gate")
        verbose_name_plural = _("phase gates")

    @classmethod
    def get_description(cls):
        return _("Checks the conditions of leaving a phase of the référentiel lifecycle.")


class VoteTaskState(TaskState):
    """A vote's state: only the tally approves or rejects it (consensus.lifecycle.vote_cast)."""

    class Meta:
        verbose_name = _("vote state")

    def approve(self, user=None, update=True, comment=""):
        if not getattr(self, "_lifecycle_tallied", False):
            raise PermissionDenied(_("A vote ends only when its rule is met."))
        return super().approve(user=user, update=update, comment=comment)

    def reject(self, user=None, update=True, comment=""):
        if not getattr(self, "_lifecycle_tallied", False):
            raise PermissionDenied(_("A vote ends only when its rule is met."))
        return super().reject(user=user, update=update, comment=comment)


class VoteTask(LifecycleTask):
    """A vote of a body: approve, reject or abstain, with a comment.

    The task approves when approvals exceed ``majority_percent`` % of the votes expressed
    (approve + reject) whatever the seats yet to vote say, once at least ``quorum`` seats
    have voted; it rejects when that can no longer happen."""

    lifecycle_kind = lifecycle_registry.VOTE

    body = models.CharField(_("body"), max_length=30, choices=Body.choices)
    quorum = models.PositiveSmallIntegerField(
        _("quorum (seats that must vote)"), default=1, validators=[MinValueValidator(1)]
    )
    majority_percent = models.PositiveSmallIntegerField(
        _("majority (approvals must exceed this % of the votes expressed)"),
        default=50,
        validators=[MinValueValidator(0), MaxValueValidator(99)],
    )

    admin_form_fields = [*Task.admin_form_fields, "phase", "body", "quorum", "majority_percent"]
    task_state_class = VoteTaskState

    class Meta:
        verbose_name = _("lifecycle vote")
        verbose_name_plural = _("lifecycle votes")

    @classmethod
    def get_description(cls):
        return _("A vote of the steering committee or of the deans' conferences.")


class LifecycleVote(models.Model):
    """One seat's vote on one vote task state (audited by django-simple-history)."""

    class Choice(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REJECT = "reject", _("Reject")
        ABSTAIN = "abstain", _("Abstain")

    task_state = models.ForeignKey(
        TaskState, on_delete=models.CASCADE, related_name="lifecycle_votes"
    )
    seat = models.ForeignKey(CommitteeSeat, on_delete=models.PROTECT, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("vote"), max_length=10, choices=Choice.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    # On the validation vote: the kind of edition this seat approves (« major » or « minor »).
    edition_kind = models.CharField(_("edition kind"), max_length=5, blank=True)
    cast_at = models.DateTimeField(_("cast at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lifecycle vote ballot")
        ordering = ["cast_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task_state", "seat"], name="lifecyclevote_one_per_seat"
            ),
            models.CheckConstraint(
                condition=Q(choice__in=["approve", "reject", "abstain"]),
                name="lifecyclevote_choice_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_state_id}:{self.seat_id}:{self.choice}"


class VotedRevision(models.Model):
    """What a vote is on: the revision of each page of the référentiel's subtree when the vote
    started (or the previous vote's, when it passed and this vote follows it). The edition
    publishes exactly these revisions: a draft saved while the vote is open is not voted on,
    so it stays a draft."""

    task_state = models.ForeignKey(
        TaskState, on_delete=models.CASCADE, related_name="voted_revisions"
    )
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("revision voted on")
        constraints = [
            models.UniqueConstraint(
                fields=["task_state", "page"], name="votedrevision_one_per_task_state_page"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_state_id}:{self.page_id}:{self.revision_id}"


class DecisionApplication(models.Model):
    """What applying a committee decision wrote in the draft: one per decision, replaced
    only when the decision changes (so applying twice changes nothing)."""

    decision = models.OneToOneField(
        "consensus.Decision", on_delete=models.CASCADE, related_name="application"
    )
    choice = models.CharField(max_length=10)
    wording = models.TextField(blank=True)
    decided_at = models.DateTimeField()
    revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("decision applied")

    def __str__(self) -> str:
        return f"{self.decision_id}:{self.choice}"

    def matches(self, decision) -> bool:
        return (self.choice, self.wording, self.decided_at) == (
            decision.decision,
            decision.wording,
            decision.decided_at,
        )
