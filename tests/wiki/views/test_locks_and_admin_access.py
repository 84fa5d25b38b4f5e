"""Wagtail page locks hold in the wiki's own edit form and revert; only the roles that edit
reach the Wagtail admin."""

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision

from tests.wiki.history_support import account, edit, radiology_competency

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked_page():
    """A radiology competency locked by a steering-committee member."""
    page = radiology_competency()
    page.locked, page.locked_by, page.locked_at = True, account("copil"), timezone.now()
    page.save(update_fields=["locked", "locked_by", "locked_at"])
    return page


def _form(page, statement: str) -> dict:
    return {
        "title": page.title,
        "code": page.code,
        "statement": statement,
        "body": "",
        "references": "",
        "rank": "",
        "learning_outcomes": "",
        "summary": "",
        "base_revision_id": str(page.latest_revision_id),
    }


def test_a_locked_page_is_not_saved_through_the_wiki_form(client, locked_page):
    client.force_login(account("editeur.radiologie"))
    url = reverse("wiki:edit", args=[locked_page.pk])
    revisions = Revision.objects.filter(object_id=str(locked_page.pk)).count()

    shown = client.get(url).content.decode()
    assert 'id="page-locked"' in shown and "disabled" in shown

    response = client.post(url, _form(locked_page, "Texte pendant le verrou"))
    assert response.status_code == 423
    body = response.content.decode()
    assert "verrouill" in body.lower() or "locked" in body.lower()
    assert "Texte pendant le verrou" in body  # nothing typed is lost
    assert Revision.objects.filter(object_id=str(locked_page.pk)).count() == revisions


def test_the_member_who_locked_the_page_may_still_save_it(client, locked_page):
    client.force_login(account("copil"))
    response = client.post(
        reverse("wiki:edit", args=[locked_page.pk]), _form(locked_page, "Par le comité")
    )
    assert response.status_code == 302
    assert radiology_competency().get_latest_revision().content["statement"] == "Par le comité"


def test_a_locked_page_is_not_reverted(client, locked_page):
    earlier = locked_page.get_latest_revision()
    edit(locked_page, account("copil"), statement="Version du comité")
    client.force_login(account("editeur.radiologie"))
    response = client.post(reverse("wiki:revert", args=[locked_page.pk, earlier.pk]), follow=True)
    assert response.status_code == 200
    assert "verrouill" in response.content.decode().lower()
    assert radiology_competency().get_latest_revision().content["statement"] == "Version du comité"


@pytest.mark.parametrize(
    ("username", "admin"),
    [
        ("editeur.radiologie", True),
        ("editeur.medecine-generale", True),
        ("copil", True),
        ("admin", True),
        ("patrouilleur", False),
        ("animateur.delphi", False),
        ("panel.expert", False),
    ],
)
def test_only_the_roles_that_edit_reach_the_wagtail_admin(client, username, admin):
    client.force_login(account(username))
    chooser = client.get(f"/admin/choose-page/{radiology_competency().get_parent().pk}/")
    assert (chooser.status_code == 200) is admin, chooser.status_code
    if not admin:  # the page chooser would list a college's draft titles
        assert "RAD-D1" not in chooser.content.decode()
    assert (client.get("/admin/").status_code == 200) is admin
    assert account(username).has_perm("wagtailadmin.access_admin") is admin
