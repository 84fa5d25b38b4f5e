"""Institutions and the reference lists the référentiels point to. Institutions and roles only:
no real person is ever stored here."""

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Institution(models.Model):
    class Kind(models.TextChoices):
        COLLEGE = "college", _("Specialty college")
        UNIVERSITY = "university", _("University")
        CONFERENCE = "conference", _("Deans' conference")
        COORDINATION = "coordination", _("Coordination body")
        STATE = "state", _("State agency")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The Wagtail group whose members edit this college's référentiels.
    editors_group = models.OneToOneField(
        Group,
        verbose_name=_("editors group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="college",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class Profession(models.Model):
    class Kind(models.TextChoices):
        PROFESSION = "profession", _("Health profession")
        FIELD = "filiere", _("Field of study")
        PARAMEDICAL_SPECIALTY = "specialite_paramedicale", _("Advanced paramedical specialty")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    # Covered by the arrêté du 10 novembre 2022 (socle).
    in_socle = models.BooleanField(_("covered by the socle"), default=False)
    # Targeted by the IA_SaNSeS programme.
    is_target = models.BooleanField(_("programme target"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("profession")
        verbose_name_plural = _("professions")

    def __str__(self) -> str:
        return self.name


class Specialty(models.Model):
    """A medical specialty (DES) and the college that teaches it."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=255)
    college = models.ForeignKey(
        Institution,
        verbose_name=_("college"),
        on_delete=models.PROTECT,
        related_name="specialties",
        limit_choices_to={"kind": Institution.Kind.COLLEGE},
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("specialty")
        verbose_name_plural = _("specialties")

    def __str__(self) -> str:
        return self.name


class AmiCmaAction(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.TextField(_("title"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("AMI-CMA action")
        verbose_name_plural = _("AMI-CMA actions")

    def __str__(self) -> str:
        return f"Action {self.number}"


class AmiCmaProjectQuerySet(models.QuerySet):
    def for_display(self) -> "AmiCmaProjectQuerySet":
        return self.select_related("lead").prefetch_related("co_leads", "actions")

    def with_action(self, number: int | None) -> "AmiCmaProjectQuerySet":
        return self if number is None else self.filter(actions__number=number)


class AmiCmaProject(models.Model):
    """A laureate project of the AMI-CMA call (France 2030)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    lead = models.ForeignKey(
        Institution, verbose_name=_("lead institution"), on_delete=models.PROTECT
    )
    # A project led jointly (« Université de Rennes 1 + Antilles » in the source) names the
    # other universities here: one institution per university, never a combined one.
    co_leads = models.ManyToManyField(
        Institution, verbose_name=_("co-lead institutions"), blank=True, related_name="+"
    )
    actions = models.ManyToManyField(AmiCmaAction, verbose_name=_("actions"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = AmiCmaProjectQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("AMI-CMA project")
        verbose_name_plural = _("AMI-CMA projects")

    def __str__(self) -> str:
        return self.name

    @property
    def leads(self) -> list[Institution]:
        return [self.lead, *self.co_leads.all()]


class PlanPost(models.Model):
    """A row of the IA_SaNSeS plan: the university posts (CCU) funded for a laureate project."""

    project = models.ForeignKey(
        AmiCmaProject,
        verbose_name=_("AMI-CMA project"),
        on_delete=models.CASCADE,
        related_name="plan_posts",
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("university"), on_delete=models.PROTECT, related_name="+"
    )
    co_institutions = models.ManyToManyField(
        Institution, verbose_name=_("co-institutions"), blank=True, related_name="+"
    )
    ccu_posts = models.PositiveSmallIntegerField(_("CCU posts"), default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("post of the IA_SaNSeS plan")
        verbose_name_plural = _("posts of the IA_SaNSeS plan")
        constraints = [
            models.UniqueConstraint(fields=["project", "institution"], name="plan_post_unique")
        ]

    def __str__(self) -> str:
        return f"{self.project} — {self.institution}"

    @property
    def institutions(self) -> list[Institution]:
        return [self.institution, *self.co_institutions.all()]
