"""The public's journey (issue 11, « Done means »): from /referentiels/, a student finds the
radiology pilot by profession (a filter link), opens its latest edition, sees which socle
competencies it refines, and downloads the edition as PDF, CSV, XLSX and CASE 1.1 through the
page's links; each file is opened and checked."""

import csv
import io
import json
import re
import unicodedata

import openpyxl
import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.public_support import RADIOLOGY, radiology_editions
from wiki.exports.case import case_errors
from wiki.models import CompetencyPage, ReferentielPage

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def _download(page, name: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role("main").get_by_role("link", name=name).click()
    download = info.value
    with open(download.path(), "rb") as file:
        return download.suggested_filename, file.read()


def test_the_public_finds_the_radiology_pilot_by_profession_and_downloads_its_edition(
    seeded, page, axe
):
    radiology_editions()
    referentiel = ReferentielPage.objects.get(slug=RADIOLOGY)
    assert [p.slug for p in referentiel.professions.all()] == ["medecin"]
    codes = sorted(CompetencyPage.objects.descendant_of(referentiel).values_list("code", flat=True))
    assert len(codes) == 8

    page.goto("/")
    page.get_by_role("link", name=re.compile("Parcourir tous les référentiels")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Référentiels")
    listed = page.locator(".browse-list > li")
    radiology_row = listed.filter(has=page.get_by_role("link", name=re.compile("— Radiologie")))
    radiology_row.get_by_role("link", name="Médecin").click()
    expect(page).to_have_url(re.compile(r"/referentiels/\?profession=medecin$"))
    expect(page.get_by_label("Profession")).to_have_value("medecin")
    expect(radiology_row).to_have_count(1)
    assert axe(page) == []

    radiology_row.get_by_role("link", name="édition 1.0").click()
    expect(page).to_have_url(re.compile(rf"/referentiels/{RADIOLOGY}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Radiologie")
    facts = page.locator("main .facts").first
    expect(facts).to_contain_text("1.0")
    expect(facts).to_contain_text("dernière édition")
    # Which socle competencies each competency refines.
    first = page.locator(".edition-competency", has_text="RAD-D1-C01")
    expect(first).to_contain_text("Compétences du socle déclinées")
    expect(first).to_contain_text("SOCLE-D4-C01, SOCLE-D4-C02")
    assert axe(page) == []

    name, pdf = _download(page, "PDF")
    assert name == f"{RADIOLOGY}-v1.0.pdf" and pdf.startswith(b"%PDF-")
    text = unicodedata.normalize(
        "NFKC", "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    )
    assert "Radiologie" in text and "1.0" in text
    for code in codes:
        assert code in text, code
    assert "SOCLE-D4-C01" in text

    name, data = _download(page, "CSV (une compétence par ligne)")
    assert name == f"{RADIOLOGY}-v1.0.csv" and data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    code_column = header.index("Code de la compétence")
    assert sorted(row[code_column] for row in body) == codes
    assert all(len(row) == len(header) for row in body)

    name, data = _download(page, "XLSX (Excel, LibreOffice)")
    assert name == f"{RADIOLOGY}-v1.0.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    cells = list(sheet.iter_rows(values_only=True))
    assert list(cells[0]) == header
    assert sorted(row[code_column] for row in cells[1:]) == codes

    name, data = _download(page, "CASE 1.1 (JSON, pour d’autres plateformes)")
    assert name == f"{RADIOLOGY}-v1.0.case.json"
    package = json.loads(data)
    assert case_errors(package) == []
    assert package["CFDocument"]["version"] == "1.0"
    item_codes = {item.get("humanCodingScheme") for item in package["CFItems"]}
    assert set(codes) <= item_codes
