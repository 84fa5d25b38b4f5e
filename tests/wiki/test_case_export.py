"""CASE 1.1 export of a référentiel's published pages: valid against the official schema,
deterministic, and limited to what the public may read."""

import json
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.models import PageViewRestriction

from wiki.exports.case import case_bytes, case_errors, case_identifier, case_package
from wiki.models import CompetencyPage, ReferentielPage
from wiki.snapshots import public_referentiel, referentiel_snapshot_live

pytestmark = pytest.mark.django_db

SOCLE = "socle-numerique-en-sante"


def _socle_package() -> dict:
    return case_package(referentiel_snapshot_live(ReferentielPage.objects.get(slug=SOCLE)))


def _types(package: dict) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in package["CFItems"]:
        counts[item["CFItemType"]] = counts.get(item["CFItemType"], 0) + 1
    return counts


def test_the_socle_exports_as_a_valid_cfpackage_with_its_tree():
    package = _socle_package()
    assert case_errors(package) == []
    assert package["CFDocument"]["title"] == "Référentiel socle du numérique en santé"
    assert package["CFDocument"]["caseVersion"] == "1.1"
    assert _types(package)["Domaine"] == 5
    assert _types(package)["Compétence"] == 15
    items = {i["identifier"]: i for i in package["CFItems"]}
    document = package["CFDocument"]["identifier"]
    domains = sorted(
        (a["sequenceNumber"], items[a["originNodeURI"]["identifier"]]["humanCodingScheme"])
        for a in package["CFAssociations"]
        if a["associationType"] == "isChildOf" and a["destinationNodeURI"]["identifier"] == document
    )
    assert [code for _n, code in domains] == ["D1", "D2", "D3", "D4", "D5"]
    competency = next(i for i in package["CFItems"] if i.get("humanCodingScheme") == "SOCLE-D2-C02")
    parents = [
        items[a["destinationNodeURI"]["identifier"]]["humanCodingScheme"]
        for a in package["CFAssociations"]
        if a["associationType"] == "isChildOf"
        and a["originNodeURI"]["identifier"] == competency["identifier"]
    ]
    assert parents == ["D2"]


def test_exporting_twice_gives_the_same_bytes_and_identifiers():
    first, second = case_bytes(_socle_package()), case_bytes(_socle_package())
    assert first == second
    package = json.loads(first)
    competency = next(i for i in package["CFItems"] if i.get("humanCodingScheme") == "SOCLE-D1-C01")
    assert competency["identifier"] == case_identifier(SOCLE, "live", "SOCLE-D1-C01")
    assert str(uuid.UUID(competency["identifier"])) == competency["identifier"]


def test_a_newer_draft_stays_out_of_the_export():
    competency = CompetencyPage.objects.get(code="SOCLE-D1-C01")
    published = competency.statement
    draft = competency.get_latest_revision_as_object()
    draft.statement = "Brouillon jamais publié"
    draft.save_revision(user=get_user_model().objects.get(username="copil"))
    statements = [i["fullStatement"] for i in _socle_package()["CFItems"]]
    assert "Brouillon jamais publié" not in statements
    assert (published or competency.title) in statements


def test_unpublished_and_restricted_referentiels_are_not_exported(client):
    pilot = ReferentielPage.objects.exclude(slug=SOCLE).first()
    assert not pilot.live
    assert public_referentiel(pilot.slug) is None
    assert client.get(f"/referentiels/{pilot.slug}/export.json").status_code == 404
    socle = ReferentielPage.objects.get(slug=SOCLE)
    PageViewRestriction.objects.create(page=socle, restriction_type=PageViewRestriction.LOGIN)
    assert public_referentiel(SOCLE) is None
    assert client.get(f"/referentiels/{SOCLE}/export.json").status_code == 404
    assert json.loads(client.get("/ims/case/v1p1/CFDocuments").content)["CFDocuments"] == []


