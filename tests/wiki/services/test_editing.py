import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from wiki.exceptions import EditConflict
from wiki.models import Change, CompetencyPage
from wiki.services.editing import page_edit, page_latest_object

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
