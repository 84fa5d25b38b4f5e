"""Results and dashboard as facilitators and the committee read them, in French."""

import html
import re

import pytest
from django.urls import reverse

from consensus.services.ratings import Answer, ballot_submit
from consensus.services.rounds import round_close, round_open
from tests.factories.consensus import committee_member, study_with_panel

pytestmark = pytest.mark.django_db


def _closed_round(study, scores):
    delphi_round = round_open(user=study.created_by, study=study)
    items = list(delphi_round.round_items.all())
    for panelist, score in zip(study.panelists.order_by("pk"), scores, strict=False):
        ballot_submit(
            user=panelist.user,
            delphi_round=delphi_round,
            answers={ri.pk: Answer(score) for ri in items},
        )
    round_close(user=study.created_by, delphi_round=delphi_round)
    return delphi_round


def test_results_show_titles_next_to_codes_and_wide_tables_scroll(client):
    study = study_with_panel(n_items=2, n_panelists=5)
    _closed_round(study, [9, 8, 7, 7, 8])
    client.force_login(committee_member())
    body = client.get(reverse("consensus:results", args=[study.pk])).content.decode()
    final = body.split('class="results-final"')[1].split("</tbody>")[0]
    for item in study.items.all():
        row = final.split(item.code)[1].split("</th>")[0]
        assert html.escape(item.current_version().text) in row
    regions = re.findall(r'<div class="table-scroll"[^>]*>', body)
    assert len(regions) >= 2
    for region in regions:
        assert 'tabindex="0"' in region and 'role="region"' in region
        assert "aria-labelledby=" in region and "aria-describedby=" in region
    assert "Faites défiler le tableau horizontalement" in body
    # The caption is written above the scrolling box, where it cannot be scrolled away.
    assert 'class="table-scroll__caption"' in body
    assert ">EIQ</abbr>" in body and ">IQR<" not in body


def test_dashboard_french_typography(client):
    study = study_with_panel(n_items=1, n_panelists=4)
    _closed_round(study, [9, 8, 7, 6])
    second = round_open(user=study.created_by, study=study)
    client.force_login(study.created_by)
    body = client.get(reverse("consensus:study-detail", args=[study.pk])).content.decode()
    assert "Tour 2 — Ouvert" in body and "Tour 1 — Clos" in body
    assert "0 panéliste sur 4 a soumis" in body and "4 panélistes sur 4 ont soumis" in body
    # No attrition claimed for the open round.
    assert "Attrition" not in body.split("Tour 2 — Ouvert")[1].split("</section>")[0]
    assert second.is_open