def test_the_rest_endpoints_serve_the_latest_edition_as_its_download(client):
    response = client.get(f"/referentiels/{SOCLE}/v1.0/export.json")
    assert response.status_code == 200
    package = json.loads(response.content)
    document = package["CFDocument"]["identifier"]
    assert document == case_identifier(SOCLE, "1.0")
    listing = json.loads(client.get("/ims/case/v1p1/CFDocuments").content)
    assert [d["identifier"] for d in listing["CFDocuments"]] == [document]
    served = client.get(f"/ims/case/v1p1/CFPackages/{document}")
    assert served["Access-Control-Allow-Origin"] == "*"
    assert served.content == response.content
    item = package["CFItems"][0]
    assert json.loads(client.get(f"/ims/case/v1p1/CFItems/{item['identifier']}").content) == item
    association = package["CFAssociations"][0]
    assert (
        json.loads(client.get(f"/ims/case/v1p1/CFAssociations/{association['identifier']}").content)
        == association
    )
    assert client.get(f"/ims/case/v1p1/CFItems/{uuid.uuid4()}").status_code == 404


def test_the_command_writes_a_valid_package_and_refuses_what_it_cannot_export(client, tmp_path):
    out = tmp_path / "socle.json"
    call_command("case_export", SOCLE, "-o", str(out))
    assert case_errors(json.loads(out.read_text(encoding="utf-8"))) == []
    # Without --version: the latest edition, the bytes of its download.
    assert out.read_bytes() == client.get(f"/referentiels/{SOCLE}/v1.0/export.json").content
    with pytest.raises(CommandError) as unknown:
        call_command("case_export", "inconnu")
    assert unknown.value.returncode == 2
    with pytest.raises(CommandError, match="no edition 9.9") as no_edition:
        call_command("case_export", SOCLE, "--version", "9.9")
    assert no_edition.value.returncode == 2
    call_command("case_export", SOCLE, "--version", "1.0", "-o", str(out))
    edition = json.loads(out.read_text(encoding="utf-8"))
    assert case_errors(edition) == [] and edition["CFDocument"]["version"] == "1.0"


def test_the_pdf_holds_every_domain_and_competency_and_is_built_once(client, monkeypatch):
    from weasyprint import HTML

    from wiki.exports import pdf

    response = client.get(f"/referentiels/{SOCLE}/export.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    snapshot = referentiel_snapshot_live(ReferentielPage.objects.get(slug=SOCLE))
    html = HTML(
        string=pdf.render_to_string("wiki/exports/referentiel_pdf.html", {"snapshot": snapshot})
    )
    labels = list(_bookmarks(html.render().make_bookmark_tree()))
    for competency in snapshot.competencies:
        assert any(competency.code in label for label in labels), competency.code
    builds = []
    original = pdf.referentiel_pdf
    monkeypatch.setattr(pdf, "referentiel_pdf", lambda s: builds.append(s) or original(s))
    again = client.get(f"/referentiels/{SOCLE}/export.pdf")
    assert again.content == response.content
    assert builds == []  # served from the cache, not rebuilt


def _bookmarks(tree):
    for label, _target, children, *_state in tree:
        yield label
        yield from _bookmarks(children)


def test_the_referentiel_page_offers_its_downloads_to_the_public(client):
    page = ReferentielPage.objects.get(slug=SOCLE)
    body = client.get(page.url).content.decode()
    assert f'href="/referentiels/{SOCLE}/export.pdf"' in body
    assert f'href="/referentiels/{SOCLE}/export.json"' in body


def test_schema_violations_are_named_with_their_path():
    package = _socle_package()
    package["CFItems"][0]["identifier"] = "pas-un-uuid"
    del package["CFDocument"]["creator"]
    errors = case_errors(package)
    assert any(e.startswith("$.CFItems[0].identifier") for e in errors), errors
    assert any("creator" in e for e in errors), errors
