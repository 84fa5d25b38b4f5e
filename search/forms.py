"""Reading a search from the query string: bad input gets a clear error, never a crash."""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from search.results import FACET_FIELDS, MAX_PAGE, SearchRequest

MAX_FILTER_VALUES = 20
MAX_VALUE_LENGTH = 200


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search terms"), max_length=200, required=False, strip=True)
    page = forms.IntegerField(label=_("Page"), min_value=1, max_value=MAX_PAGE, required=False)

    def __init__(self, data: QueryDict, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.facet_values = {
            name: tuple(dict.fromkeys(v.strip() for v in data.getlist(name) if v and v.strip()))
            for name in FACET_FIELDS
        }

    def clean(self):
        cleaned = super().clean()
        for values in self.facet_values.values():
            if len(values) > MAX_FILTER_VALUES or any(len(v) > MAX_VALUE_LENGTH for v in values):
                self.add_error(None, _("Too many or too long filter values."))
                break
        return cleaned

    def search_request(self) -> SearchRequest:
        """The search asked for; call after is_valid() returned True."""
        return SearchRequest(
            text=self.cleaned_data.get("q") or "",
            filters={name: values for name, values in self.facet_values.items() if values},
            page=self.cleaned_data.get("page") or 1,
        )
