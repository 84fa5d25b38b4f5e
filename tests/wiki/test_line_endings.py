"""Line endings are normalised on input: a browser's CRLF never reaches the database, so a diff
shows what the editor changed and the size change counts what they typed."""

import importlib

import pytest
from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Revision

from wiki.models import Change, CompetencyPage, Message, Thread
from wiki.services.editing import page_edit, page_latest_object
from wiki.text import newlines_normalised

pytestmark = pytest.mark.django_db

BEFORE = "Premier paragraphe.\n\nDeuxième paragraphe,\nsur deux lignes.\n"
AFTER = BEFORE + "\nUn troisième, ajouté.\n"


def test_newlines_normalised_turns_crlf_and_cr_into_lf():
    assert newlines_normalised("a\r\nb\rc\n\r\n") == "a\nb\nc\n\n"
    assert newlines_normalised("rien") == "rien"


@pytest.fixture
def editor():
    return get_user_model().objects.get(username="editeur.radiologie")


@pytest.fixture
def competency(editor):
    page = CompetencyPage.objects.get(code="RAD-D2-C01")
    page_edit(
        page=page,
        user=editor,
        data={"body": BEFORE},
        base_revision_id=page.latest_revision_id,
    )
    page.refresh_from_db()
    return page


def _form_data(page, body):
    latest = page_latest_object(page)
    return {
        "title": latest.title,
        "base_revision_id": page.latest_revision_id,
        "statement": latest.statement.replace("\n", "\r\n"),
        "rank": latest.rank,
        "learning_outcomes": "\r\n".join(o.text for o in latest.learning_outcomes.all()),
        "body": body,
        "references": latest.references.replace("\n", "\r\n"),
        "evaluation_methods": [m.pk for m in latest.evaluation_methods.all()],
        "summary": "ajout",
    }


def test_a_browser_crlf_save_gives_a_clean_diff_and_the_typed_size(client, editor, competency):
    client.force_login(editor)
    before_revision = competency.latest_revision_id
    response = client.post(
        reverse("wiki:edit", args=[competency.pk]),
        _form_data(competency, AFTER.replace("\n", "\r\n")),  # what a browser sends
    )
    assert response.status_code == 302
    competency.refresh_from_db()
    revision = Revision.objects.get(pk=competency.latest_revision_id)
    assert revision.content["body"] == AFTER
    assert "\r" not in str(revision.content)

    change = Change.objects.get(revision=revision)
    assert change.size_delta == len(AFTER) - len(BEFORE)  # +22, not +26

    diff = client.get(
        reverse("wiki:diff", args=[competency.pk]), {"de": before_revision, "a": revision.pk}
    )
    html = diff.content.decode()
    assert html.count("<ins>") == 1  # only the new paragraph
    assert "<del>" not in html
    assert "troisième" in html


def test_pages_saved_by_code_or_admin_forms_store_lf(competency):
    # What Wagtail's admin form and the imports do: set the fields, save a revision.
    page = page_latest_object(competency)
    page.body = "a\r\nb\rc"
    revision = page.save_revision()
    assert revision.content["body"] == "a\nb\nc"
    revision.publish()
    assert CompetencyPage.objects.get(pk=competency.pk).body == "a\nb\nc"
    field = CompetencyPage._meta.get_field("body").formfield()
    assert field.clean("x\r\ny") == "x\ny"


def test_discussion_messages_store_lf(client, editor, competency):
    client.force_login(editor)
    response = client.post(
        reverse("wiki:discussion", args=[competency.pk]),
        {"title": "Sujet", "body": "ligne 1\r\nligne 2"},
    )
    assert response.status_code in (200, 302)
    thread = Thread.objects.get(page=competency, title="Sujet")
    assert Message.objects.get(thread=thread).body == "ligne 1\nligne 2"


def test_migration_cleans_stored_text_revisions_and_sizes(editor, competency):
    # Text stored before normalisation: written around the model fields.
    CompetencyPage.objects.filter(pk=competency.pk).update(body="x\r\ny\r\n")
    revision = Revision.objects.get(pk=competency.latest_revision_id)
    crlf_content = {**revision.content, "body": BEFORE.replace("\n", "\r\n")}
    Revision.objects.filter(pk=revision.pk).update(content=crlf_content)
    Change.objects.filter(revision=revision).update(size=9999, size_delta=9999)

    migration = importlib.import_module("wiki.migrations.0008_line_endings_lf")
    migration.text_line_endings_lf(global_apps, None)

    assert CompetencyPage.objects.get(pk=competency.pk).body == "x\ny\n"
    revision.refresh_from_db()
    assert revision.content["body"] == BEFORE
    changes = list(Change.objects.filter(page_id=competency.pk).order_by("created_at", "id"))
    assert changes[-1].size == sum(
        len(str(revision.content.get(f) or ""))
        for f in ("title", "code", "statement", "intro", "body", "references")
    ) + sum(len(o.get("text", "")) for o in revision.content.get("learning_outcomes") or [])
    assert changes[-1].size_delta == changes[-1].size - changes[-2].size
