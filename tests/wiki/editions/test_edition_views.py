import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.wiki.editions.support import competency, edit_published, published_referentiel
from wiki.exports.case import case_errors, case_identifier
from wiki.services.editions import edition_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_editions():
    """1.0, then 1.1 where D1-C1 is reworded, D1-C2 moved to D2, D2-C3 removed, one added."""
    referentiel = published_referentiel(prefix="EV")
    first = edition_publish(
        referentiel=referentiel,
        kind="major",
        provenance={
            "source": "lifecycle",
            "studies": [{"title": "Delphi EV", "rounds": 2, "items": 6, "panelists": 12}],
            "decisions": [
                {
                    "study": "Delphi EV",
                    "item": "EV-D1-C1",
                    "choice": "reword",
                    "wording": "Interpréter un compte rendu d'IA.",
                    "rationale": "Ambigu.",
                    "decided_at": "2026-11-02T10:00:00+00:00",
                }
            ],
            "votes": [
                {
                    "step": "Validation",
                    "body": "Conférences des doyens",
                    "seat": "CDD — Représentant",
                    "choice": "approve",
                    "comment": "Avis favorable.",
                    "cast_at": "2026-11-05T10:00:00+00:00",
                    "outcome": "approved",
                }
            ],
        },
    )
    edit_published(competency(referentiel, "EV-D1-C1"), statement="Interpréter un compte rendu")
    moved = competency(referentiel, "EV-D1-C2")
    domain2 = moved.get_parent().get_next_siblings().first()
    moved.move(domain2, pos="last-child")
    competency(referentiel, "EV-D2-C3").unpublish()
    from wiki.models import CompetencyPage

    new = CompetencyPage(title="Nouvelle", slug="nouvelle", code="EV-D2-C9", statement="Neuve")
    domain2.add_child(instance=new)
    new.save_revision().publish()
    second = edition_publish(referentiel=referentiel, kind="minor")
    return referentiel, first, second


