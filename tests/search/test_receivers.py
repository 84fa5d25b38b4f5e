"""Pages, permissions and discussions reach the index after their transaction commits."""

import pytest
from django.contrib.auth.models import Permission
from wagtail.models import GroupPagePermission

from search.models import PendingIndexing
from search.queries import pages_search
from search.results import SearchRequest
from search.visibility import PUBLIC, visibility_for
from tests.search.helpers import indexed, publish, refresh
from wiki.models import CompetencyPage, ReferentielPage
from wiki.services.discussions import message_post, thread_create

pytestmark = pytest.mark.django_db


def titles(text: str, visibility=PUBLIC) -> list[str]:
    refresh()
    return [r.title for r in pages_search(SearchRequest(text=text), visibility).results]


def test_a_published_change_is_indexed_after_commit(
    reindexed_after, django_capture_on_commit_callbacks, patroller
):
    page = CompetencyPage.objects.get(code="SOCLE-D4-C04")
    with django_capture_on_commit_callbacks(execute=True):
        publish(page, title="Chercher de l'information probante en santé avec Zotéro")
        assert PendingIndexing.objects.filter(key=f"page:{page.pk}").exists()
        assert indexed(f"page-{page.pk}")["title"] == "Chercher de l'information probante en santé"
    assert indexed(f"page-{page.pk}")["title"].endswith("avec Zotéro")
    assert titles("zotero", visibility_for(patroller)) == [
        "Chercher de l'information probante en santé avec Zotéro"
    ]
    # The public reads the socle's edition 1.0, which no later edit changes.
    assert titles("zotero") == []
    assert not PendingIndexing.objects.exists()


def test_unpublished_then_deleted_pages_leave_the_public_results(
    reindexed_after, django_capture_on_commit_callbacks, patroller
):
    page = CompetencyPage.objects.get(code="SOCLE-D4-C02")
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    refresh()
    public = pages_search(SearchRequest(text="SOCLE-D4-C02"), PUBLIC).results
    # Only the socle's edition 1.0 still has it (editions never change), not the live page.
    assert [r.edition for r in public if r.code == "SOCLE-D4-C02"] == ["1.0"]
    refresh()
    assert indexed(f"page-{page.pk}")["live"] is False
    patrolling = visibility_for(patroller)
    assert (
        pages_search(SearchRequest(text="SOCLE-D4-C02"), patrolling).results[0].code
        == "SOCLE-D4-C02"
    )
    with django_capture_on_commit_callbacks(execute=True):
        page.delete()
    assert indexed(f"page-{page.pk}") is None


def test_a_referentiel_change_reaches_the_pages_below_it(
    reindexed_after, django_capture_on_commit_callbacks
):
    socle = ReferentielPage.objects.get(slug="socle-numerique-en-sante")
    competency = CompetencyPage.objects.get(code="SOCLE-D3-C03")
    with django_capture_on_commit_callbacks(execute=True):
        publish(socle, phase=3, title="Référentiel socle (version consolidée)")
    document = indexed(f"page-{competency.pk}")
    assert document["phase"] == "3"
    assert document["referentiel"] == "Référentiel socle (version consolidée)"


def test_granting_a_college_a_subtree_shows_it_the_drafts(
    reindexed_after, django_capture_on_commit_callbacks, cnge_editor
):
    radiology = ReferentielPage.objects.get(slug="radiologie-3e-cycle")
    assert not [
        r
        for r in pages_search(SearchRequest(text="RAD-D2-C01"), visibility_for(cnge_editor)).results
        if r.code == "RAD-D2-C01"
    ]
    group = cnge_editor.groups.get()
    with django_capture_on_commit_callbacks(execute=True):
        GroupPagePermission.objects.create(
            group=group,
            page=radiology,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename="change_page"
            ),
        )
    refresh()
    results = pages_search(SearchRequest(text="RAD-D2-C01"), visibility_for(cnge_editor)).results
    assert results[0].code == "RAD-D2-C01"


