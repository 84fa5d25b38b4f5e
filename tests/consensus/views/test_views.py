import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from consensus.models import Rating, Study
from consensus.services.ratings import Answer, ballot_submit
from consensus.services.rounds import round_close, round_open
from tests.factories.consensus import (
    committee_member,
    facilitator,
    panelist_user,
    study_with_panel,
)
from wiki.models import ReferentielPage

pytestmark = pytest.mark.django_db


def _rate_all(study, delphi_round, scores):
    items = list(delphi_round.round_items.order_by("item__position"))
    for panelist, score in zip(study.panelists.order_by("pk"), scores, strict=False):
        answers = {ri.pk: Answer(score, f"avis {score}") for ri in items}
        ballot_submit(user=panelist.user, delphi_round=delphi_round, answers=answers)


def test_facilitator_creates_a_study_from_a_referentiel(client):
    user = facilitator()
    invited = panelist_user(first_name="Alice", last_name="Panel")
    client.force_login(user)
    referentiel = ReferentielPage.objects.get(slug="radiologie-3e-cycle")
    form = client.get(reverse("consensus:study-create"))
    assert form.status_code == 200
    data = {
        "title": "Radiologie IA",
        "referentiel": referentiel.pk,
        "scale_min": 1,
        "scale_max": 9,
        "agree_from": 7,
        "disagree_to": 3,
        "threshold": 0.7,
        "median_min": 7,
        "rounds_planned": 2,
        "max_rounds": 3,
        "stop_when_all_classified": "on",
        "stability_max_net_change": 0.15,
        "min_ballots": 7,
        f"panel_{invited.pk}": "teacher",
    }
    response = client.post(reverse("consensus:study-create"), data)
    study = Study.objects.get(title="Radiologie IA")
    assert response.status_code == 302
    assert study.items.count() == 8
    assert study.panelists.get().user == invited
    assert study.min_ballots == 7
    bad = client.post(reverse("consensus:study-create"), {**data, "threshold": "2"})
    assert bad.status_code == 200
    assert 'aria-invalid="true"' in bad.content.decode()


def test_ballot_partial_save_error_keeps_input_and_closed_round(client):
    study = study_with_panel(n_items=2, n_panelists=1)
    delphi_round = round_open(user=study.created_by, study=study)
    items = list(delphi_round.round_items.order_by("item__position"))
    client.force_login(study.panelists.get().user)
    url = reverse("consensus:ballot", args=[delphi_round.pk])
    page = client.get(url).content.decode()
    assert "<fieldset" in page and "<legend>" in page
    # An out-of-range value: nothing stored, the comment typed is kept.
    response = client.post(
        url, {f"score-{items[0].pk}": "12", f"comment-{items[0].pk}": "mon texte", "save": ""}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "mon texte" in body and f'aria-describedby="error-{items[0].pk}"' in body
    assert not Rating.objects.exists()
    client.post(url, {f"score-{items[0].pk}": "8", "save": ""})
    assert Rating.objects.get().score == 8
    incomplete = client.post(url, {f"score-{items[0].pk}": "8", "submit": ""})
    assert incomplete.status_code == 400
    round_close(user=study.created_by, delphi_round=delphi_round)
    closed = client.post(url, {f"score-{items[1].pk}": "5", f"comment-{items[1].pk}": "tard"})
    assert closed.status_code == 400
    assert "tard" in closed.content.decode()
    assert Rating.objects.count() == 1


def test_round_two_shows_feedback_without_names(client):
    study = study_with_panel(n_items=1, n_panelists=3, min_ballots=3)
    first = round_open(user=study.created_by, study=study)
    _rate_all(study, first, [9, 8, 2])
    round_close(user=study.created_by, delphi_round=first)
    second = round_open(user=study.created_by, study=study)
    panelist = study.panelists.order_by("pk")[1]
    client.force_login(panelist.user)
    body = client.get(reverse("consensus:ballot", args=[second.pk])).content.decode()
    assert "<svg" in body and "avis 2" in body and "avis 9" in body
    assert "<strong>8</strong>" in body  # own previous rating
    for other in study.panelists.exclude(pk=panelist.pk):
        assert other.user.last_name not in body


def test_results_exports_and_reports_are_pseudonymised(client):
    study = study_with_panel(n_items=2, n_panelists=5)
    first = round_open(user=study.created_by, study=study)
    _rate_all(study, first, [9, 8, 7, 7, 8])
    round_close(user=study.created_by, delphi_round=first)
    client.force_login(committee_member())
    names = [p.user.last_name for p in study.panelists.all()] + [
        p.user.username for p in study.panelists.all()
    ]
    results = client.get(reverse("consensus:results", args=[study.pk])).content.decode()
    exported = client.get(reverse("consensus:export-csv", args=[study.pk])).content
    # For people: a French Excel opens it as is (BOM, semicolons, French headers).
    assert exported.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Item", "Version", "Tour", "Panéliste (pseudonyme)", "Cotation"]
    assert len(rows) == 11 and all(r[3].startswith("P-") for r in rows[1:])
    assert len({r[3] for r in rows[1:]}) == 5
    comments = client.get(reverse("consensus:export-comments-csv", args=[study.pk])).content
    assert comments.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(comments.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Item", "Version", "Tour", "Commentaire"] and len(rows) == 11
    xlsx = client.get(reverse("consensus:export-xlsx", args=[study.pk])).content
    cells = [
        c
        for sheet in load_workbook(io.BytesIO(xlsx)).worksheets
        for row in sheet.iter_rows(values_only=True)
        for c in row
    ]
    report = client.get(reverse("consensus:report", args=[study.pk])).content.decode()
    for name in names:
        assert name not in results and name not in str(cells) and name not in report
    assert "CREDES" in report and "ACCORD" in report
    pdf = client.get(reverse("consensus:report-pdf", args=[study.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_committee_records_decisions_and_panelists_are_kept_out(client):
    study = study_with_panel(n_items=1, n_panelists=1)
    item = study.items.get()
    client.force_login(study.panelists.get().user)
    assert client.get(reverse("consensus:results", args=[study.pk])).status_code == 403
    assert client.get(reverse("consensus:study-detail", args=[study.pk])).status_code == 403
    client.force_login(committee_member())
    url = reverse("consensus:decisions", args=[study.pk])
    empty = client.post(url, {"item": item.pk, f"item{item.pk}-decision": "keep"})
    assert empty.status_code == 200 and "aria-describedby" in empty.content.decode()
    client.post(
        url,
        {
            "item": item.pk,
            f"item{item.pk}-decision": "drop",
            f"item{item.pk}-rationale": "Hors champ",
        },
    )
    item.refresh_from_db()
    assert item.decision.decision == "drop"


def test_protocol_change_after_freeze_is_reported(client):
    study = study_with_panel()
    client.force_login(study.created_by)
    client.post(reverse("consensus:round-open", args=[study.pk]))
    page = client.get(reverse("consensus:study-detail", args=[study.pk])).content.decode()
    assert "data-ws-url" in page
    again = client.post(reverse("consensus:round-open", args=[study.pk]), follow=True)
    assert again.status_code == 200 and "notice--error" in again.content.decode()
