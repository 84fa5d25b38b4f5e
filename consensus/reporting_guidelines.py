"""The item lists of the reporting guidelines the methods report follows (ACCORD, CREDES).

The lists are data (``consensus/data/<guideline>.json``): number, section, short title in
English and French, whether the item was checked against the published checklist
(``verified``), and what in a study answers it (``requires``, ``report_section``). Each file
says in ``source`` where its items come from and what could not be confirmed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

DATA_DIR = Path(__file__).resolve().parent / "data"
GUIDELINES = ("accord", "credes")

# Requirements an item may name (besides "field:<Study field>"); report_checklist checks them.
REQUIREMENTS = (
    "always",  # written by the application from the protocol, whatever the study holds
    "items",  # the study has items
    "referentiel",  # the items come from a competency framework of the wiki
    "context",  # at least one item version carries information for the panelists
    "panel",  # panelists were invited
    "closed_round",  # at least one round is closed (flow, dates)
    "shown_round",  # at least one round is shown (closed, with k submitted ballots)
    "decisions",  # the steering committee recorded decisions
    "frozen",  # the protocol is frozen (deviations can be read against it)
)

SECTION_LABELS = {
    "title": _("Title"),
    "introduction": _("Introduction"),
    "methods": _("Methods"),
    "results": _("Results"),
    "discussion": _("Discussion"),
    "other": _("Other information"),
    "rationale": _("Rationale for the Delphi technique"),
    "design": _("Planning and design"),
    "conduct": _("Study conduct"),
    "reporting": _("Reporting"),
}


@dataclass(frozen=True)
class GuidelineItem:
    code: str
    section: str
    title_en: str
    title_fr: str
    verified: bool
    requires: tuple[str, ...]
    report_section: str

    @property
    def title(self) -> str:
        return self.title_fr if (get_language() or "fr").startswith("fr") else self.title_en

    @property
    def section_label(self) -> str:
        return str(SECTION_LABELS[self.section])


@dataclass(frozen=True)
class Guideline:
    key: str
    acronym: str
    name: str
    reference: str
    source: str
    items: tuple[GuidelineItem, ...]


@cache
def guideline(key: str) -> Guideline:
    """The guideline ``key`` ("accord" or "credes"), read once from its data file."""
    if key not in GUIDELINES:
        raise KeyError(key)
    data = json.loads((DATA_DIR / f"{key}.json").read_text(encoding="utf-8"))
    items = tuple(
        GuidelineItem(
            code=row["code"],
            section=row["section"],
            title_en=row["title_en"],
            title_fr=row["title_fr"],
            verified=bool(row["verified"]),
            requires=tuple(row["requires"]),
            report_section=row["report_section"],
        )
        for row in data["items"]
    )
    return Guideline(key, data["guideline"], data["name"], data["reference"], data["source"], items)
