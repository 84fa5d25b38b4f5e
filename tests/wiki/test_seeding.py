import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from wiki.models import AmiCmaProject, CompetencyPage, DomainPage, Profession, ReferentielPage
from wiki.services.seeding import initial_data_load

pytestmark = pytest.mark.django_db

SEED = next((Path(settings.BASE_DIR).parent / "shared" / "seeds").glob("004_*.txt"), None)


def socle() -> ReferentielPage:
    return ReferentielPage.objects.get(slug="socle-numerique-en-sante")


def test_socle_has_exactly_five_domains_and_fifteen_competencies():
    domains = DomainPage.objects.child_of(socle()).live()
    assert [d.title for d in domains] == [
        "Données de santé",
        "Cybersécurité",
        "Communication",
        "Outils numériques",
        "Télésanté",
    ]
    competencies = CompetencyPage.objects.descendant_of(socle()).live()
    assert competencies.count() == 15
    assert [CompetencyPage.objects.child_of(d).count() for d in domains] == [4, 2, 3, 4, 2]


def test_socle_wording_is_the_seed_wording():
    if SEED is None:
        pytest.fail("the programme seed (shared/seeds/004_*.txt) is missing")
    text = SEED.read_text(encoding="utf-8")
    for page in CompetencyPage.objects.descendant_of(socle()):
        assert page.title in text, page.title


def test_loader_is_idempotent():
    counts = (CompetencyPage.objects.count(), get_user_model().objects.count())
    report = initial_data_load()
    assert report.total == 0
    assert (CompetencyPage.objects.count(), get_user_model().objects.count()) == counts


def test_reference_lists_are_loaded():
    assert Profession.objects.filter(in_socle=True).count() == 12
    assert AmiCmaProject.objects.count() == 30
    esnbyum = AmiCmaProject.objects.get(name="ESNbyUM")
    assert sorted(esnbyum.actions.values_list("number", flat=True)) == [1, 2, 3, 4, 5]


def test_pilot_referentiels_are_drafts_owned_by_their_college():
    pilot = ReferentielPage.objects.get(slug="radiologie-3e-cycle")
    assert not pilot.live
    assert pilot.college.acronym == "CERF"
    # Phase 2 in the seed: its lifecycle (consensus) starts there, status derived from it.
    assert (pilot.phase, pilot.status) == (2, ReferentielPage.Status.CONSENSUS)
    assert CompetencyPage.objects.descendant_of(pilot).count() >= 5


def test_demo_accounts_have_no_password_outside_the_demo():
    accounts = json.loads((Path(settings.FIXTURES_DIR) / "accounts.json").read_text("utf-8"))
    users = get_user_model().objects.filter(username__in=[a["username"] for a in accounts])
    assert users.count() == len(accounts)
    assert not any(user.has_usable_password() for user in users)


def test_college_editors_can_edit_their_own_referentiel_only():
    user_model = get_user_model()
    radiology = ReferentielPage.objects.get(slug="radiologie-3e-cycle")
    general_practice = ReferentielPage.objects.get(college__acronym="CNGE")
    editor = user_model.objects.get(username="editeur.radiologie")
    assert radiology.permissions_for_user(editor).can_edit()
    assert not general_practice.permissions_for_user(editor).can_edit()
    assert not socle().permissions_for_user(editor).can_edit()
