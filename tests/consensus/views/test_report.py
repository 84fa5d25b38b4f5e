"""The methods report in HTML, PDF and DOCX: same sections, checklist, gaps, permissions."""

import io

import pytest
from django.urls import reverse
from docx import Document

from consensus.models import Study
from consensus.services import report_checklist, reports
from consensus.services.report_texts import REPORT_TEXTS
from consensus.services.seeding import demo_study_load
from tests.factories.consensus import committee_member, panelist_user, study_with_panel

pytestmark = pytest.mark.django_db


def _headings() -> list[str]:
    return [
        f"{number}. {title}"
        for number, (_a, title) in enumerate(report_checklist.REPORT_SECTIONS, start=1)
    ]


def _bookmarks(document) -> list[str]:
    labels = []

    def walk(nodes):
        for label, _target, children, _state in nodes:
            labels.append(label)
            walk(children)

    walk(document.make_bookmark_tree())
    return labels


def test_the_demo_report_fills_at_least_26_accord_items_and_prints_the_count(client):
    study = demo_study_load()
    context = reports.methods_report_context(study)
    assert context["accord"].filled >= 26
    client.force_login(study.created_by)
    html = client.get(reverse("consensus:report", args=[study.pk])).content.decode()
    assert f"{context['accord'].filled} items sur 35 renseignés" in html
    assert "Grille CREDES" in html and "Grille ACCORD" in html
    # The three items the report used to miss, though the application holds their data.
    version = study.items.first().current_version()
    assert version.context and version.context.replace("'", "&#x27;") in html
    assert "la note que le panéliste avait donnée" in html  # feedback between rounds
    assert "wiki IA_SaNSeS 0.1.0" in html  # software, from the package metadata


def test_the_flow_table_covers_closed_rounds_only_and_says_so(client):
    study = demo_study_load()  # round 1 closed, round 2 open
    flow = reports.methods_report_context(study)["flow"]
    closed = study.rounds.get(number=1)
    assert [row["number"] for row in flow] == [1]
    assert (flow[0]["opened_at"], flow[0]["closed_at"]) == (closed.opened_at, closed.closed_at)
    client.force_login(study.created_by)
    html = client.get(reverse("consensus:report", args=[study.pk])).content.decode()
    assert "Tours clos uniquement" in html
    assert "Le tour 2 est encore ouvert" in html
    assert "0/8" not in html


def test_pdf_and_docx_hold_the_same_sections_as_the_html(client):
    study = demo_study_load()
    headings = _headings()
    html = reports.methods_report_html(study)
    assert all(h in html for h in headings)
    bookmarks = _bookmarks(reports.methods_report_document(study))
    assert [b for b in bookmarks if b in headings] == headings
    client.force_login(study.created_by)
    pdf = client.get(reverse("consensus:report-pdf", args=[study.pk]))
    assert pdf.content.startswith(b"%PDF")
    response = client.get(reverse("consensus:report-docx", args=[study.pk]))
    assert response.status_code == 200
    assert "wordprocessingml" in response["Content-Type"]
    doc = Document(io.BytesIO(response.content))
    docx_headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert docx_headings == headings
    text = "\n".join(p.text for p in doc.paragraphs)
    accord = reports.methods_report_context(study)["accord"]
    assert f"{accord.filled} items sur 35 renseignés (ACCORD)" in text
    # The checklist tables: one row per item, plus the header.
    checklist_tables = [t for t in doc.tables if t.rows[0].cells[0].text == "Item"]
    sizes = sorted(len(t.rows) - 1 for t in checklist_tables if t.rows[0].cells[2].text == "Sujet")
    assert sizes == [16, 35]


def test_a_study_with_empty_texts_gets_a_complete_report_with_its_gaps(client):
    study = study_with_panel(n_items=2, n_panelists=3)
    assert all(getattr(study, name) == "" for name in REPORT_TEXTS)
    client.force_login(study.created_by)
    html = client.get(reverse("consensus:report", args=[study.pk])).content.decode()
    assert all(h in html for h in _headings())
    texts_url = reverse("consensus:report-texts", args=[study.pk])
    for name in REPORT_TEXTS:
        assert f'href="{texts_url}#id_{name}"' in html
    accord = reports.methods_report_context(study)["accord"]
    assert f"{accord.filled} items sur 35 renseignés" in html
    assert "Lacunes : " + ", ".join(row.item.code for row in accord.gaps) in html
    assert "À compléter" in html and "Aucun tour n’est encore clos." in html
    doc = Document(
        io.BytesIO(client.get(reverse("consensus:report-docx", args=[study.pk])).content)
    )
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == _headings()
    assert client.get(reverse("consensus:report-pdf", args=[study.pk])).content.startswith(b"%PDF")


def test_the_facilitator_writes_the_report_texts_in_a_form(client):
    study = study_with_panel(n_items=1, n_panelists=3)
    client.force_login(study.created_by)
    url = reverse("consensus:report-texts", args=[study.pk])
    assert 'id="id_aim_background"' in client.get(url).content.decode()
    data = {name: "" for name in REPORT_TEXTS} | {"piloting": "Testé par deux personnes."}
    response = client.post(url, data)
    assert response.status_code == 302
    assert Study.objects.get(pk=study.pk).piloting == "Testé par deux personnes."
    html = client.get(reverse("consensus:report", args=[study.pk])).content.decode()
    assert "Testé par deux personnes." in html


def test_report_formats_follow_the_results_permissions(client):
    study = study_with_panel(n_items=1, n_panelists=3)
    client.force_login(panelist_user())
    assert client.get(reverse("consensus:report-docx", args=[study.pk])).status_code == 403
    assert client.get(reverse("consensus:report-texts", args=[study.pk])).status_code == 403
    client.force_login(committee_member())
    assert client.get(reverse("consensus:report-docx", args=[study.pk])).status_code == 200
    assert client.get(reverse("consensus:report-texts", args=[study.pk])).status_code == 403
