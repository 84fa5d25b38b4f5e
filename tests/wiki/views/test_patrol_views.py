"""Patrolling from recent changes (in place) and from the diff page, as on MediaWiki."""

import pytest
from django.urls import reverse

from tests.wiki.history_support import account, edit, radiology_competency

pytestmark = pytest.mark.django_db


@pytest.fixture
def unpatrolled():
    return edit(radiology_competency(), account("editeur.radiologie"), statement="À relire")


def _count(client, college_id) -> int:
    rows = client.get(reverse("wiki:recent-changes")).context["unpatrolled_per_college"]
    return next((r["count"] for r in rows if r["college_id"] == college_id), 0)


def test_patrolling_in_place_returns_the_college_count_that_dropped(client, unpatrolled):
    client.force_login(account("patrouilleur"))
    before = _count(client, unpatrolled.college_id)
    assert before >= 1
    # The row recent_changes.js updates with the count below.
    html = client.get(reverse("wiki:recent-changes")).content.decode()
    assert f'<tr data-college-id="{unpatrolled.college_id}">' in html
    response = client.post(
        reverse("wiki:patrol", args=[unpatrolled.pk]), HTTP_ACCEPT="application/json"
    )
    data = response.json()
    assert data["patrolled"] is True
    assert data["college_id"] == unpatrolled.college_id
    assert data["unpatrolled_count"] == before - 1
    assert _count(client, unpatrolled.college_id) == before - 1


def _diff_url(change) -> str:
    return reverse("wiki:diff", args=[change.page_id]) + f"?a={change.revision_id}"


def test_diff_page_offers_patrol_to_patrollers_on_unpatrolled_changes(client, unpatrolled):
    patrol_url = reverse("wiki:patrol", args=[unpatrolled.pk])
    client.force_login(account("editeur.radiologie"))
    assert patrol_url not in client.get(_diff_url(unpatrolled)).content.decode()

    client.force_login(account("patrouilleur"))
    html = client.get(_diff_url(unpatrolled)).content.decode()
    assert patrol_url in html
    assert "Marquer comme patrouillée" in html

    response = client.post(patrol_url, {"next": _diff_url(unpatrolled)})
    assert response.status_code == 302
    assert response["Location"] == _diff_url(unpatrolled)
    after = client.get(response["Location"]).content.decode()
    assert patrol_url not in after
    assert "patrouillée" in after
