"""Browsing the référentiels: the filters of `/referentiels/` (profession, specialty, college,
socle domain, cycle), as plain GET parameters so that every view can be bookmarked.

The list holds what the reader may see (wiki.visibility): the public sees published
référentiels; editors also see the drafts they may read, marked as drafts."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wiki import visibility
from wiki.models import (
    CompetencyPage,
    DomainPage,
    Edition,
    Institution,
    Profession,
    ReferentielPage,
    Specialty,
)
from wiki.models.pages import Cycle

SOCLE_SLUG = "socle-numerique-en-sante"


def _socle_domains() -> QuerySet[DomainPage]:
    socle = ReferentielPage.objects.filter(slug=SOCLE_SLUG).first()
    if socle is None:
        return DomainPage.objects.none()
    return visibility.published_pages(
        DomainPage.objects.child_of(socle), visibility.PUBLIC
    ).order_by("path")


class ReferentielFilterForm(forms.Form):
    profession = forms.ModelChoiceField(
        Profession.objects.none(),
        label=pgettext_lazy("filter", "Profession"),
        required=False,
        to_field_name="slug",
    )
    specialty = forms.ModelChoiceField(
        Specialty.objects.none(), label=_("Specialty (DES)"), required=False, to_field_name="slug"
    )
    college = forms.ModelChoiceField(
        Institution.objects.none(), label=_("College"), required=False, to_field_name="slug"
    )
    domain = forms.ModelChoiceField(
        DomainPage.objects.none(), label=_("Socle domain"), required=False, to_field_name="code"
    )
    cycle = forms.ChoiceField(
        label=_("Cycle"), required=False, choices=[("", _("All"))] + list(Cycle.choices)
    )

    def __init__(self, *args, referentiels: QuerySet[ReferentielPage], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only choices that lead somewhere: what the visible référentiels use.
        ids = list(referentiels.values_list("pk", flat=True))
        self.fields["profession"].queryset = (
            Profession.objects.filter(referentielpage__in=ids).distinct().order_by("name")
        )
        self.fields["specialty"].queryset = Specialty.objects.filter(referentiels__in=ids).order_by(
            "name"
        )
        self.fields["college"].queryset = (
            Institution.objects.filter(referentiels__in=ids).distinct().order_by("name")
        )
        self.fields["domain"].queryset = _socle_domains()
        self.fields["domain"].label_from_instance = lambda d: f"{d.code} {d.title}"
        for name in ("profession", "specialty", "college", "domain"):
            self.fields[name].empty_label = _("All")


@dataclass(frozen=True)
class BrowseResult:
    form: ReferentielFilterForm
    referentiels: list[ReferentielPage]
    filtered: bool


def referentiels_browse(params, reader: visibility.Reader) -> BrowseResult:
    visible = visibility.visible_pages(ReferentielPage.objects.all(), reader)
    form = ReferentielFilterForm(params or None, referentiels=visible)
    queryset = visible.select_related("college", "specialty").prefetch_related("professions")
    filtered = False
    if form.is_valid():
        data = form.cleaned_data
        if data["profession"]:
            queryset = queryset.filter(professions=data["profession"])
        if data["specialty"]:
            queryset = queryset.filter(specialty=data["specialty"])
        if data["college"]:
            queryset = queryset.filter(college=data["college"])
        if data["cycle"]:
            queryset = queryset.filter(cycle=data["cycle"])
        if data["domain"]:
            # Référentiels with a competency that refines a competency of that socle domain.
            socle_codes = CompetencyPage.objects.child_of(data["domain"]).values("pk")
            refining = CompetencyPage.objects.filter(socle_refs__in=socle_codes)
            paths = [
                p[: ReferentielPage.steplen * 3] for p in refining.values_list("path", flat=True)
            ]
            queryset = queryset.filter(path__in=set(paths)) | queryset.filter(
                pk=data["domain"].get_parent().pk
            )
        filtered = any(data.values())
    referentiels = list(queryset.distinct().order_by("title"))
    _latest_editions_attach(referentiels)
    return BrowseResult(form=form, referentiels=referentiels, filtered=filtered)


def _latest_editions_attach(referentiels: list[ReferentielPage]) -> None:
    """`latest_edition` on each référentiel (None without one), in one query."""
    latest = Edition.objects.latest_by_referentiel(referentiels)
    for referentiel in referentiels:
        referentiel.latest_edition = latest.get(referentiel.pk)
