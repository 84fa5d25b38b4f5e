import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from wiki.forms import MAX_TEXT_LENGTH
from wiki.models import CompetencyPage
from wiki.services.editing import page_latest_object

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(get_user_model().objects.get(username="editeur.radiologie"))
    return client


@pytest.fixture
def competency():
    return CompetencyPage.objects.get(code="RAD-D2-C01")


def form_data(page, **overrides):
    latest = page_latest_object(page)
    data = {
        "title": latest.title,
        "base_revision_id": page.latest_revision_id,
        "statement": latest.statement,
        "rank": latest.rank,
        "learning_outcomes": "\n".join(o.text for o in latest.learning_outcomes.all()),
        "body": latest.body,
        "references": latest.references,
        "summary": "",
    }
    data.update(overrides)
    return data


def test_edit_form_shows_the_latest_version_in_french(editor_client, competency):
    response = editor_client.get(reverse("wiki:edit", args=[competency.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Modifier" in html or "Modification" in html
    assert 'name="base_revision_id"' in html
    assert f'data-ws-path="/ws/pages/{competency.pk}/editors/"' in html


def test_save_redirects_to_the_working_version(editor_client, competency):
    response = editor_client.post(
        reverse("wiki:edit", args=[competency.pk]), form_data(competency, body="Texte **neuf**")
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("wiki:draft", args=[competency.pk])
    page = editor_client.get(response["Location"])
    assert "<strong>neuf</strong>" in page.content.decode()


def test_oversized_text_is_refused_and_kept(editor_client, competency):
    text = "x" * (MAX_TEXT_LENGTH + 1)
    response = editor_client.post(
        reverse("wiki:edit", args=[competency.pk]), form_data(competency, body=text)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "200\u202f000" in html  # the limit, in the message (French thousands)
    assert text in html  # nothing the editor typed is lost
    assert page_latest_object(competency).body != text


def test_conflict_view_keeps_both_versions(editor_client, competency):
    stale = form_data(competency)
    editor_client.post(
        reverse("wiki:edit", args=[competency.pk]), form_data(competency, body="Leur version")
    )
    response = editor_client.post(
        reverse("wiki:edit", args=[competency.pk]), {**stale, "body": "Ma version"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Leur version" in html and "Ma version" in html
    competency.refresh_from_db()
    assert f'value="{competency.latest_revision_id}"' in html  # next save builds on theirs


def test_other_college_cannot_open_the_form(client, competency):
    client.force_login(get_user_model().objects.get(username="editeur.medecine-generale"))
    assert client.get(reverse("wiki:edit", args=[competency.pk])).status_code == 403


def test_preview_renders_sanitised_markdown(editor_client):
    response = editor_client.post(
        reverse("wiki:preview"), {"text": "**gras** <script>alert(1)</script> [[SOCLE-D1-C01]]"}
    )
    html = response.content.decode()
    assert "<strong>gras</strong>" in html and "<script" not in html
    assert 'class="wikilink"' in html


def test_drafts_are_hidden_from_the_public(client, competency):
    response = client.get(reverse("wiki:draft", args=[competency.pk]))
    assert response.status_code == 302 and "/connexion/" in response["Location"]
