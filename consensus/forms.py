"""Forms parse and label input; the services decide."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from consensus.models import Decision, Panelist, Study
from consensus.services.report_texts import REPORT_PROTOCOL_TEXTS, REPORT_TEXTS
from consensus.services.studies import PROTOCOL_FIELDS
from wiki.models import ReferentielPage
from wiki.roles import PANELISTS
from wiki.text import newlines_normalised_any

PANEL_PREFIX = "panel_"


class AccessibleFormMixin:
    """Link help texts and errors to their control (aria-describedby, aria-invalid), and store
    typed text with LF line endings as the wiki does (browsers send textarea breaks as CRLF)."""

    def _clean_fields(self) -> None:
        super()._clean_fields()
        for name, value in self.cleaned_data.items():
            self.cleaned_data[name] = newlines_normalised_any(value)

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


class DecimalCommaFloatField(forms.FloatField):
    """A number typed the French way (« 0,70 ») or the English way (« 0.70 »)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(localize=True, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split()).replace("\u202f", "").replace(",", ".")
        return super().to_python(value)


DECIMAL_FIELDS = (
    "agree_from",
    "disagree_to",
    "threshold",
    "median_min",
    "stability_max_net_change",
)


@dataclass(frozen=True)
class PanelLine:
    """One line of the imported list: an existing account, or an e-mail to invite."""

    user: object | None
    email: str
    category: str


def _category(text: str) -> str | None:
    wanted = text.strip().casefold()
    for value, label in Panelist.Category.choices:
        if wanted in (value.casefold(), str(label).casefold()):
            return value
    return None


class StudyCreateForm(AccessibleFormMixin, forms.ModelForm):
    """The protocol and the panel: accounts of the panelists' group ticked in a searchable
    list (each with a category, or the default one), plus a pasted list of usernames or
    e-mail addresses (an unknown address becomes a new panelist account, invited by e-mail)."""

    panel_default_category = forms.ChoiceField(
        label=_("Default category"),
        choices=Panelist.Category.choices,
        initial=Panelist.Category.COLLEGE_EXPERT,
        required=False,
        help_text=_("For the panelists ticked or imported without a category of their own."),
    )
    panel_users = forms.MultipleChoiceField(
        label=_("Panelists"), required=False, widget=forms.CheckboxSelectMultiple
    )
    panel_import = forms.CharField(
        label=_("Import a list"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One panelist per line: a username or an e-mail address, optionally followed by "
            "« ; » and a category (for example « claire@chu.fr ; Enseignant »). An unknown "
            "e-mail address gets a new panelist account, without a password: invite it by "
            "e-mail from the study's page."
        ),
    )

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
        self.fields["referentiel"].queryset = ReferentielPage.objects.order_by("title")
        for name in DECIMAL_FIELDS:
            field = self.fields[name]
            self.fields[name] = DecimalCommaFloatField(
                label=field.label,
                required=field.required,
                help_text=field.help_text,
                validators=field.validators,
                initial=field.initial,
            )
        choices = [("", _("Default category")), *Panelist.Category.choices]
        users = list(
            get_user_model()
            .objects.filter(groups__name=PANELISTS)
            .order_by("last_name", "first_name", "username")
        )
        self.fields["panel_users"].choices = [(str(user.pk), self._name(user)) for user in users]
        for user in users:
            self.fields[f"{PANEL_PREFIX}{user.pk}"] = forms.ChoiceField(
                label=_("Category: %(name)s") % {"name": self._name(user)},
                choices=choices,
                required=False,
            )
        self.panel_users = {user.pk: user for user in users}
        self._describe()

    @staticmethod
    def _name(user) -> str:
        return user.get_full_name() or user.get_username()

    def panel_rows(self) -> list[tuple]:
        """(user, checkbox, category field) per account of the panelists' group."""
        boxes = {box.data["value"]: box for box in self["panel_users"]}
        return [
            (user, boxes[str(pk)], self[f"{PANEL_PREFIX}{pk}"])
            for pk, user in self.panel_users.items()
        ]

    def clean_panel_import(self) -> list[PanelLine]:
        lines, errors = [], []
        accounts = get_user_model().objects
        for number, raw in enumerate(self.cleaned_data["panel_import"].splitlines(), 1):
            if not raw.strip():
                continue
            who, _sep, category_text = raw.partition(";")
            who = who.strip()
            category = _category(category_text) if category_text.strip() else ""
            if category is None:
                errors.append(
                    _("Line %(n)d: unknown category « %(c)s ».")
                    % {"n": number, "c": category_text.strip()}
                )
                continue
            user = (
                accounts.filter(email__iexact=who).order_by("pk").first()
                if "@" in who
                else accounts.filter(username__iexact=who).first()
            )
            if user is None and "@" not in who:
                errors.append(_("Line %(n)d: no account « %(who)s ».") % {"n": number, "who": who})
                continue
            if user is None:
                try:
                    validate_email(who)
                except forms.ValidationError:
                    errors.append(
                        _("Line %(n)d: « %(who)s » is not an e-mail address.")
                        % {"n": number, "who": who}
                    )
                    continue
            lines.append(PanelLine(user=user, email=who, category=category))
        if errors:
            raise forms.ValidationError(errors)
        return lines

    def panel(self) -> list[tuple]:
        """[(user, category)] of the existing accounts invited (ticked, given a category or
        imported), each once."""
        default = self.cleaned_data["panel_default_category"] or Panelist.Category.COLLEGE_EXPERT
        ticked = {int(pk) for pk in self.cleaned_data.get("panel_users", [])}
        chosen: dict[int, tuple] = {}
        for pk, user in self.panel_users.items():
            category = self.cleaned_data.get(f"{PANEL_PREFIX}{pk}")
            if pk in ticked or category:
                chosen[pk] = (user, category or default)
        for line in self.cleaned_data.get("panel_import", []):
            if line.user is not None and line.user.pk not in chosen:
                chosen[line.user.pk] = (line.user, line.category or default)
        return list(chosen.values())

    def new_panelists(self) -> list[tuple[str, str]]:
        """[(e-mail, category)] of the imported addresses that have no account yet."""
        default = self.cleaned_data["panel_default_category"] or Panelist.Category.COLLEGE_EXPERT
        seen, result = set(), []
        for line in self.cleaned_data.get("panel_import", []):
            if line.user is None and line.email.casefold() not in seen:
                seen.add(line.email.casefold())
                result.append((line.email, line.category or default))
        return result

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


