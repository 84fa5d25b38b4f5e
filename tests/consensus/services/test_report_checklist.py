"""The ACCORD and CREDES item lists, and which report section answers each item."""

from collections import Counter

import pytest

from consensus.models import Study
from consensus.reporting_guidelines import REQUIREMENTS, guideline
from consensus.services import report_checklist
from consensus.services.report_texts import REPORT_TEXTS, study_report_texts_update
from consensus.services.rounds import round_open
from tests.factories.consensus import study_with_panel

# Every item: (report section that answers it, what it requires). Changing a mapping must
# change this table.
ACCORD_MAPPING = {
    "T1": ("title", ("always",)),
    "I1": ("background", ("field:aim_background",)),
    "I2": ("background", ("field:aim_background",)),
    "I3": ("items", ("items",)),
    "M1": ("registration", ("field:registration",)),
    "M2": ("steering", ("field:steering_committee",)),
    "M3": ("steering", ("field:steering_committee",)),
    "M4": ("panelists", ("field:eligibility_recruitment", "panel")),
    "M5": ("panelists", ("field:eligibility_recruitment",)),
    "M6": ("panelists", ("panel",)),
    "M7": ("items", ("referentiel",)),
    "M8": ("items", ("context",)),
    "M9": ("protocol", ("always",)),
    "M10": ("protocol", ("items",)),
    "M11": ("protocol", ("always",)),
    "M12": ("protocol", ("always",)),
    "M13": ("process", ("always",)),
    "M14": ("process", ("always",)),
    "M15": ("piloting", ("field:piloting",)),
    "M16": ("results", ("decisions",)),
    "M17": ("results", ("always",)),
    "M18": ("process", ("always",)),
    "M19": ("items", ("items",)),
    "M20": ("ethics", ("field:ethics_consent",)),
    "M21": ("software", ("always",)),
    "R1": ("flow", ("closed_round",)),
    "R2": ("panelists", ("panel",)),
    "R3": ("results", ("shown_round",)),
    "R4": ("results", ("shown_round",)),
    "R5": ("protocol", ("frozen",)),
    "D1": ("limitations", ("field:limitations",)),
    "D2": ("limitations", ("field:limitations",)),
    "O1": ("funding", ("field:funding_conflicts",)),
    "O2": ("funding", ("field:funding_conflicts",)),
    "O3": ("results", ("shown_round",)),
}
CREDES_MAPPING = {
    "1": ("background", ("field:aim_background",)),
    "2": ("protocol", ("always",)),
    "3": ("protocol", ("always",)),
    "4": ("items", ("context",)),
    "5": ("process", ("always",)),
    "6": ("results", ("always",)),
    "7": ("results", ("decisions",)),
    "8": ("background", ("field:aim_background",)),
    "9": ("panelists", ("field:eligibility_recruitment", "panel")),
    "10": ("protocol", ("always",)),
    "11": ("flow", ("closed_round",)),
    "12": ("results", ("shown_round",)),
    "13": ("results", ("shown_round",)),
    "14": ("limitations", ("field:limitations",)),
    "15": ("limitations", ("field:limitations",)),
    "16": ("items", ("referentiel",)),
}


def test_accord_has_35_items_in_its_six_sections():
    items = guideline("accord").items
    assert len(items) == 35
    assert Counter(item.section for item in items) == {
        "title": 1, "introduction": 3, "methods": 21, "results": 5, "discussion": 2, "other": 3,
    }  # fmt: skip
    assert all(item.title_fr and item.title_en for item in items)


@pytest.mark.parametrize(
    ("key", "expected"), [("accord", ACCORD_MAPPING), ("credes", CREDES_MAPPING)]
)
def test_each_item_maps_to_its_report_section(key, expected):
    items = guideline(key).items
    assert {item.code: (item.report_section, item.requires) for item in items} == expected
    anchors = {anchor for anchor, _title in report_checklist.REPORT_SECTIONS}
    for item in items:
        assert item.report_section in anchors | {report_checklist.TITLE_ANCHOR}
        for requirement in item.requires:
            if requirement.startswith("field:"):
                assert requirement.removeprefix("field:") in REPORT_TEXTS
            else:
                assert requirement in REQUIREMENTS


def test_unverified_items_say_so_in_the_data():
    """The item titles could not be checked against the published tables from here."""
    assert all(not item.verified for item in guideline("accord").items)
    assert all(not item.verified for item in guideline("credes").items)


@pytest.mark.django_db
def test_an_empty_study_fills_only_what_the_application_writes_itself():
    study = study_with_panel(n_items=2, n_panelists=3)
    lists = report_checklist.checklists(study)
    met = {"always", "items", "panel"}
    for key, expected in (("accord", ACCORD_MAPPING), ("credes", CREDES_MAPPING)):
        filled = {row.item.code for row in lists[key].rows if row.filled}
        assert filled == {code for code, (_s, req) in expected.items() if set(req) <= met}
        for row in lists[key].gaps:
            assert row.link  # « à compléter » always says where to go


@pytest.mark.django_db
@pytest.mark.parametrize("name", REPORT_TEXTS)
def test_writing_a_text_fills_the_items_it_answers(name):
    study = study_with_panel(n_items=2, n_panelists=3)
    before = report_checklist.checklists(study)["accord"]
    gap = next(row for row in before.rows if f"field:{name}" in row.item.requires)
    assert f"#id_{name}" in gap.link
    study_report_texts_update(user=study.created_by, study=study, **{name: "Texte."})
    study = Study.objects.get(pk=study.pk)
    after = report_checklist.checklists(study)["accord"]
    newly = {r.item.code for r in after.rows if r.filled} - {
        r.item.code for r in before.rows if r.filled
    }
    assert newly == {
        code
        for code, (_s, req) in ACCORD_MAPPING.items()
        if f"field:{name}" in req and set(req) <= {f"field:{name}", "always", "items", "panel"}
    }
    assert after.filled == before.filled + len(newly)


@pytest.mark.django_db
def test_opening_round_one_fills_the_protocol_deviation_item():
    study = study_with_panel(n_items=2, n_panelists=3)
    assert "R5" in {r.item.code for r in report_checklist.checklists(study)["accord"].gaps}
    round_open(user=study.created_by, study=study)
    study.refresh_from_db()
    assert "R5" not in {r.item.code for r in report_checklist.checklists(study)["accord"].gaps}
