"""The wiki's own edit form: MediaWiki habits (one form, a summary, a live preview) on top of
Wagtail revisions. Only the fields an editor writes are here; codes stay stable."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wiki.models import CompetencyPage, DomainPage, EvaluationMethod, ReferentielPage
from wiki.text import NormalisedCharField

MAX_TEXT_LENGTH = 200_000
SIZE_ERROR = _(
    "This text is %(length)s characters long; the limit is %(limit)s. Shorten it or split the "
    "page: nothing you typed has been lost."
)


def _sized(label, *, required=False, rows=12, help_text=""):
    return NormalisedCharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        strip=False,
    )


class PageEditForm(forms.Form):
    """Common fields: the title, the revision the editor started from, an edit summary."""

    title = forms.CharField(label=_("Title"), max_length=255)
    base_revision_id = forms.IntegerField(widget=forms.HiddenInput)
    summary = forms.CharField(
        label=_("Edit summary"),
        max_length=500,
        required=False,
        help_text=_("Briefly describe your change (shown in recent changes and history)."),
    )
    text_fields: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        for name in self.text_fields:
            value = cleaned.get(name) or ""
            if len(value) > MAX_TEXT_LENGTH:
                self.add_error(
                    name,
                    forms.ValidationError(
                        SIZE_ERROR,
                        code="too_long",
                        params={
                            "length": f"{len(value):,}".replace(",", "\u202f"),
                            "limit": f"{MAX_TEXT_LENGTH:,}".replace(",", "\u202f"),
                        },
                    ),
                )
        return cleaned

    def page_data(self) -> dict:
        """The page fields to write, from the cleaned data."""
        data = dict(self.cleaned_data)
        for key in ("base_revision_id", "summary"):
            data.pop(key, None)
        return data


class ReferentielEditForm(PageEditForm):
    intro = _sized(_("Introduction (Markdown)"))
    text_fields = ("intro",)


class DomainEditForm(PageEditForm):
    intro = _sized(_("Introduction (Markdown)"))
    text_fields = ("intro",)


class CompetencyEditForm(PageEditForm):
    statement = _sized(_("Statement"), rows=3)
    rank = forms.ChoiceField(
        label=_("Rank"), choices=[("", "—"), *CompetencyPage.Rank.choices], required=False
    )
    learning_outcomes = _sized(
        _("Learning outcomes"), rows=5, help_text=_("One learning outcome per line.")
    )
    evaluation_methods = forms.ModelMultipleChoiceField(
        label=_("Evaluation methods"),
        queryset=EvaluationMethod.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    body = _sized(
        _("Text (Markdown)"),
        rows=20,
        help_text=_(
            "Markdown: **bold**, # headings, tables, footnotes, [[Page title]] or "
            "[[CODE|label]] for wiki links."
        ),
    )
    references = _sized(_("References (Markdown)"), rows=5)
    text_fields = ("statement", "learning_outcomes", "body", "references")

    def page_data(self) -> dict:
        data = super().page_data()
        data["learning_outcomes"] = [
            line.strip()
            for line in (data.get("learning_outcomes") or "").splitlines()
            if line.strip()
        ]
        return data


FORMS = {
    ReferentielPage: ReferentielEditForm,
    DomainPage: DomainEditForm,
    CompetencyPage: CompetencyEditForm,
}


def edit_form_class(page) -> type[PageEditForm]:
    return FORMS[type(page)]


def initial_from_page(page) -> dict:
    """Form initial values from a page object (usually the latest revision as object)."""
    initial = {"title": page.title, "base_revision_id": page.latest_revision_id}
    for name in ("intro", "statement", "rank", "body", "references"):
        if hasattr(page, name):
            initial[name] = getattr(page, name)
    if isinstance(page, CompetencyPage):
        initial["learning_outcomes"] = "\n".join(o.text for o in page.learning_outcomes.all())
        initial["evaluation_methods"] = list(page.evaluation_methods.all())
    return initial
