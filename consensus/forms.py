"""Forms parse and label input; the services decide."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from consensus.models import Decision, Panelist, Study
from consensus.services.studies import PROTOCOL_FIELDS
from wiki.services.roles import PANELISTS

PANEL_PREFIX = "panel_"


class AccessibleFormMixin:
    """Link help texts and errors to their control (aria-describedby, aria-invalid)."""

    def _describe(self) -> None:
        for name, field in self.fields.items():
            ids = []
            if field.help_text:
                ids.append(f"{self[name].auto_id}_help")
            if name in self.errors:
                ids.append(f"{self[name].auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids and not isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def full_clean(self) -> None:
        super().full_clean()
        self._describe()


class StudyCreateForm(AccessibleFormMixin, forms.ModelForm):
    """The protocol, plus one category choice per account of the panelists' group."""

    referentiel = forms.ModelChoiceField(
        queryset=None, label=_("Competency framework"), required=True
    )

    class Meta:
        model = Study
        fields = ["title", "referentiel", *PROTOCOL_FIELDS]
        help_texts = {
            "threshold": _("Share of the panel, between 0 and 1 (0.70 = 70 %)."),
            "median_min": _("Leave empty for no condition on the median."),
            "stability_max_net_change": _("Stop when no item's net change exceeds this share."),
            "min_ballots": _(
                "A round's results, exports and feedback appear only once it holds at least "
                "this many submitted ballots (3 or more), so that no rating can be traced back "
                "to a panelist."
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from wiki.models import ReferentielPage

        self.fields["referentiel"].queryset = ReferentielPage.objects.order_by("title")
        choices = [("", _("Not invited")), *Panelist.Category.choices]
        users = get_user_model().objects.filter(groups__name=PANELISTS).order_by("last_name")
        for user in users:
            self.fields[f"{PANEL_PREFIX}{user.pk}"] = forms.ChoiceField(
                label=user.get_full_name() or user.get_username(),
                choices=choices,
                required=False,
            )
        self.panel_users = {user.pk: user for user in users}
        self._describe()

    def panel_fields(self):
        return [self[name] for name in self.fields if name.startswith(PANEL_PREFIX)]

    def panel(self) -> list[tuple]:
        return [
            (self.panel_users[int(name[len(PANEL_PREFIX) :])], value)
            for name, value in self.cleaned_data.items()
            if name.startswith(PANEL_PREFIX) and value
        ]

    def protocol(self) -> dict:
        data = {k: self.cleaned_data[k] for k in self.Meta.fields}
        data.pop("title")
        data.pop("referentiel")
        return data


class ItemRewordForm(AccessibleFormMixin, forms.Form):
    text = forms.CharField(label=_("New wording"), widget=forms.Textarea(attrs={"rows": 3}))
    context = forms.CharField(
        label=_("Context"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class DecisionForm(AccessibleFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Decision.Choice.choices, widget=forms.RadioSelect
    )
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 2}))
    wording = forms.CharField(
        label=_("Wording adopted (for « reword »)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class LifecycleVoteForm(AccessibleFormMixin, forms.Form):
    """A seat's vote on a lifecycle step (also the Wagtail admin's modal form)."""

    choice = forms.ChoiceField(
        label=_("Vote"),
        choices=[("approve", _("Approve")), ("reject", _("Reject")), ("abstain", _("Abstain"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (the reasons, for a rejection)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class ReferentForm(AccessibleFormMixin, forms.Form):
    account = forms.ModelChoiceField(queryset=None, label=_("Référent (an account of the college)"))

    def __init__(self, *args, referentiel, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(groups=referentiel.college.editors_group_id)
        self.fields["account"].queryset = users.order_by("last_name", "username")
        self.fields["account"].label_from_instance = lambda u: u.get_full_name() or u.username
        self._describe()
