import pytest
from django.core.exceptions import PermissionDenied
from wagtail.models import Page

from tests.wiki.history_support import (
    account,
    edit,
    general_medicine_competency,
    radiology_competency,
    socle_competency,
)
from wiki.models import Change, CompetencyPage
from wiki.services.history import RevisionNotOfPage, page_revert

pytestmark = pytest.mark.django_db


def test_revert_makes_a_new_revision_with_the_old_content():
    editor = account("editeur.radiologie")
    page = radiology_competency()
    original = edit(page, editor, statement="Version d'origine")
    edit(page, editor, statement="Version vandalisée", body="Texte ajouté")
    revisions_before = page.revisions.count()

    new_revision = page_revert(page=page, revision=original.revision, user=editor)

    assert page.revisions.count() == revisions_before + 1
    assert new_revision.content["statement"] == "Version d'origine"
    assert new_revision.content["body"] == original.revision.content["body"]
    change = Change.objects.get(revision=new_revision)
    assert change.kind == Change.Kind.REVERT
    assert change.summary.startswith("Révocation vers la révision du ")
    assert change.user == editor
    latest = CompetencyPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert latest.statement == "Version d'origine"


def test_revert_restores_structured_fields():
    editor = account("editeur.radiologie")
    page = radiology_competency()
    outcomes = [o["text"] for o in page.get_latest_revision().content["learning_outcomes"]]
    original = page.get_latest_revision()
    drafted = CompetencyPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    drafted.learning_outcomes = []
    drafted.rank = "C"
    drafted.save_revision(user=editor)

    new_revision = page_revert(page=page, revision=original, user=editor)

    assert [o["text"] for o in new_revision.content["learning_outcomes"]] == outcomes
    assert new_revision.content["rank"] == original.content["rank"]


def test_a_draft_page_stays_a_draft():
    editor = account("editeur.radiologie")
    page = radiology_competency()
    original = edit(page, editor, statement="Avant")
    edit(page, editor, statement="Après")
    page_revert(page=page, revision=original.revision, user=editor)
    page = Page.objects.get(pk=page.pk)
    assert not page.live


def test_a_live_page_reverted_by_the_committee_is_published():
    committee = account("copil")
    page = socle_competency()
    published_statement = page.statement
    original = page.get_latest_revision()
    edit(page, committee, statement="Brouillon à révoquer").revision.publish(user=committee)
    assert CompetencyPage.objects.get(pk=page.pk).statement == "Brouillon à révoquer"

    new_revision = page_revert(page=page, revision=original, user=committee)

    page = CompetencyPage.objects.get(pk=page.pk)
    assert page.live_revision_id == new_revision.pk
    assert page.statement == published_statement
    assert not page.has_unpublished_changes


def test_editors_of_another_college_and_patrollers_may_not_revert():
    page = radiology_competency()
    original = page.get_latest_revision()
    edit(page, account("editeur.radiologie"), statement="Modifié")
    for username in ("editeur.medecine-generale", "patrouilleur", "panel.expert"):
        with pytest.raises(PermissionDenied):
            page_revert(page=page, revision=original, user=account(username))
    assert Change.objects.filter(page=page, kind=Change.Kind.REVERT).count() == 0


def test_a_revision_of_another_page_is_refused():
    editor = account("copil")
    with pytest.raises(RevisionNotOfPage):
        page_revert(
            page=radiology_competency(),
            revision=general_medicine_competency().get_latest_revision(),
            user=editor,
        )
