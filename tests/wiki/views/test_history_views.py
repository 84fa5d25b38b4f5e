from html import escape

import pytest
from django.urls import reverse

from tests.wiki.history_support import (
    account,
    edit,
    general_medicine_competency,
    radiology_competency,
    socle_competency,
)
from wiki.models import Change, CompetencyPage

pytestmark = pytest.mark.django_db


def history_url(page) -> str:
    return reverse("wiki:history", args=[page.pk])


def test_history_lists_every_revision_newest_first_in_french(client):
    editor = account("editeur.radiologie")
    page = radiology_competency()
    first = edit(page, editor, statement="Première")
    second = edit(page, editor, statement="Deuxième plus longue")
    client.force_login(editor)

    response = client.get(history_url(page))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"Historique de « {escape(page.title)} »" in html
    rows = list(response.context["changes"])
    assert [c.pk for c in rows[:2]] == [second.pk, first.pk]
    assert len(rows) == page.revisions.count()
    assert "<caption>" in html and 'scope="col"' in html
    assert "non patrouillée" in html  # the editor is not trusted
    assert "Comparer" in html
    assert "Révoquer vers cette version" in html
    assert f"+{second.size_delta}" in html


def test_history_hides_revert_from_readers_and_drafts_from_the_public(client):
    response = client.get(history_url(socle_competency()))
    assert response.status_code == 200
    assert "Révoquer vers cette version" not in response.content.decode()
    assert client.get(history_url(radiology_competency())).status_code == 404
    client.force_login(account("editeur.medecine-generale"))
    assert client.get(history_url(radiology_competency())).status_code == 404
    assert client.get(history_url(general_medicine_competency())).status_code == 200


def test_diff_shows_added_and_deleted_words_escaped_and_announced(client):
    editor = account("editeur.radiologie")
    page = radiology_competency()
    old = edit(page, editor, statement="Lire les images <b>avec</b> prudence")
    new = edit(page, editor, statement="Lire les comptes rendus <b>avec</b> prudence")
    client.force_login(editor)

    response = client.get(
        reverse("wiki:diff", args=[page.pk]), {"de": old.revision_id, "a": new.revision_id}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert '<del><span class="visually-hidden">[supprimé : </span>images</span>' not in html
    assert "supprimé" in html and "ajouté" in html
    assert "images</del>" in html.replace('<span class="visually-hidden">]</span>', "")
    assert "comptes rendus</ins>" in html.replace('<span class="visually-hidden">]</span>', "")
    assert "&lt;b&gt;avec&lt;/b&gt;" in html and "<b>avec</b>" not in html
    assert [f.name for f in response.context["fields"]] == ["statement"]


def test_diff_without_from_compares_with_the_previous_revision(client):
    editor = account("editeur.radiologie")
    page = radiology_competency()
    edit(page, editor, body="Un")
    new = edit(page, editor, body="Un deux")
    client.force_login(editor)
    response = client.get(reverse("wiki:diff", args=[page.pk]), {"a": new.revision_id})
    assert response.status_code == 200
    assert [f.name for f in response.context["fields"]] == ["body"]


def test_diff_refuses_foreign_or_bad_revisions(client):
    client.force_login(account("copil"))
    page = radiology_competency()
    other = general_medicine_competency().get_latest_revision()
    url = reverse("wiki:diff", args=[page.pk])
    assert client.get(url, {"a": other.pk}).status_code == 404
    assert client.get(url, {"a": "abc"}).status_code == 404
    assert client.get(url).status_code == 404
    own = page.get_latest_revision()
    assert client.get(url, {"a": own.pk, "de": other.pk}).status_code == 404


def test_revert_view_restores_the_content_as_a_new_revision(client):
    editor = account("editeur.radiologie")
    page = radiology_competency()
    good = edit(page, editor, statement="Bonne version")
    edit(page, editor, statement="Mauvaise version")
    client.force_login(editor)

    response = client.post(reverse("wiki:revert", args=[page.pk, good.revision_id]))

    assert response.status_code == 302
    assert response["Location"] == history_url(page)
    latest = CompetencyPage.objects.get(pk=page.pk).get_latest_revision()
    assert latest.content["statement"] == "Bonne version"
    assert Change.objects.get(revision=latest).kind == Change.Kind.REVERT
    assert "Révocation" in client.get(history_url(page)).content.decode()


def test_revert_view_refuses_get_anonymous_and_other_colleges(client):
    page = radiology_competency()
    revision = page.get_latest_revision()
    url = reverse("wiki:revert", args=[page.pk, revision.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and "/connexion/" in response["Location"]
    client.force_login(account("editeur.medecine-generale"))
    assert client.post(url).status_code == 404  # may not even see the draft
    client.force_login(account("patrouilleur"))
    assert client.post(url).status_code == 403
    assert page.revisions.count() == CompetencyPage.objects.get(pk=page.pk).revisions.count()
    assert not Change.objects.filter(page=page, kind=Change.Kind.REVERT).exists()
