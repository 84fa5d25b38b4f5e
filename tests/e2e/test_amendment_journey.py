"""An amendment, in headless Chromium: from edition 1.0 of a published référentiel (set up
through the services) a signed-in reader proposes a new wording, the référent accepts it, the
single Delphi round runs and closes, the committee adopts and applies it and publishes the minor
edition 1.1; the diff 1.0 → 1.1 and the journal of 1.1 show the change. axe-core on each page."""

import re

import pytest
from playwright.sync_api import expect

from consensus.models import Amendment
from tests.consensus.amendments.helpers import published_referentiel, round_run_and_close
from tests.factories.accounts import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

NEW_STATEMENT = "Interpréter un résultat d’IA en imagerie en vérifiant son incertitude."


def test_an_amendment_leads_from_edition_1_0_to_1_1(seeded, user_page, axe):
    published = published_referentiel(n_competencies=2)
    slug = published.referentiel.slug
    code = published.competency().code
    proposer = UserFactory(first_name="Camille", last_name="Proposante")

    # A signed-in reader proposes an amendment from the edition's page.
    reader = user_page(proposer.username)
    reader.goto(f"/referentiels/{slug}/v1.0/")
    reader.get_by_role("link", name=f"Proposer un amendement — {code}").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(f"Amender {code} (édition 1.0)")
    assert axe(reader) == []
    reader.get_by_label("Énoncé proposé").fill(NEW_STATEMENT)
    reader.get_by_role("button", name="Proposer l’amendement").click()
    # No rationale: an error summary, what was typed kept, nothing stored.
    expect(reader.locator(".error-summary")).to_contain_text("Justification")
    expect(reader.get_by_label("Énoncé proposé")).to_have_value(NEW_STATEMENT)
    assert axe(reader) == []
    assert not Amendment.objects.exists()
    reader.get_by_label("Justification").fill("L’incertitude des modèles n’est pas nommée.")
    reader.get_by_role("button", name="Proposer l’amendement").click()
    expect(reader.get_by_text("Votre amendement est enregistré")).to_be_visible()
    expect(reader.locator("#amendment-status")).to_have_text("Proposé")
    amendment = Amendment.objects.get()

    # The référent accepts it from the référentiel's list of amendments.
    referent = user_page(published.referent.username)
    referent.goto(f"/consensus/referentiels/{published.referentiel.pk}/amendements/")
    expect(referent.locator("table")).to_contain_text("Camille Proposante")
    assert axe(referent) == []
    referent.get_by_label("Accepter pour étude").check()
    referent.get_by_role("button", name="Enregistrer la décision").click()
    expect(
        referent.get_by_text(f"Votre décision sur l’amendement n° {amendment.pk}")
    ).to_be_visible()
    expect(referent.locator("table")).to_contain_text("Accepté pour étude")

    # A facilitator opens the single Delphi round; the panel rates; the round closes.
    facilitator = user_page(published.facilitator.username)
    facilitator.goto(f"/consensus/amendements/{amendment.pk}/")
    facilitator.get_by_role("button", name="Ouvrir le tour Delphi").click()
    expect(facilitator.locator("#amendment-status")).to_have_text("En étude Delphi")
    amendment.refresh_from_db()
    round_run_and_close(published, amendment.study)

    # The committee adopts the proposed wording, applies it and publishes 1.1.
    committee = user_page(published.committee.username)
    committee.goto(f"/consensus/amendements/{amendment.pk}/")
    committee.get_by_role("link", name="enregistrer la décision").click()
    row = committee.locator("table.decisions tbody tr").first
    row.get_by_role("radio", name="Reformuler").check()
    expect(row.get_by_label(re.compile("Formulation adoptée"))).to_have_value(NEW_STATEMENT)
    row.get_by_label("Justification").fill("Consensus du panel au tour unique.")
    row.get_by_role("button").click()
    expect(committee.get_by_text("Décision enregistrée pour")).to_be_visible()
    committee.goto(f"/consensus/amendements/{amendment.pk}/")
    committee.get_by_role("button", name="Appliquer les décisions du comité").click()
    committee.goto(f"/consensus/amendements/{amendment.pk}/")
    expect(committee.locator("#amendment-status")).to_have_text("Adopté")
    assert axe(committee) == []
    committee.get_by_role("button", name="Publier l’édition mineure").click()
    expect(committee.get_by_text("L’édition 1.1 est publiée.")).to_be_visible()
    assert committee.url.endswith(f"/referentiels/{slug}/v1.1/")
    expect(committee.locator("article.edition")).to_contain_text(NEW_STATEMENT)

    # The public sees the change in the diff 1.0 → 1.1 and in the journal of 1.1.
    public = reader
    public.goto(f"/referentiels/{slug}/v1.1/")
    public.get_by_role("link", name="Changements de 1.0 à 1.1").click()
    expect(public.get_by_role("heading", name="1 compétence reformulée")).to_be_visible()
    expect(public.locator(".diff-competency ins").first).to_contain_text("vérifiant")
    assert axe(public) == []
    public.goto(f"/referentiels/{slug}/v1.1/journal/")
    expect(public.locator("#journal-amendments + ul")).to_contain_text(
        f"Amendement n° {amendment.pk} sur {code} (édition 1.0)"
    )
    expect(public.get_by_role("table").first).to_contain_text(NEW_STATEMENT)
    assert axe(public) == []
    public.get_by_role(
        "link", name=f"Amendement n° {amendment.pk} sur {code} (édition 1.0)"
    ).click()
    expect(public.locator("#amendment-status")).to_have_text("Publié")
    assert axe(public) == []
