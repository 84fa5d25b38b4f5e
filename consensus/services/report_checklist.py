"""Which item of ACCORD and CREDES the methods report answers, and where; what is left to do.

An item is *renseigné* when everything it ``requires`` is there: a free text of the study
(``field:<name>``) or a fact of the study's data (``reporting_guidelines.REQUIREMENTS``).
Otherwise the checklist says « à compléter » and links to the place that fills the first
missing requirement: the report texts' form for a text, the study's page for rounds and
items, the decisions page for the committee's decisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from consensus import selectors
from consensus.models import Decision, ItemVersion, Study
from consensus.reporting_guidelines import GUIDELINES, Guideline, GuidelineItem, guideline

# The report's sections, in order: (anchor, heading). The HTML/PDF template and the DOCX
# writer both walk this list, so the three formats hold the same sections.
REPORT_SECTIONS = (
    ("background", _("Aim and background")),
    ("registration", _("Registration")),
    ("items", _("Items and information given to panelists")),
    ("protocol", _("Protocol (frozen before round 1)")),
    ("steering", _("Steering committee and facilitator")),
    ("panelists", _("Panel: eligibility, recruitment and composition")),
    ("piloting", _("Piloting")),
    ("process", _("Rounds, feedback and anonymity")),
    ("flow", _("Flow of participants per round")),
    ("results", _("Results, stability and decisions")),
    ("ethics", _("Ethics and consent")),
    ("limitations", _("Interpretation and limitations")),
    ("funding", _("Funding and conflicts of interest")),
    ("software", _("Software")),
    ("accord", _("ACCORD checklist")),
    ("credes", _("CREDES checklist")),
)
# The title of the report answers ACCORD's title item.
TITLE_ANCHOR = "title"
# The report's <h1> id: "title" could be a heading slug of user Markdown (wiki.markdown).
TITLE_HTML_ID = "report-title"
# Section → the free text it shows (the others are written from the data).
SECTION_TEXTS = {
    "background": "aim_background",
    "registration": "registration",
    "steering": "steering_committee",
    "panelists": "eligibility_recruitment",
    "piloting": "piloting",
    "ethics": "ethics_consent",
    "limitations": "limitations",
    "funding": "funding_conflicts",
}
# Sections that show something written from the data (a partial template each).
SECTIONS_WITH_DATA = frozenset(
    {"registration", "items", "protocol", "panelists", "process", "flow", "results", "software"}
    | {"accord", "credes"}
)

REQUIREMENT_LABELS = {
    "items": _("items to rate"),
    "referentiel": _("items taken from a competency framework"),
    "context": _("information given to panelists with the items"),
    "panel": _("panelists invited"),
    "closed_round": _("a closed round"),
    "shown_round": _("a round shown (closed, with enough submitted ballots)"),
    "decisions": _("the steering committee's decisions"),
    "frozen": _("the protocol frozen (round 1 opened)"),
}


def section_number(anchor: str) -> int:
    return [a for a, _title in REPORT_SECTIONS].index(anchor) + 1


def section_title(anchor: str) -> str:
    if anchor == TITLE_ANCHOR:
        return str(_("Title of the report"))
    return str(dict(REPORT_SECTIONS)[anchor])


def study_facts(study: Study, results: selectors.StudyResults | None = None) -> dict[str, bool]:
    """The data requirements a study meets (see ``reporting_guidelines.REQUIREMENTS``)."""
    results = results or selectors.study_results(study)
    return {
        "always": True,
        "items": study.items.exists(),
        "referentiel": study.referentiel_id is not None and study.items.exists(),
        "context": ItemVersion.objects.filter(item__study=study).exclude(context="").exists(),
        "panel": study.panelists.exists(),
        "closed_round": study.rounds.closed().exists(),
        "shown_round": bool(results.disclosure.shown),
        "decisions": Decision.objects.filter(item__study=study).exists(),
        "frozen": study.is_frozen,
    }


def _met(study: Study, facts: dict[str, bool], requirement: str) -> bool:
    if requirement.startswith("field:"):
        return bool(getattr(study, requirement.removeprefix("field:")).strip())
    return facts[requirement]


def _place(study: Study, requirement: str) -> tuple[str, str]:
    """(URL, what to do) for a requirement that is not met."""
    if requirement.startswith("field:"):
        name = requirement.removeprefix("field:")
        label = Study._meta.get_field(name).verbose_name
        return (
            reverse("consensus:report-texts", args=[study.pk]) + f"#id_{name}",
            str(_("write “%(field)s”") % {"field": label}),
        )
    if requirement == "decisions":
        return reverse("consensus:decisions", args=[study.pk]), str(REQUIREMENT_LABELS[requirement])
    return reverse("consensus:study-detail", args=[study.pk]), str(REQUIREMENT_LABELS[requirement])


@dataclass
class ChecklistRow:
    item: GuidelineItem
    filled: bool
    section_anchor: str
    section_label: str  # « 5. Steering committee and facilitator »
    missing: list[tuple[str, str]] = field(default_factory=list)  # (URL, what to do)

    @property
    def link(self) -> str | None:
        return self.missing[0][0] if self.missing else None


@dataclass
class Checklist:
    guideline: Guideline
    rows: list[ChecklistRow]

    @property
    def filled(self) -> int:
        return sum(row.filled for row in self.rows)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def gaps(self) -> list[ChecklistRow]:
        return [row for row in self.rows if not row.filled]


def _section_label(anchor: str) -> str:
    if anchor == TITLE_ANCHOR:
        return section_title(anchor)
    return f"{section_number(anchor)}. {section_title(anchor)}"


def checklist(study: Study, key: str, facts: dict[str, bool]) -> Checklist:
    """Each item of guideline ``key`` with the report section answering it, or what is missing."""
    rows = []
    for item in guideline(key).items:
        missing = [_place(study, r) for r in item.requires if not _met(study, facts, r)]
        rows.append(
            ChecklistRow(
                item=item,
                filled=not missing,
                section_anchor=(
                    TITLE_HTML_ID if item.report_section == TITLE_ANCHOR else item.report_section
                ),
                section_label=_section_label(item.report_section),
                missing=missing,
            )
        )
    return Checklist(guideline(key), rows)


def checklists(study: Study, results: selectors.StudyResults | None = None) -> dict[str, Checklist]:
    facts = study_facts(study, results)
    return {key: checklist(study, key, facts) for key in GUIDELINES}
