"""« Modifications récentes » (filters, visibility, pagination), patrol views and patrol log."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.wiki.history_support import (
    account,
    edit,
    general_medicine_competency,
    radiology_competency,
    socle_competency,
)
from wiki.models import Change, Institution
from wiki.selectors import RECENT_CHANGES_PER_PAGE

pytestmark = pytest.mark.django_db

URL = reverse("wiki:recent-changes")


def ids(response) -> list[int]:
    return [c.pk for c in response.context["changes"]]


@pytest.fixture
def three_edits():
    """One edit per seeded référentiel: socle (live, published at once), radiology and general
    medicine (drafts)."""
    return {
        "socle": edit(
            socle_competency(), account("copil"), statement="Socle modifié", publish=True
        ),
        "rad": edit(radiology_competency(), account("editeur.radiologie"), statement="Radio"),
        "mg": edit(
            general_medicine_competency(), account("editeur.medecine-generale"), statement="MG"
        ),
    }


def test_newest_first_in_french_with_accessible_table(client, three_edits):
    client.force_login(account("patrouilleur"))
    response = client.get(URL)
    assert response.status_code == 200
    assert ids(response)[:3] == [three_edits[k].pk for k in ("mg", "rad", "socle")]
    html = response.content.decode()
    assert "<h1>Modifications récentes</h1>" in html
    assert "<caption>" in html and 'scope="col"' in html and 'scope="row"' in html
    assert 'aria-live="polite"' in html
    assert '<label for="id_college">Collège</label>' in html
    assert "Non patrouillées seulement" in html


def test_visibility_public_members_and_patrollers(client, three_edits):
    everyone = {k: c.pk for k, c in three_edits.items()}
    response = client.get(URL)  # anonymous: live pages only
    assert everyone["socle"] in ids(response)
    assert everyone["rad"] not in ids(response) and everyone["mg"] not in ids(response)
    assert not Change.objects.filter(pk__in=ids(response), page__live=False).exists()
    draft_on_live_page = edit(socle_competency(), account("copil"), statement="Brouillon")
    assert draft_on_live_page.pk not in ids(client.get(URL))  # saved, not published

    client.force_login(account("editeur.radiologie"))
    seen = ids(client.get(URL))
    assert everyone["socle"] in seen and everyone["rad"] in seen and everyone["mg"] not in seen

    for username in ("patrouilleur", "copil", "admin"):
        client.force_login(account(username))
        seen = ids(client.get(URL))
        assert set(everyone.values()) <= set(seen), username

    client.force_login(account("panel.expert"))
    seen = ids(client.get(URL))
    assert everyone["socle"] in seen and everyone["rad"] not in seen
    assert draft_on_live_page.pk not in seen


def test_filters_college_referentiel_author_unpatrolled_period(client, three_edits):
    client.force_login(account("patrouilleur"))
    cerf = Institution.objects.get(acronym="CERF")
    by_college = client.get(URL, {"college": cerf.pk})
    assert three_edits["rad"].pk in ids(by_college)
    assert all(c.college_id == cerf.pk for c in by_college.context["changes"])

    referentiel_id = three_edits["mg"].referentiel_id
    by_referentiel = client.get(URL, {"referentiel": referentiel_id})
    assert ids(by_referentiel)[0] == three_edits["mg"].pk
    assert {c.referentiel_id for c in by_referentiel.context["changes"]} == {referentiel_id}

    by_author = client.get(URL, {"author": "editeur.radiologie"})
    assert ids(by_author)[0] == three_edits["rad"].pk
    assert {c.user.username for c in by_author.context["changes"]} == {"editeur.radiologie"}

    unpatrolled = client.get(URL, {"unpatrolled": "on"})
    assert three_edits["rad"].pk in ids(unpatrolled)
    assert three_edits["socle"].pk not in ids(unpatrolled)  # the committee is autopatrolled
    assert all(c.patrolled_at is None for c in unpatrolled.context["changes"])

    old = three_edits["mg"]
    Change.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    week = ids(client.get(URL, {"period": 7}))
    month = ids(client.get(URL, {"period": 30}))
    assert old.pk not in week and old.pk in month


def test_invalid_filters_are_reported_and_ignored(client, three_edits):
    response = client.get(URL, {"college": "abc", "period": "5", "author": "editeur.radiologie"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert set(response.context["form"].errors) == {"college", "period"}
    assert ids(response) == []  # the valid author filter still applies (its edits are drafts)


def test_pagination_fifty_per_page_without_count(client, django_assert_max_num_queries):
    editor = account("editeur.radiologie")
    page = radiology_competency()
    for n in range(RECENT_CHANGES_PER_PAGE + 5):
        edit(page, editor, statement=f"Version {n}")
    client.force_login(editor)
    with django_assert_max_num_queries(12):
        first = client.get(URL, {"author": "editeur.radiologie"})
    assert len(first.context["changes"]) == RECENT_CHANGES_PER_PAGE
    assert first.context["has_next"] and not first.context["has_previous"]
    assert 'rel="next"' in first.content.decode()
    second = client.get(URL, {"author": "editeur.radiologie", "page": 2})
    assert len(second.context["changes"]) == 5
    assert not second.context["has_next"] and second.context["has_previous"]
    assert not set(ids(first)) & set(ids(second))
    assert client.get(URL, {"page": "abc"}).status_code == 200


def test_patrollers_see_flags_buttons_and_counts_per_college(client, three_edits):
    client.force_login(account("patrouilleur"))
    html = client.get(URL).content.decode()
    assert "Modifications non patrouillées par collège" in html
    assert reverse("wiki:patrol", args=[three_edits["rad"].pk]) in html
    assert "Marquer comme patrouillée" in html
    counts = {
        r["college__acronym"]: r["count"]
        for r in client.get(URL).context["unpatrolled_per_college"]
    }
    assert counts["CERF"] >= 1 and counts["CNGE"] >= 1

    client.force_login(account("editeur.radiologie"))
    response = client.get(URL)
    html = response.content.decode()
    assert response.context["unpatrolled_per_college"] is None
    assert "Marquer comme patrouillée" not in html
    assert "non patrouillée" in html  # the flag itself is shown to everyone


def test_patrol_view_marks_the_change_and_comes_back(client, three_edits):
    change = three_edits["rad"]
    client.force_login(account("patrouilleur"))
    response = client.post(
        reverse("wiki:patrol", args=[change.pk]), {"next": URL + "?unpatrolled=on"}
    )
    assert response.status_code == 302 and response["Location"] == URL + "?unpatrolled=on"
    change.refresh_from_db()
    assert change.patrolled_by == account("patrouilleur")
    assert "La modification a été marquée comme patrouillée." in client.get(URL).content.decode()
    evil = client.post(reverse("wiki:patrol", args=[change.pk]), {"next": "https://evil.example/"})
    assert evil["Location"] == URL


def test_patrol_view_refusals(client, three_edits):
    url = reverse("wiki:patrol", args=[three_edits["rad"].pk])
    assert client.post(url).status_code == 302  # anonymous: to the login page
    client.force_login(account("editeur.radiologie"))
    assert client.post(url).status_code == 403
    client.force_login(account("patrouilleur"))
    assert client.get(url).status_code == 405
    assert client.post(reverse("wiki:patrol", args=[10**9])).status_code == 404
    three_edits["rad"].refresh_from_db()
    assert three_edits["rad"].patrolled_at is None


def test_patrol_log_lists_patrol_actions_newest_first(client, three_edits):
    patroller = account("patrouilleur")
    client.force_login(patroller)
    client.post(reverse("wiki:patrol", args=[three_edits["rad"].pk]))
    client.post(reverse("wiki:patrol", args=[three_edits["mg"].pk]))
    client.post(reverse("wiki:patrol", args=[three_edits["mg"].pk]), {"action": "unpatrol"})

    response = client.get(reverse("wiki:patrol-log"))
    assert response.status_code == 200
    entries = response.context["entries"]
    assert [(e.id, e.history_change_reason) for e in entries[:3]] == [
        (three_edits["mg"].pk, "wiki.change.unpatrol"),
        (three_edits["mg"].pk, "wiki.change.patrol"),
        (three_edits["rad"].pk, "wiki.change.patrol"),
    ]
    html = response.content.decode()
    assert "a retiré la marque de patrouille" in html and "a marqué comme patrouillée" in html
    assert "<caption>" in html

    client.logout()  # the public sees the log of live pages only
    public = client.get(reverse("wiki:patrol-log")).context["entries"]
    assert three_edits["rad"].pk not in [e.id for e in public]


def test_patrol_view_answers_json_for_in_place_patrol(client, three_edits):
    change = three_edits["rad"]
    client.force_login(account("patrouilleur"))
    response = client.post(reverse("wiki:patrol", args=[change.pk]), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json() == {
        "change_id": change.pk,
        "patrolled": True,
        "message": "La modification a été marquée comme patrouillée.",
        "college_id": change.college_id,
        "unpatrolled_count": 0,
    }
    change.refresh_from_db()
    assert change.patrolled_at is not None
