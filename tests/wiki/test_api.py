"""/api/v1/ référentiels and competencies: the published pages only, as the public reads them,
in paginated JSON."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import PageViewRestriction

from wiki.models import CompetencyPage, ReferentielPage

pytestmark = pytest.mark.django_db

SOCLE = "socle-numerique-en-sante"


def test_the_referentiels_are_the_published_ones_with_their_downloads(client):
    response = client.get("/api/v1/referentiels/")
    assert response.status_code == 200
    data = response.json()
    slugs = [r["slug"] for r in data["items"]]
    assert data["count"] == len(slugs) == ReferentielPage.objects.live().public().count()
    assert SOCLE in slugs
    assert not ReferentielPage.objects.filter(slug__in=slugs, live=False).exists()
    socle = next(r for r in data["items"] if r["slug"] == SOCLE)
    assert socle["downloads"] == {
        "pdf": f"/referentiels/{SOCLE}/export.pdf",
        "csv": f"/referentiels/{SOCLE}/export.csv",
        "xlsx": f"/referentiels/{SOCLE}/export.xlsx",
        "case": f"/referentiels/{SOCLE}/export.json",
    }
    assert socle["url"] == ReferentielPage.objects.get(slug=SOCLE).url


def test_a_referentiel_comes_with_its_domains_and_competencies(client):
    data = client.get(f"/api/v1/referentiels/{SOCLE}/").json()
    assert [d["code"] for d in data["domains"]] == ["D1", "D2", "D3", "D4", "D5"]
    assert sum(len(d["competencies"]) for d in data["domains"]) == 15
    pilot = ReferentielPage.objects.filter(live=False).first()
    assert client.get(f"/api/v1/referentiels/{pilot.slug}/").status_code == 404


def test_competencies_are_filtered_by_referentiel_and_domain_and_paginated(client):
    every = client.get("/api/v1/competencies/", {"page_size": 200}).json()
    public = CompetencyPage.objects.live().public()
    assert every["count"] == len(every["items"]) == 15 == public.count()
    assert {c["referentiel"] for c in every["items"]} == {SOCLE}
    d2 = client.get("/api/v1/competencies/", {"referentiel": SOCLE, "domain": "D2"}).json()
    assert [c["code"] for c in d2["items"]] == sorted(
        CompetencyPage.objects.filter(code__startswith="SOCLE-D2-").values_list("code", flat=True)
    )
    assert all(c["domain"] == "D2" for c in d2["items"])
    first_page = client.get("/api/v1/competencies/", {"page_size": 4}).json()
    second_page = client.get("/api/v1/competencies/", {"page_size": 4, "page": 2}).json()
    assert first_page["count"] == 15
    assert [c["code"] for c in first_page["items"] + second_page["items"]] == [
        c["code"] for c in every["items"][:8]
    ]
    detail = client.get("/api/v1/competencies/SOCLE-D2-C02/").json()
    assert detail == next(c for c in every["items"] if c["code"] == "SOCLE-D2-C02")


def test_drafts_and_restricted_pages_stay_out(client):
    competency = CompetencyPage.objects.get(code="SOCLE-D1-C01")
    published_title = competency.title
    draft = competency.get_latest_revision_as_object()
    draft.title = "Brouillon jamais publié"
    draft.save_revision(user=get_user_model().objects.get(username="copil"))
    detail = client.get("/api/v1/competencies/SOCLE-D1-C01/").json()
    assert detail["title"] == published_title
    pilot_code = CompetencyPage.objects.filter(live=False).values_list("code", flat=True).first()
    assert client.get(f"/api/v1/competencies/{pilot_code}/").status_code == 404
    # A logged-in editor gets the public's answer too: the API reads as the public.
    client.force_login(get_user_model().objects.get(username="copil"))
    assert client.get(f"/api/v1/competencies/{pilot_code}/").status_code == 404
    client.logout()
    socle = ReferentielPage.objects.get(slug=SOCLE)
    PageViewRestriction.objects.create(page=socle, restriction_type=PageViewRestriction.LOGIN)
    assert client.get("/api/v1/referentiels/").json()["count"] == 0
    assert client.get("/api/v1/competencies/").json()["count"] == 0
    assert client.get("/api/v1/competencies/SOCLE-D1-C01/").status_code == 404


def test_a_live_competency_under_an_unpublished_referentiel_stays_out(client):
    pilot = ReferentielPage.objects.filter(live=False).first()
    competency = CompetencyPage.objects.descendant_of(pilot).first()
    competency.get_latest_revision().publish()
    assert CompetencyPage.objects.get(pk=competency.pk).live
    assert client.get(f"/api/v1/competencies/{competency.code}/").status_code == 404
    assert competency.code not in [
        c["code"] for c in client.get("/api/v1/competencies/", {"page_size": 200}).json()["items"]
    ]
