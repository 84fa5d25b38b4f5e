import pytest
from wagtail.models import Page

from consensus.models import Amendment
from consensus.services.amendment_seeding import DEMO_RATIONALE, demo_amendment_load
from consensus.services.seeding import DEMO_REFERENTIEL, demo_lifecycle_load, demo_study_load
from wiki.models import ReferentielPage
from wiki.services.editions import edition_publish, edition_snapshot

pytestmark = pytest.mark.django_db


def test_without_an_edition_1_0_the_demo_amendment_does_nothing_and_says_so():
    demo_study_load()
    message = demo_amendment_load()
    assert "no edition 1.0" in message
    assert not Amendment.objects.exists()


def test_the_demo_amendment_takes_the_radiology_pilot_from_1_0_to_1_1_once():
    demo_study_load()
    demo_lifecycle_load()
    referentiel = ReferentielPage.objects.get(slug=DEMO_REFERENTIEL)
    referentiel.save_revision().publish()
    for page in Page.objects.descendant_of(referentiel).specific():
        page.save_revision().publish()
    first = edition_publish(referentiel=referentiel, kind="major")

    message = demo_amendment_load()

    assert "edition 1.1" in message
    amendment = Amendment.objects.get(rationale=DEMO_RATIONALE)
    assert amendment.status == Amendment.Status.PUBLISHED
    assert amendment.published_edition.version == "1.1"
    assert amendment.study.rounds.get().status == "closed"
    new = {c.code: c for c in edition_snapshot(amendment.published_edition).competencies}
    old = {c.code: c for c in edition_snapshot(first).competencies}
    assert new[amendment.code].statement != old[amendment.code].statement
    assert "[Démonstration" in new[amendment.code].statement
    assert "already loaded" in demo_amendment_load()
    assert referentiel.editions.count() == 2 and Amendment.objects.count() == 1