def test_discussions_are_found_by_logged_in_users_only(
    reindexed_after, django_capture_on_commit_callbacks, cerf_editor, cnge_editor
):
    socle_page = CompetencyPage.objects.get(code="SOCLE-D1-C01")
    draft_page = CompetencyPage.objects.get(code="RAD-D1-C01")
    with django_capture_on_commit_callbacks(execute=True):
        public_thread = thread_create(
            user=cerf_editor,
            page=socle_page,
            title="Identifiant national",
            body="Et le matricule INS ?",
        )
        message_post(user=cnge_editor, thread=public_thread, body="Voir la téléprocédure Ameli.")
        thread_create(
            user=cerf_editor,
            page=draft_page,
            title="Matricule des examens",
            body="Anonymiser le matricule.",
        )
    refresh()
    assert indexed(f"thread-{public_thread.pk}")["messages"][1] == "Voir la téléprocédure Ameli."
    assert titles("matricule", PUBLIC) == []
    assert titles("matricule", visibility_for(cnge_editor)) == ["Identifiant national"]
    assert set(titles("matricule", visibility_for(cerf_editor))) == {
        "Identifiant national",
        "Matricule des examens",
    }
    [result] = pages_search(
        SearchRequest(text="teleprocedure"), visibility_for(cnge_editor)
    ).results
    assert result.type == "discussion"
    assert result.url.endswith(f"#discussion-{public_thread.pk}")
    assert "<mark>téléprocédure</mark>" in result.highlight


def test_a_delphi_item_is_found_in_its_current_wording(
    reindexed_after, django_capture_on_commit_callbacks
):
    from consensus.services.studies import item_reword
    from tests.factories.consensus import ItemFactory, StudyFactory

    socle = ReferentielPage.objects.get(slug="socle-numerique-en-sante")
    competency = CompetencyPage.objects.get(code="SOCLE-D2-C02")
    with django_capture_on_commit_callbacks(execute=True):
        study = StudyFactory(referentiel=socle)
        item = ItemFactory(
            study=study, page=competency, code="DX-01", version__text="Signaler un hameçonnage"
        )
    refresh()
    document = indexed(f"delphi_item-{item.pk}")
    assert document["wording"] == "Signaler un hameçonnage"
    assert document["type"] == "delphi_item"
    assert document["live"] is True  # the socle competency it rates is published
    [result] = pages_search(SearchRequest(text="hameconnage"), PUBLIC).results
    assert (result.type, result.code) == ("delphi_item", "DX-01")

    with django_capture_on_commit_callbacks(execute=True):
        item_reword(user=study.created_by, item=item, text="Déclarer un rançongiciel")
    refresh()
    assert indexed(f"delphi_item-{item.pk}")["wording"] == "Déclarer un rançongiciel"
    assert titles("hameconnage") == []
    assert [r.code for r in pages_search(SearchRequest(text="rançongiciels"), PUBLIC).results] == [
        "DX-01"
    ]


def test_renaming_a_study_reaches_its_items(reindexed_after, django_capture_on_commit_callbacks):
    from tests.factories.consensus import ItemFactory, StudyFactory

    with django_capture_on_commit_callbacks(execute=True):
        study = StudyFactory(
            referentiel=ReferentielPage.objects.get(slug="socle-numerique-en-sante")
        )
        item = ItemFactory(study=study, version__text="Tracer les accès au dossier")
    refresh()
    assert indexed(f"delphi_item-{item.pk}")["study"] == str(study)
    with django_capture_on_commit_callbacks(execute=True):
        study.title = "Delphi socle 2027"
        study.save()
    refresh()
    assert indexed(f"delphi_item-{item.pk}")["study"] == str(study) == "Delphi socle 2027"


def test_a_delphi_item_whose_page_is_deleted_is_anchored_on_its_referentiel(
    reindexed_after, django_capture_on_commit_callbacks
):
    from tests.factories.consensus import ItemFactory, StudyFactory

    socle = ReferentielPage.objects.get(slug="socle-numerique-en-sante")
    competency = CompetencyPage.objects.get(code="SOCLE-D5-C02")
    with django_capture_on_commit_callbacks(execute=True):
        study = StudyFactory(referentiel=socle)
        item = ItemFactory(study=study, page=competency, version__text="Téléexpertise")
    refresh()
    assert indexed(f"delphi_item-{item.pk}")["url"] == competency.url
    with django_capture_on_commit_callbacks(execute=True):
        competency.delete()
    refresh()
    assert indexed(f"delphi_item-{item.pk}")["url"] == socle.url
