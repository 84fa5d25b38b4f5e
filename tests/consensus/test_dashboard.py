"""The national dashboard, /tableau-de-bord/: the plan from the settings, each référentiel the
reader may see with its progress, late phases flagged, and what waits on the committee."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings as django_settings
from django.utils import timezone

from consensus import dashboard
from consensus.models import Item
from consensus.services import lifecycle
from consensus.services.decisions import decision_record
from tests.consensus.lifecycle.helpers import closed_study, committee, deans_seats, new_referentiel
from tests.factories.accounts import UserFactory
from wiki import visibility
from wiki.models import CompetencyPage, ReferentielPage
from wiki.models.pages import Phase

URL = "/tableau-de-bord/"


def _fixture_phases() -> list[dict]:
    return json.loads((Path(django_settings.FIXTURES_DIR) / "phases.json").read_text("utf-8"))


def _row(html: str, slug: str) -> str:
    match = re.search(rf'<tr data-referentiel="{slug}">(.*?)</tr>', html, re.S)
    assert match, f"no row for {slug}"
    return match.group(1)


def _numbers(row: str) -> list[int]:
    return [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', row)]


def test_the_plan_counts_the_fixture_phases_from_the_settings_start(settings):
    settings.PROGRAMME_START = date(2024, 3, 15)
    expected, start = [], settings.PROGRAMME_START
    for phase in _fixture_phases():
        ends = start + relativedelta(months=phase["months"])
        expected.append((phase["number"], phase["name"], start, ends - timedelta(days=1)))
        start = ends
    plan = dashboard.programme_plan()
    assert [(p.number, p.name, p.starts, p.ends) for p in plan] == expected
    assert [p.months for p in plan] == [12, 24, 12, 12]


def test_the_lifecycle_phases_are_the_programme_phases():
    assert [p["number"] for p in _fixture_phases()] == list(Phase.values)


def test_the_programme_start_is_read_from_the_environment():
    example = (Path(django_settings.BASE_DIR) / ".env.example").read_text("utf-8")
    assert "#PROGRAMME_START=2025-01-01" in example
    assert isinstance(django_settings.PROGRAMME_START, date)


@pytest.mark.django_db
def test_the_public_sees_the_published_referentiels_only(client):
    draft_only = ReferentielPage.objects.filter(live=False).first()
    assert draft_only is not None  # the seed's pilots are drafts
    html = client.get(URL).content.decode()
    assert "Tableau de bord national" in html
    assert 'data-referentiel="socle-numerique-en-sante"' in html
    assert f'data-referentiel="{draft_only.slug}"' not in html
    assert "/cycle/" not in html  # the lifecycle pages are not the public's
    assert "Ce qui vous attend" not in html

    client.force_login(committee())
    html = client.get(URL).content.decode()
    assert f'data-referentiel="{draft_only.slug}"' in html
    assert f"/consensus/referentiels/{draft_only.pk}/cycle/" in html


@pytest.mark.django_db
def test_the_published_referentiel_says_so_and_is_never_late(client, settings):
    settings.PROGRAMME_START = timezone.localdate() - relativedelta(years=10)
    row = _row(client.get(URL).content.decode(), "socle-numerique-en-sante")
    assert "Publié" in row and "En retard" not in row
    # « Published » is an immutable edition, linked by its version (the socle is seeded as 1.0).
    assert 'href="/referentiels/socle-numerique-en-sante/v1.0/">version 1.0</a>' in row


@pytest.mark.django_db
def test_a_live_referentiel_without_an_edition_is_not_published(client, settings):
    referentiel = new_referentiel(n_competencies=1)  # live, no edition
    settings.PROGRAMME_START = timezone.localdate() - relativedelta(years=10)
    row = _row(client.get(URL).content.decode(), referentiel.slug)
    assert "Publié" not in row and "En retard" in row


@pytest.mark.django_db
def test_a_phase_past_its_planned_end_is_flagged_late(client, settings):
    referentiel = new_referentiel(n_competencies=2)  # phase 1, live
    settings.PROGRAMME_START = timezone.localdate() - relativedelta(months=13)
    row = _row(client.get(URL).content.decode(), referentiel.slug)
    assert "En retard" in row
    settings.PROGRAMME_START = timezone.localdate() - relativedelta(months=11)
    row = _row(client.get(URL).content.decode(), referentiel.slug)
    assert "En retard" not in row


@pytest.mark.django_db
def test_progress_counts_drafted_rated_with_consensus_and_decided(client):
    referentiel = new_referentiel(phase=2, n_competencies=3)
    study = closed_study(referentiel, score=9)
    member = committee()
    decision_record(
        user=member, item=Item.objects.filter(study=study).first(), decision="keep", rationale="OK"
    )
    row = _row(client.get(URL).content.decode(), referentiel.slug)
    assert _numbers(row) == [3, 3, 3, 1]


@pytest.mark.django_db
def test_counts_follow_the_visibility_rule():
    referentiel = new_referentiel(n_competencies=3)
    CompetencyPage.objects.descendant_of(referentiel).first().unpublish()
    public = {
        r.referentiel.pk: r.drafted for r in dashboard.referentiels_progress(visibility.PUBLIC)
    }
    member = committee()
    drafts = {
        r.referentiel.pk: r.drafted
        for r in dashboard.referentiels_progress(visibility.reader_for(member))
    }
    assert public[referentiel.pk] == 2
    assert drafts[referentiel.pk] == 3


@pytest.mark.django_db
def test_the_committee_sees_the_votes_due_and_the_gates_blocked(client):
    seats = deans_seats()
    voting = new_referentiel(phase=4)
    blocked = new_referentiel(phase=1)
    task_state = lifecycle.lifecycle_state(voting).current_task_state

    client.force_login(seats[0].holder)
    html = client.get(URL).content.decode()
    assert "Votes attendus" in html
    assert f"/consensus/referentiels/{voting.pk}/cycle/#vote" in html

    lifecycle.vote_cast(user=seats[0].holder, task_state=task_state, choice="approve")
    html = client.get(URL).content.decode()
    assert f"/consensus/referentiels/{voting.pk}/cycle/#vote" not in html
    assert "Aucun vote n'attend votre siège." in html.replace("&#x27;", "'")

    client.force_login(committee())
    html = client.get(URL).content.decode().replace("&#x27;", "'")
    gates = html[html.index("Passages de phase") :]
    assert blocked.title in gates
    assert "Aucun référent n'est nommé" in gates

    client.force_login(UserFactory())
    assert "Ce qui vous attend" not in client.get(URL).content.decode()


@pytest.mark.django_db
def test_the_timeline_is_an_svg_image_with_a_data_table(client):
    html = client.get(URL).content.decode()
    svg = re.search(r"<svg[^>]*>", html).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="timeline-svg-title' in svg
    assert '<title id="timeline-svg-title">' in html
    assert "Calendrier comparé au plan" in html
    assert '<table class="data-table dashboard-timeline">' in html
    for phase in _fixture_phases():
        assert phase["name"].replace("'", "&#x27;") in html


@pytest.mark.django_db
def test_the_dashboard_is_linked_from_every_page(client):
    html = client.get("/").content.decode()
    assert html.count(f'href="{URL}"') >= 2  # header menu and footer
