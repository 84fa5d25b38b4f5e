"""/programme/matrice-socle/: each socle competency with the competencies of the other
référentiels that refine it, as the reader may see them."""

import pytest
from django.contrib.auth import get_user_model

from wiki import visibility
from wiki.models import CompetencyPage, ReferentielPage
from wiki.transversal import socle_matrix

pytestmark = pytest.mark.django_db

URL = "/programme/matrice-socle/"


def _radiology() -> ReferentielPage:
    return ReferentielPage.objects.get(specialty__slug="radiologie-et-imagerie-medicale")


def _publish(referentiel: ReferentielPage) -> None:
    for page in [referentiel, *referentiel.get_descendants().order_by("path")]:
        page.specific.get_latest_revision().publish()


def _expected_pairs(referentiel: ReferentielPage) -> set[tuple[str, str]]:
    return {
        (ref.code, competency.code)
        for competency in CompetencyPage.objects.descendant_of(referentiel)
        for ref in competency.socle_refs.all()
    }


def _pairs(matrix) -> set[tuple[str, str]]:
    return {
        (row.competency.code, competency.code)
        for group in matrix.domains
        for row in group.rows
        for cell in row.cells
        for competency in cell
    }


def test_the_public_sees_no_draft_refinement(client):
    matrix = socle_matrix(visibility.PUBLIC)
    assert matrix.columns == ()
    assert sum(len(d.rows) for d in matrix.domains) == 15
    response = client.get(URL)
    assert response.status_code == 200
    assert "Aucun référentiel publié ne décline encore le socle." in response.content.decode()


def test_a_published_pilot_gets_its_column_with_every_refinement(client):
    radiology = _radiology()
    expected = _expected_pairs(radiology)
    assert expected  # the seed's pilot refines the socle
    _publish(radiology)
    matrix = socle_matrix(visibility.PUBLIC)
    assert [c.pk for c in matrix.columns] == [radiology.pk]
    assert _pairs(matrix) == expected
    html = client.get(URL).content.decode()
    assert '<table class="data-table socle-matrix">' in html
    assert '<th scope="row">' in html and '<th scope="col">' in html
    code = sorted(expected)[0][1]
    assert CompetencyPage.objects.get(code=code).url in html
    assert "brouillon" not in html


def test_readers_of_drafts_see_the_pilots_marked_as_drafts(client):
    copil = get_user_model().objects.get(username="copil")
    matrix = socle_matrix(visibility.reader_for(copil))
    pilots = ReferentielPage.objects.filter(live=False)
    assert {c.pk for c in matrix.columns} == {p.pk for p in pilots if _expected_pairs(p)}
    client.force_login(copil)
    html = client.get(URL).content.decode()
    assert "brouillon" in html