class StudyReportTextsForm(AccessibleFormMixin, forms.ModelForm):
    """The methods report's free texts; those of the protocol are read-only once it is frozen."""

    class Meta:
        model = Study
        fields = list(REPORT_TEXTS)
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in REPORT_TEXTS}
        help_texts = {
            "aim_background": _(
                "Why a Delphi consensus, its aim, audience and scope (ACCORD I1–I2)."
            ),
            "registration": _(
                "Registry and number, or where the protocol can be read (ACCORD M1)."
            ),
            "eligibility_recruitment": _(
                "Who could take part, how panelists were found and invited (ACCORD M4–M5)."
            ),
            "steering_committee": _(
                "Who sat on the steering committee; what the committee and the facilitator did "
                "(ACCORD M2–M3)."
            ),
            "piloting": _("How the questionnaire was tested before round 1 (ACCORD M15)."),
            "ethics_consent": _("Ethics committee opinion, how panelists consented (ACCORD M20)."),
            "funding_conflicts": _(
                "Who funded the study, their role; conflicts of interest and how they were "
                "handled (ACCORD O1–O2)."
            ),
            "limitations": _("What the results mean, strengths and limitations (ACCORD D1–D2)."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.is_frozen:
            for name in REPORT_PROTOCOL_TEXTS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Part of the protocol, frozen when round 1 opened.")
        self._describe()

    def texts(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[name] for name in REPORT_TEXTS if not self.fields[name].disabled
        }


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
    # Asked on the validation vote only (the template shows it there): the edition published.
    edition_kind = forms.ChoiceField(
        label=_("Edition published if the vote passes"),
        choices=[
            ("major", _("Major revision (next major version, e.g. 2.0)")),
            ("minor", _("Minor amendment (e.g. 1.1)")),
        ],
        widget=forms.RadioSelect,
        required=False,
        help_text=_("The first edition of a référentiel is always 1.0."),
    )


class ReferentForm(AccessibleFormMixin, forms.Form):
    account = forms.ModelChoiceField(queryset=None, label=_("Référent (an account of the college)"))

    def __init__(self, *args, referentiel, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(groups=referentiel.college.editors_group_id)
        self.fields["account"].queryset = users.order_by("last_name", "username")
        self.fields["account"].label_from_instance = lambda u: u.get_full_name() or u.username
        self._describe()


class AmendmentForm(AccessibleFormMixin, forms.Form):
    """A proposed new wording of one competency of an edition."""

    title = forms.CharField(label=_("Proposed title"), max_length=255)
    statement = forms.CharField(
        label=_("Proposed statement"), widget=forms.Textarea(attrs={"rows": 4})
    )
    learning_outcomes = forms.CharField(
        label=_("Proposed learning outcomes"),
        help_text=_("One a line; leave empty to keep those of the edition."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        help_text=_("Why the wording should change: sources, practice, what is missing."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AmendmentDecisionForm(AccessibleFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept for study")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        help_text=_("Required for a refusal; shown on the amendment's page."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("reasons") or "").strip():
            self.add_error("reasons", _("Give the reasons of a refusal."))
        return data
