"""The lifecycle of a référentiel in headless Chromium against PostgreSQL, Redis and
Elasticsearch, through the pages its actors use: the general-medicine pilot, in phase 1 in the
seed, goes to edition 1.0.

1. Its college editor is told in French what blocks the phase-1 gate, with links; creates the
   « état des lieux » in the Wagtail admin; the committee names the référent and moves it on
   from the Wagtail admin's « awaiting your review » panel.
2. A Delphi study runs (round opened and closed by the facilitator, a ballot in the browser)
   and closes; the committee records a decision per item and applies them.
3. The steering committee votes: rejected with reasons, submitted again, approved; the deans'
   conferences validate. The committee's account votes once from the Wagtail admin.
4. Edition 1.0 is published and the public search finds its wording; an edit in the wiki
   afterwards leaves 1.0 as it was.
6. The national dashboard shows it published, version 1.0.
(5, amendments, is its own journey.)

Set up without a browser, because other tests click through them: the Delphi study's
creation form (test_consensus_journey) and the seats' holders (test_links_and_seats_admin)."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from consensus.models import Body, CommitteeSeat, Decision, Study
from consensus.services.studies import study_create
from search.connection import breaker
from search.indexing import index_drop_all, index_rebuild
from tests.consensus.lifecycle.helpers import seats
from tests.factories.consensus import panelist_user
from wiki.models import CompetencyPage, Edition, Institution, ReferentielPage

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

SLUG = "medecine-generale-3e-cycle"
REWORDED = "Mener une téléconsultation sécurisée et en tracer les conclusions dans le dossier"
STEERING = ("uness", "cimes")  # and CNCEM, held by the demo committee account
DEANS = ("cdd", "cdp", "cdo", "cdm")


@pytest.fixture
def search_indexed(seeded, elasticsearch):
    breaker.reset()
    index_rebuild()  # the seed was reloaded after Django flushed the tables: new page ids
    yield
    index_drop_all()


def _search_until_found(page, query: str, text: str, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while True:
        page.goto(f"/recherche/?q={query}")
        results = page.locator(".result-list")
        if results.count() and text in results.inner_text():
            return
        if time.monotonic() > deadline:
            expect(results).to_contain_text(text)  # fails with the page's snapshot
        time.sleep(0.5)


def _vote(page, cycle: str, choice: str, comment: str = "") -> None:
    page.goto(cycle)
    form = page.locator("#vote form")
    form.get_by_label(choice, exact=True).check()
    if comment:
        form.get_by_label("Commentaire (les raisons, pour un rejet)").fill(comment)
    form.get_by_role("button", name="Voter").click()
    expect(page.get_by_text("Votre vote est enregistré.")).to_be_visible()


def test_a_referentiel_from_phase_1_to_edition_1_0(search_indexed, page, user_page):
    referentiel = ReferentielPage.objects.get(slug=SLUG)
    member = get_user_model().objects.get(username="copil")
    cycle = f"/consensus/referentiels/{referentiel.pk}/cycle/"
    steering = seats(Body.STEERING_COMMITTEE, STEERING)
    CommitteeSeat.objects.update_or_create(
        body=Body.STEERING_COMMITTEE,
        institution=Institution.objects.get(slug="cncem"),
        defaults={"role_label": "Représentant", "holder": member, "active": True},
    )
    deans = seats(Body.DEANS_CONFERENCES, DEANS)

    # 1. The college's editor is told what blocks the gate, in French, each with a link.
    editor = user_page("editeur.medecine-generale")
    editor.goto(cycle)
    expect(editor.locator("#lifecycle-phase")).to_contain_text("1")
    gate = editor.locator("section[aria-labelledby=gate-title]")
    expect(gate).to_contain_text("Aucun référent n'est nommé")
    expect(gate).to_contain_text("La page « état des lieux » manque")
    assert gate.get_by_role("link", name="Corriger").count() == 2
    # She writes the « état des lieux » in the Wagtail admin, from the gate's link.
    gate.get_by_role("listitem").filter(has_text="état des lieux").get_by_role(
        "link", name="Corriger"
    ).click()
    editor.locator("[name=title]").fill("État des lieux")
    editor.locator("[name=existing_teaching]").fill("Enseignements recensés dans 3 facultés.")
    editor.locator("[name=benchmarking]").fill("Référentiels européens de médecine de famille.")
    editor.locator("[name=methodology]").fill("Groupes de pairs, puis consensus Delphi.")
    editor.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(editor.locator(".messages")).to_contain_text("créée")
    editor.goto(cycle)
    expect(gate).not_to_contain_text("état des lieux")

    # The committee names the référent, then moves the référentiel on from Wagtail's admin.
    committee = user_page("copil")
    committee.goto(cycle)
    committee.get_by_label("Référent (un compte du collège)").select_option(
        label="Éditeur Médecine générale (CNGE)"
    )
    committee.get_by_role("button", name="Nommer le référent").click()
    expect(committee.get_by_text("Le référent est nommé.")).to_be_visible()
    expect(committee.locator("section[aria-labelledby=gate-title]")).to_contain_text(
        "Toutes les conditions sont remplies."
    )
    committee.goto("/admin/")
    row = committee.locator("tr", has_text=referentiel.title).first
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name="Passer à la phase suivante").click()
    committee.wait_for_url(re.compile(re.escape(cycle)))
    expect(committee.locator("#lifecycle-phase")).to_contain_text("2")

    # 2. A Delphi study on its three competencies: round 1 opened, rated, closed.
    facilitator = user_page("animateur.delphi")
    panel = [panelist_user() for _ in range(3)]
    study = study_create(
        user=get_user_model().objects.get(username="animateur.delphi"),
        title="Delphi médecine générale",
        referentiel=referentiel,
        panel=[(user, "teacher") for user in panel],
        min_ballots=3,
        rounds_planned=1,
    )
    facilitator.goto(f"/consensus/etudes/{study.pk}/")
    facilitator.get_by_role("button", name="Ouvrir le tour 1").click()
    expect(facilitator.get_by_text("Le tour 1 est ouvert.")).to_be_visible()
    first = study.rounds.get()
    for user, score in zip(panel, ("9", "8", "8"), strict=True):
        panelist = user_page(user.username)
        panelist.goto(f"/consensus/tours/{first.pk}/bulletin/")
        for fieldset in panelist.locator("fieldset.ballot-item").all():
            fieldset.get_by_label(score, exact=True).check()
        panelist.get_by_role("button", name="Soumettre", exact=True).click()
        panelist.get_by_role("dialog").get_by_role("button", name="Confirmer et soumettre").click()
        expect(panelist.get_by_text("Merci : votre questionnaire a été soumis.")).to_be_visible()
    facilitator.reload()
    facilitator.get_by_role("link", name="Clore le tour 1…").click()
    facilitator.get_by_role("button", name="Clore le tour 1").click()
    expect(facilitator.get_by_text("Le tour 1 est clos.")).to_be_visible()

    # The committee decides each item (one rewording) and applies the decisions.
    committee.goto(f"/consensus/etudes/{study.pk}/decisions/")
    items = list(study.items.order_by("position"))
    for item in items:
        row = committee.locator(f"#item-{item.pk}")
        if item.position == 1:
            row.get_by_label("Reformuler", exact=True).check()
            row.get_by_label("Formulation adoptée (pour « reformuler »)").fill(REWORDED)
        else:
            row.get_by_label("Retenir", exact=True).check()
        row.get_by_label("Justification").fill("Consensus au tour 1.")
        row.get_by_role("button").click()
        expect(committee.get_by_text("Décision enregistrée pour")).to_be_visible()
    assert Decision.objects.filter(item__study=study).count() == 3
    committee.goto(cycle)
    committee.get_by_role("button", name="Passer à la phase suivante").click()  # 2 → 3
    expect(committee.locator("#lifecycle-phase")).to_contain_text("3")
    gate = committee.locator("section[aria-labelledby=gate-title]")
    expect(gate).to_contain_text("n'est pas appliquée")
    committee.get_by_role("button", name="Appliquer les décisions du comité").click()
    expect(committee.get_by_text("Décisions appliquées")).to_be_visible()
    expect(gate).to_contain_text("Toutes les conditions sont remplies.")
    committee.get_by_role("button", name="Passer à la phase suivante").click()
    expect(committee.locator("#vote")).to_be_visible()

    # 3. The steering committee rejects it with reasons, it comes back, then approves (the
    # committee's account votes from the Wagtail admin's « awaiting your review »).
    voters = [user_page(seat.holder.username) for seat in steering]
    _vote(voters[0], cycle, "Rejeter", "Les modalités d'évaluation de MG-D1-C03 manquent.")
    _vote(voters[1], cycle, "Rejeter", "Les rangs ne sont pas justifiés.")
    _vote(committee, cycle, "Approuver")
    editor.goto(cycle)
    expect(editor.locator("#lifecycle-status")).to_contain_text("Renvoyé pour modifications")
    expect(editor.locator(".reasons")).to_contain_text("Les rangs ne sont pas justifiés.")
    editor.get_by_role("button", name="Soumettre à nouveau").click()
    for voter in voters:
        _vote(voter, cycle, "Approuver")
    committee.goto("/admin/")
    row = committee.locator("tr", has_text=referentiel.title).first
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name="Voter").click()
    modal = committee.get_by_role("dialog")
    modal.get_by_label("Approuver", exact=True).check()
    modal.get_by_label("Commentaire (les raisons, pour un rejet)").fill("Réserves levées.")
    modal.get_by_role("button", name=re.compile("Voter")).click()
    committee.wait_for_url(re.compile(re.escape(cycle)))
    expect(committee.locator("#lifecycle-phase")).to_contain_text("4")

    # Not published yet: the public search does not find the adopted wording.
    page.goto("/recherche/?q=conclusions+dossier")
    expect(page.locator("#search-count")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("MG-D1-C02")

    # The deans' conferences validate, one voice each.
    for seat in deans:
        _vote(user_page(seat.holder.username), cycle, "Approuver")

    # 4. Edition 1.0, with the adopted wording; the public search finds it.
    edition = Edition.objects.get(referentiel=referentiel)
    assert edition.version == "1.0"
    page.goto(f"/referentiels/{SLUG}/v1.0/")
    expect(page.locator("main")).to_contain_text(REWORDED)
    page.goto(f"/referentiels/{SLUG}/v1.0/journal/")
    journal = page.locator("main")
    expect(journal).to_contain_text("Les rangs ne sont pas justifiés.")
    expect(journal).to_contain_text("Reformuler")
    # Indexed when the publication committed; the node shows it after its refresh (1 s).
    _search_until_found(page, "conclusions+dossier", "MG-D1-C02")

    # An edit in the wiki afterwards changes the live page, not edition 1.0.
    competency = CompetencyPage.objects.get(code="MG-D1-C02")
    editor.goto(f"/wiki/{competency.pk}/modifier/")
    editor.get_by_label("Énoncé").fill("Énoncé modifié après la publication.")
    editor.get_by_label("Résumé de la modification").fill("Après l'édition 1.0")
    editor.get_by_role("button", name=re.compile("Enregistrer")).click()
    # Saved as a draft (college editors do not publish): the committee publishes.
    expect(editor.get_by_text("Cette page a des modifications non publiées")).to_be_visible()
    draft = CompetencyPage.objects.get(pk=competency.pk).get_latest_revision_as_object()
    assert draft.statement == "Énoncé modifié après la publication."
    page.goto(f"/referentiels/{SLUG}/v1.0/")
    expect(page.locator("main")).to_contain_text(REWORDED)
    expect(page.locator("main")).not_to_contain_text("Énoncé modifié après la publication.")
    assert Edition.objects.get(pk=edition.pk).digest == edition.digest

    # 6. The national dashboard: published, version 1.0.
    page.goto("/tableau-de-bord/")
    dashboard_row = page.locator(f"tr[data-referentiel='{SLUG}']")
    expect(dashboard_row).to_contain_text("Publié")
    expect(dashboard_row.get_by_role("link", name=re.compile("1.0"))).to_have_attribute(
        "href", f"/referentiels/{SLUG}/v1.0/"
    )
    assert Study.objects.get(pk=study.pk).rounds.open().count() == 0