def test_the_referentiel_address_shows_the_latest_edition_and_lists_every_edition(two_editions):
    referentiel, first, second = two_editions
    response = Client().get(f"/referentiels/{referentiel.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "1.1" in html and f"/referentiels/{referentiel.slug}/v1.0/" in html
    assert "dernière édition" in html


def test_one_edition_keeps_its_address_and_content(two_editions):
    referentiel, first, second = two_editions
    html = Client().get(f"/referentiels/{referentiel.slug}/v1.0/").content.decode()
    assert "Utiliser les outils numériques pour la tâche 1.1" in html
    assert "EV-D2-C9" not in html
    assert "une édition plus récente existe : 1.1" in html
    assert Client().get(f"/referentiels/{referentiel.slug}/v3.0/").status_code == 404


def test_the_diff_lists_added_removed_reworded_and_moved_competencies(two_editions):
    referentiel, *_ = two_editions
    url = f"/referentiels/{referentiel.slug}/v1.0/diff/v1.1/"
    assert url == reverse(
        "referentiels:edition-diff", kwargs={"slug": referentiel.slug, "a": "1.0", "b": "1.1"}
    )
    html = Client().get(url).content.decode()
    added = html.split('id="diff-added"')[1].split("</section>")[0]
    removed = html.split('id="diff-removed"')[1].split("</section>")[0]
    moved = html.split('id="diff-moved"')[1].split("</section>")[0]
    reworded = html.split('id="diff-reworded"')[1].split("</section>")[0]
    assert "EV-D2-C9" in added and "1 compétence ajoutée" in added
    assert "EV-D2-C3" in removed
    assert "EV-D1-C2" in moved and "EV-D1" in moved and "EV-D2" in moved
    assert "EV-D1-C1" in reworded and "EV-D1-C2" not in reworded
    assert "<del>" in reworded and "pour la tâche 1.1" in reworded


def test_the_journal_tells_the_decisions_votes_and_changes(two_editions):
    referentiel, *_ = two_editions
    html = Client().get(f"/referentiels/{referentiel.slug}/v1.0/journal/").content.decode()
    assert (
        "Interpréter un compte rendu d&#x27;IA." in html
        or "Interpréter un compte rendu d'IA." in html
    )
    assert "Reformuler" in html and "Avis favorable." in html and "CDD — Représentant" in html
    assert "Première édition" in html
    later = Client().get(f"/referentiels/{referentiel.slug}/v1.1/journal/").content.decode()
    assert "1 ajoutée(s), 1 retirée(s), 1 reformulée(s), 1 déplacée(s)" in later


def test_the_edition_exports_come_from_its_snapshot_with_edition_identifiers(two_editions):
    referentiel, first, second = two_editions
    response = Client().get(f"/referentiels/{referentiel.slug}/v1.0/export.json")
    assert response.status_code == 200
    package = json.loads(response.content)
    assert case_errors(package) == []
    assert package["CFDocument"]["version"] == "1.0"
    assert package["CFDocument"]["adoptionStatus"] == "Adopted"
    ids = {i["identifier"] for i in package["CFItems"]}
    assert case_identifier(referentiel.slug, "1.0", "EV-D1-C1") in ids
    newer = json.loads(Client().get(f"/referentiels/{referentiel.slug}/v1.1/export.json").content)
    assert case_errors(newer) == []
    replaced = [a for a in newer["CFAssociations"] if a["associationType"] == "replacedBy"]
    assert any(
        a["originNodeURI"]["identifier"] == case_identifier(referentiel.slug, "1.0", "EV-D1-C1")
        and a["destinationNodeURI"]["identifier"]
        == case_identifier(referentiel.slug, "1.1", "EV-D1-C1")
        for a in replaced
    )
    pdf = Client().get(f"/referentiels/{referentiel.slug}/v1.0/export.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_edition_spreadsheets_come_from_its_snapshot(two_editions):
    from io import BytesIO

    from openpyxl import load_workbook

    referentiel, first, second = two_editions
    base = f"/referentiels/{referentiel.slug}"
    old_csv = Client().get(f"{base}/v1.0/export.csv")
    assert old_csv.status_code == 200
    assert old_csv["Content-Disposition"] == f'attachment; filename="{referentiel.slug}-v1.0.csv"'
    old_text = old_csv.content.decode("utf-8-sig")
    new_text = Client().get(f"{base}/v1.1/export.csv").content.decode("utf-8-sig")
    # The competency added after 1.0 is in 1.1 only; the one removed in 1.1 stays in 1.0.
    assert "EV-D2-C9" not in old_text and "EV-D2-C9" in new_text
    assert "EV-D2-C3" in old_text and "EV-D2-C3" not in new_text
    sheet = load_workbook(BytesIO(Client().get(f"{base}/v1.0/export.xlsx").content)).active
    codes = {row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert "EV-D2-C3" in codes and "EV-D2-C9" not in codes
    detail = Client().get(f"{base}/v1.0/").content.decode()
    assert f'href="{base}/v1.0/export.csv"' in detail
    assert f'href="{base}/v1.0/export.xlsx"' in detail


def test_a_referentiel_without_edition_shows_its_published_pages_and_says_so():
    referentiel = published_referentiel()
    html = Client().get(f"/referentiels/{referentiel.slug}/").content.decode()
    assert "pas encore d’édition" in html and "Compétence 1.1" in html


def test_editions_of_a_referentiel_the_reader_may_not_see_are_not_served(user_factory):
    from wagtail.models import PageViewRestriction

    referentiel = published_referentiel()
    edition_publish(referentiel=referentiel, kind="major")
    PageViewRestriction.objects.create(page=referentiel, restriction_type="login")
    urls = [
        f"/referentiels/{referentiel.slug}/",
        f"/referentiels/{referentiel.slug}/v1.0/",
        f"/referentiels/{referentiel.slug}/v1.0/journal/",
        f"/referentiels/{referentiel.slug}/v1.0/diff/v1.0/",
        f"/referentiels/{referentiel.slug}/v1.0/export.json",
        f"/referentiels/{referentiel.slug}/v1.0/export.pdf",
        f"/referentiels/{referentiel.slug}/v1.0/export.csv",
        f"/referentiels/{referentiel.slug}/v1.0/export.xlsx",
    ]
    for url in urls:
        assert Client().get(url).status_code == 404, url
    member = Client()
    member.force_login(user_factory())
    assert member.get(urls[1]).status_code == 200


def test_a_draft_referentiel_is_not_served_to_the_public():
    referentiel = published_referentiel(live=False)
    assert Client().get(f"/referentiels/{referentiel.slug}/").status_code == 404
    assert Client().get(f"/referentiels/{referentiel.slug}/v1.0/").status_code == 404
