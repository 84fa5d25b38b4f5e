"""What a search asks and what it answers, whichever backend answered."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from wiki.models.pages import Cycle, Phase

PAGE_SIZE = 10
MAX_PAGE = 100  # deeper pages are never useful and cost the node more than they are worth

# Facet → the document field it counts. The order is the order shown.
FACET_FIELDS = {
    "type": "type",
    "profession": "professions",
    "specialty": "specialty",
    "domain": "domain",
    "cycle": "cycle",
    "phase": "phase",
}
FACET_LABELS = {
    "type": _("Type"),
    "profession": _("Profession"),
    "specialty": _("Specialty"),
    "domain": _("Domain"),
    "cycle": _("Cycle"),
    "phase": _("Phase"),
}
TYPE_LABELS = {
    "referentiel": _("Competency framework"),
    "domain": _("Domain"),
    "competency": _("Competency"),
    "discussion": _("Discussion"),
    "delphi_item": _("Delphi item"),
}


def facet_value_label(facet: str, value: str) -> str:
    if facet == "type":
        return str(TYPE_LABELS.get(value, value))
    if facet == "cycle":
        return str(dict(Cycle.choices).get(value, value))
    if facet == "phase" and value.isdigit():
        return str(dict(Phase.choices).get(int(value), value))
    return value


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    page: int = 1
    page_size: int = PAGE_SIZE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def is_empty(self) -> bool:
        return not self.text and not any(self.filters.values())


@dataclass
class SearchResult:
    title: str
    url: str
    type: str
    referentiel: str = ""
    domain: str = ""
    code: str = ""
    highlight: str = ""  # HTML: escaped text with <mark> around matched words
    live: bool = True
    edition: str = ""  # the version of the published edition whose wording this is

    @property
    def type_label(self) -> str:
        return str(TYPE_LABELS.get(self.type, self.type))

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "url": self.url,
            "type": self.type,
            "referentiel": self.referentiel,
            "domain": self.domain,
            "code": self.code,
            "highlight": self.highlight,
            "edition": self.edition,
        }


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    name: str
    values: list[FacetValue]

    @property
    def label(self) -> str:
        return str(FACET_LABELS[self.name])


@dataclass
class SearchResponse:
    request: SearchRequest
    count: int
    results: list[SearchResult]
    facets: list[Facet]
    suggestion: str = ""  # "did you mean", when a better query exists
    backend: str = "elasticsearch"  # or "database"
    degraded: bool = False  # Elasticsearch is configured but could not answer

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, max(1, math.ceil(self.count / self.request.page_size)))

    @property
    def has_previous(self) -> bool:
        return self.request.page > 1

    @property
    def has_next(self) -> bool:
        return self.request.page < self.pages

    def as_json(self) -> dict:
        return {
            "count": self.count,
            "results": [result.as_json() for result in self.results],
            "facets": {
                facet.name: [
                    {
                        "value": v.value,
                        "label": v.label,
                        "count": v.count,
                        "selected": v.selected,
                    }
                    for v in facet.values
                ]
                for facet in self.facets
            },
            "suggestion": self.suggestion,
            "page": self.request.page,
            "pages": self.pages,
            "backend": self.backend,
            "degraded": self.degraded,
        }


@dataclass
class Suggestion:
    """One autocompletion entry."""

    title: str
    url: str
    type: str
    code: str = ""
    referentiel: str = ""

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "url": self.url,
            "type": self.type,
            "type_label": str(TYPE_LABELS.get(self.type, self.type)),
            "code": self.code,
            "referentiel": self.referentiel,
        }
