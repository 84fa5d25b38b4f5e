"""The programme's public pages, and one institution per university in the data."""

import importlib
import json
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.urls import reverse

from wiki.models import AmiCmaAction, AmiCmaProject, Institution, PlanPost
from wiki.services.institutions import (
    UnknownUniversity,
    label_fold,
    university_entries,
)

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.FIXTURES_DIR)
AMI_CMA = json.loads((FIXTURES / "ami_cma.json").read_text(encoding="utf-8"))


def _source_labels() -> list[str]:
    return [p["lead"] for p in AMI_CMA["projects"]] + [
        u["university"] for u in AMI_CMA["ia_sanses_universities"]
    ]


def test_every_university_label_of_the_sources_names_known_universities():
    for label in _source_labels():
        assert university_entries(label), label


def test_spellings_of_one_university_resolve_to_one_entry():
    slugs = {
        label: [e["slug"] for e in university_entries(label)]
        for label in (
            "Université Franche-Comté",
            "Université de Franche-Comté",
            "Université de Besançon Franche-Comté",
        )
    }
    assert set(map(tuple, slugs.values())) == {("universite-de-franche-comte",)}
    assert [e["slug"] for e in university_entries("Université Saint Etienne")] == [
        e["slug"] for e in university_entries("Université Jean Monnet")
    ]


def test_a_joint_label_names_each_university_and_an_unknown_one_is_refused():
    assert [e["name"] for e in university_entries("Université de Rennes 1 + Antilles")] == [
        "Université de Rennes 1",
        "Université des Antilles",
    ]
    with pytest.raises(UnknownUniversity, match="Université imaginaire"):
        university_entries("Université imaginaire")


def test_the_seed_creates_one_institution_per_university():
    universities = Institution.objects.filter(kind=Institution.Kind.UNIVERSITY)
    folded = [label_fold(u.name) for u in universities]
    assert len(folded) == len(set(folded))
    assert universities.filter(name__icontains="Franche").count() == 1
    assert not universities.filter(name__contains="+").exists()
    used = {e["slug"] for label in _source_labels() for e in university_entries(label)}
    assert set(universities.values_list("slug", flat=True)) == used


def test_a_joint_lead_is_a_lead_and_a_co_lead():
    sanurn = AmiCmaProject.objects.get(name="SaNuRN")
    assert [i.name for i in sanurn.leads] == [
        "Université de Rouen Normandie",
        "Université Côte d'Azur",
    ]


def test_the_migration_merges_spellings_and_splits_joint_leads():
    migration = importlib.import_module("wiki.migrations.0007_one_institution_per_university")
    kind = Institution.Kind.UNIVERSITY
    canonical = Institution.objects.get(slug="universite-de-franche-comte")
    duplicate = Institution.objects.create(
        slug="universite-franche-comte-old", name="Université Franche-Comté", kind=kind
    )
    joint = Institution.objects.create(
        slug="universite-de-rennes-1-antilles", name="Université de Rennes 1 + Antilles", kind=kind
    )
    led_by_duplicate = AmiCmaProject.objects.create(name="Projet A", lead=duplicate)
    led_jointly = AmiCmaProject.objects.create(name="Projet B", lead=joint)
    led_jointly.co_leads.add(duplicate)

    migration.forwards(django_apps, None)

    assert not Institution.objects.filter(pk__in=[duplicate.pk, joint.pk]).exists()
    led_by_duplicate.refresh_from_db()
    assert led_by_duplicate.lead == canonical
    led_jointly.refresh_from_db()
    assert led_jointly.lead.slug == "universite-de-rennes-1"
    assert {i.slug for i in led_jointly.co_leads.all()} == {
        "universite-des-antilles",
        "universite-de-franche-comte",
    }


def test_the_programme_index_links_to_every_programme_page(client):
    response = client.get(reverse("programme:index"))
    assert response.status_code == 200
    for name in ("phases", "ami-cma", "universities", "etu"):
        assert f'href="{reverse(f"programme:{name}")}"' in response.content.decode()


def test_the_laureates_page_lists_every_project_and_filters_by_action(client):
    response = client.get(reverse("programme:ami-cma"))
    assert response.status_code == 200
    assert len(response.context["view"].projects) == len(AMI_CMA["projects"]) == 30
    expected = sorted(p["name"] for p in AMI_CMA["projects"] if 5 in p["actions"])
    response = client.get(reverse("programme:ami-cma"), {"action": 5})
    assert sorted(p.name for p in response.context["view"].projects) == expected
    assert response.context["view"].selected == AmiCmaAction.objects.get(number=5)
    body = response.content.decode()
    assert 'href="/programme/laureats-ami-cma/?action=5" aria-current="true"' in body


def test_an_unknown_action_says_so_and_lists_every_project(client):
    response = client.get(reverse("programme:ami-cma"), {"action": "99"})
    assert response.status_code == 404
    assert len(response.context["view"].projects) == 30
    assert 'role="alert"' in response.content.decode()


def test_the_universities_page_lists_the_plan_and_its_total(client):
    response = client.get(reverse("programme:universities"))
    assert response.status_code == 200
    assert len(response.context["posts"]) == PlanPost.objects.count() == 18
    assert response.context["total"] == sum(
        u["ccu_posts"] for u in AMI_CMA["ia_sanses_universities"]
    )


def test_the_etu_and_phases_pages_show_the_seed_content(client):
    etu = json.loads((FIXTURES / "etu_esante.json").read_text(encoding="utf-8"))
    body = client.get(reverse("programme:etu")).content.decode()
    for part in etu["parts"]:
        for lesson in part["lessons"]:
            assert lesson.replace("'", "&#x27;") in body
    response = client.get(reverse("programme:phases"))
    phases = response.context["phases"]
    assert [p["months"] for p in phases] == [12, 24, 12, 12]
    assert [p["last_month"] for p in phases] == [12, 36, 48, 60]
