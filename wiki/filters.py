"""The « Modifications récentes » filter form, shared by the page and its live updates."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wiki.selectors import PERIOD_DAYS, ChangeFilters, recent_changes_filter_choices

PERIOD_CHOICES = [
    (1, _("Last 24 hours")),
    (7, _("Last 7 days")),
    (30, _("Last 30 days")),
    (90, _("Last 90 days")),
]
assert tuple(days for days, _label in PERIOD_CHOICES) == PERIOD_DAYS


class RecentChangesFilterForm(forms.Form):
    college = forms.TypedChoiceField(
        label=_("College"), required=False, coerce=int, empty_value=None
    )
    referentiel = forms.TypedChoiceField(
        label=_("Référentiel"), required=False, coerce=int, empty_value=None
    )
    author = forms.CharField(label=_("Author (user name)"), required=False, max_length=150)
    unpatrolled = forms.BooleanField(label=_("Unpatrolled only"), required=False)
    period = forms.TypedChoiceField(label=_("Period"), required=False, coerce=int, empty_value=None)

    def __init__(self, data=None, *, reader, **kwargs):
        super().__init__(data, **kwargs)
        choices = recent_changes_filter_choices(reader)
        everything = [("", _("All"))]
        self.fields["college"].choices = everything + choices["colleges"]
        self.fields["referentiel"].choices = everything + choices["referentiels"]
        self.fields["period"].choices = [("", _("Any time")), *PERIOD_CHOICES]

    def filters(self) -> ChangeFilters:
        """The valid filters (an invalid field is reported by the form and ignored here)."""
        if not self.is_bound:
            return ChangeFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return ChangeFilters(
            college_id=data.get("college"),
            referentiel_id=data.get("referentiel"),
            author=(data.get("author") or "").strip(),
            unpatrolled_only=bool(data.get("unpatrolled")),
            days=data.get("period"),
        )
