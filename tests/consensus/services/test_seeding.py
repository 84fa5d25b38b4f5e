import re

import pytest

from consensus import selectors
from consensus.models import Rating, Study
from consensus.services.seeding import demo_study_load

pytestmark = pytest.mark.django_db


def test_demo_study_is_idempotent():
    study = demo_study_load()
    assert study is not None
    assert demo_study_load().pk == study.pk
    assert study.panelists.count() == 8
    assert [r.status for r in study.rounds.order_by("number")] == ["closed", "open"]
    assert Rating.objects.filter(round_item__round__study=study).count() == 64
    assert study.is_frozen


def test_the_demo_study_shows_round_one_results_and_feedback():
    study = demo_study_load()
    results = selectors.study_results(study)
    assert results.disclosure.shown == (1,) and results.disclosure.withheld == ()
    assert {row.stats.n for row in results.report.items} == {8}
    second = study.rounds.open().get()
    panelist = study.panelists.order_by("pk").first()
    _ballot, lines = selectors.ballot_for_panelist(panelist, second)
    assert all(line.feedback is not None for line in lines)


def _demo_loaded() -> dict[str, str]:
    from consensus.services.seeding import demo_cycle_load, demo_lifecycle_load

    demo_study_load()
    demo_lifecycle_load()
    return demo_cycle_load()


def _counts() -> dict[str, int]:
    from wagtail.models import Revision, TaskState

    from consensus.models import Ballot, Decision, LifecycleVote, Study
    from wiki.models import Edition

    models = (Revision, TaskState, Ballot, Decision, LifecycleVote, Study, Edition)
    return {model.__name__: model.objects.count() for model in models}


def test_the_demo_takes_radiology_to_edition_1_0_and_general_medicine_to_an_open_round(client):
    from consensus.services.lifecycle import lifecycle_state
    from wiki.models import ReferentielPage

    assert _demo_loaded() == {
        "radiologie-3e-cycle": "1.0",
        "medecine-generale-3e-cycle": "phase 2",
    }
    before = _counts()
    _demo_loaded()
    assert _counts() == before  # idempotent

    radiology = ReferentielPage.objects.get(slug="radiologie-3e-cycle")
    assert radiology.live and radiology.status == ReferentielPage.Status.VALIDATED
    assert lifecycle_state(radiology).status == "approved"
    study = Study.objects.get(referentiel=radiology)
    assert not study.rounds.open().exists()
    assert all(hasattr(item, "decision") for item in study.items.all())

    edition = client.get("/referentiels/radiologie-3e-cycle/v1.0/")
    assert edition.status_code == 200
    assert "(métadonnées et pixels)" in edition.content.decode()  # the adopted wording
    journal = client.get("/referentiels/radiologie-3e-cycle/v1.0/journal/").content.decode()
    assert "RAD-D2-C02" in journal  # a decision (dropped)
    assert "Rejeter" in journal and "Approuver" in journal  # the rejection, then the approval
    assert "Les rangs attendus (A/B) ne sont pas justifiés" in journal  # its reasons
    assert "Conférence des doyens de maïeutique" in journal  # the deans' validation
    dashboard = client.get("/tableau-de-bord/").content.decode()
    row = re.search(r'<tr data-referentiel="radiologie-3e-cycle">(.*?)</tr>', dashboard, re.S)
    assert "Publié" in row.group(1) and "/referentiels/radiologie-3e-cycle/v1.0/" in row.group(1)

    general = ReferentielPage.objects.get(slug="medecine-generale-3e-cycle")
    assert general.phase == 2 and general.status == ReferentielPage.Status.CONSENSUS
    assert Study.objects.get(referentiel=general).rounds.open().exists()
    assert not general.editions.exists()


def _texts(value) -> list[str]:
    """Every string of an edition's snapshot (its published text)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return []


def test_the_demo_edition_claims_no_phase_the_referentiel_has_left():
    from wiki.models import Edition

    _demo_loaded()
    edition = Edition.objects.get(referentiel__slug="radiologie-3e-cycle", major=1, minor=0)
    texts = _texts(edition.snapshot)
    assert any("CERF" in text for text in texts)  # the introduction is in the edition
    claims = [
        text
        for text in texts
        if re.search(r"\bphase\s+[1-3]\b|en cours de rédaction", text, re.IGNORECASE)
    ]
    assert claims == []
