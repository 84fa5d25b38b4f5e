import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_save

from wiki.exceptions import EditConflict
from wiki.models import Change, CompetencyPage
from wiki.services.editing import page_edit, page_latest_object
from wiki.services.history import page_revert

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return get_user_model().objects.get(username="editeur.radiologie")


@pytest.fixture
def competency():
    return CompetencyPage.objects.get(code="RAD-D1-C01")


def test_edit_creates_a_revision_and_a_change_with_summary(editor, competency):
    base = competency.latest_revision_id
    revision = page_edit(
        page=competency,
        user=editor,
        data={"body": "Nouveau texte avec [[SOCLE-D1-C01]].", "learning_outcomes": ["A", "B"]},
        base_revision_id=base,
        summary="Reformulation",
    )
    competency.refresh_from_db()
    assert competency.latest_revision_id == revision.pk != base
    latest = page_latest_object(competency)
    assert latest.body.startswith("Nouveau texte")
    assert [o.text for o in latest.learning_outcomes.all()] == ["A", "B"]
    change = Change.objects.get(revision=revision)
    assert (change.summary, change.user, change.kind) == ("Reformulation", editor, "edit")
    assert change.patrolled_at is None  # a college editor is not trusted by default


def test_saving_on_a_stale_revision_is_a_conflict_and_stores_nothing(editor, competency):
    base = competency.latest_revision_id
    page_edit(page=competency, user=editor, data={"body": "v1"}, base_revision_id=base)
    count = Change.objects.filter(page=competency).count()
    with pytest.raises(EditConflict) as error:
        page_edit(page=competency, user=editor, data={"body": "v2"}, base_revision_id=base)
    assert (
        error.value.latest_revision.pk
        == CompetencyPage.objects.get(pk=competency.pk).latest_revision_id
    )
    assert Change.objects.filter(page=competency).count() == count
    competency.refresh_from_db()
    assert page_latest_object(competency).body == "v1"


def test_other_college_editor_is_refused(competency):
    other = get_user_model().objects.get(username="editeur.medecine-generale")
    with pytest.raises(PermissionDenied):
        page_edit(
            page=competency,
            user=other,
            data={"body": "x"},
            base_revision_id=competency.latest_revision_id,
        )


@pytest.fixture
def changes_saved():
    """(created, kind, summary) of every Change save, as post_save receivers see them."""
    seen = []

    def saved(sender, instance, created, **kwargs):
        seen.append((created, instance.kind, instance.summary))

    post_save.connect(saved, sender=Change, dispatch_uid="test.changes_saved")
    yield seen
    post_save.disconnect(sender=Change, dispatch_uid="test.changes_saved")


def test_an_edit_records_its_change_once_with_its_summary(editor, competency, changes_saved):
    page_edit(
        page=competency,
        user=editor,
        data={"statement": "Énoncé reformulé"},
        base_revision_id=competency.latest_revision_id,
        summary="Reformulation",
    )
    assert changes_saved == [(True, "edit", "Reformulation")]


def test_a_revert_records_its_change_once_as_a_revert(editor, competency, changes_saved):
    original = competency.latest_revision
    page_edit(
        page=competency,
        user=editor,
        data={"statement": "Vandalisme"},
        base_revision_id=original.pk,
    )
    changes_saved.clear()
    page_revert(page=competency, revision=original, user=editor)
    [(created, kind, summary)] = changes_saved
    assert (created, kind) == (True, "revert")
    assert summary.startswith("Révocation vers la révision du ")


def test_a_revision_saved_outside_the_services_is_still_recorded(editor, competency):
    """Wagtail's admin saves revisions itself: the receiver records them as plain edits."""
    draft = page_latest_object(competency)
    draft.statement = "Modifié dans l'administration"
    revision = draft.save_revision(user=editor)
    change = Change.objects.get(revision=revision)
    assert (change.kind, change.summary, change.user) == ("edit", "", editor)
