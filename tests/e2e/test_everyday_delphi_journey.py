"""Everyday Delphi use on a phone (390 px) and a desktop (1366 px): the facilitator creates a
study and invites the panel by e-mail, panelists sign in through their personal link and
submit after confirming, the facilitator reminds and closes, the committee reads the results
and decides. On every page: axe-core finds no serious or critical violation, and nothing
scrolls sideways. Screenshots go to build/e2e-screenshots/ (printed at the end)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from consensus.models import Study
from tests.factories.accounts import UserFactory
from wiki.services.roles import FACILITATORS, PANELISTS, STEERING_COMMITTEE

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(settings.BASE_DIR) / "build" / "e2e-screenshots"
PANEL = ["Inès", "Jules", "Karim", "Léa"]
LINK = re.compile(r"https?://[^/\s]+(/consensus/connexion/[^/\s]+/)")


def _user(username: str, first: str, group: str):
    user = UserFactory(username=username, first_name=first, last_name="Essai")
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.fixture
def device(browser, live_server):
    contexts = []

    def open_page(width: int, user=None):
        height = 844 if width < 500 else 900
        context = browser.new_context(
            base_url=live_server.url, locale="fr-FR", viewport={"width": width, "height": height}
        )
        if user is not None:
            client = Client()
            client.force_login(user)
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                        "url": live_server.url,
                    }
                ]
            )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def _check(page, axe, name: str, width: int, shots: list[Path]) -> None:
    """axe: no serious or critical violation; neither the page nor its content scrolls sideways."""
    violations = [v for v in axe(page) if v["impact"] in ("serious", "critical")]
    assert violations == [], (name, [(v["id"], v["nodes"][0]["target"]) for v in violations])
    overflow = page.evaluate(
        """() => {
        const main = document.querySelector('main');
        const limit = document.documentElement.clientWidth;
        const wide = [];
        for (const el of main.querySelectorAll('*')) {
          if (el.closest('.table-scroll, .panel-picker__list, dialog:not([open])')) continue;
          const r = el.getBoundingClientRect();
          if (r.width && r.right > limit + 1) wide.push(el.tagName + '.' + el.className);
        }
        const root = document.documentElement;
        return {
          page: root.scrollWidth - root.clientWidth,
          main: main.scrollWidth - main.clientWidth,
          wide: wide.slice(0, 5),
        };
      }"""
    )
    assert overflow["page"] <= 0, (name, width, overflow)
    assert overflow["main"] <= 0 and overflow["wide"] == [], (name, width, overflow)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"delphi-{width}-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    shots.append(path)


@pytest.mark.parametrize("width", [390, 1366])
def test_everyday_delphi_journey(seeded, device, axe, width):
    shots: list[Path] = []
    facilitator = _user("anim-essai", "Anna", FACILITATORS)
    panel = {name: _user(f"pan-{i}", name, PANELISTS) for i, name in enumerate(PANEL)}
    committee = _user("copil-essai", "Camille", STEERING_COMMITTEE)

    # Facilitator: the new-study form (search the panel, tick, decimal comma).
    fac = device(width, facilitator)
    fac.goto("/consensus/etudes/nouvelle/")
    _check(fac, axe, "01-nouvelle-etude", width, shots)
    fac.get_by_label("Titre").fill("Journée type")
    fac.get_by_label("Référentiel de compétences").select_option(
        label=fac.locator("#id_referentiel option", has_text="adiolog").first.inner_text()
    )
    fac.get_by_label("Seuil de consensus (part)").fill("0,75")
    fac.get_by_label("Bulletins soumis nécessaires avant d’afficher les résultats").fill("3")
    fac.get_by_label("Rechercher parmi les comptes des panélistes").fill("essai")
    fac.get_by_role("button", name="Cocher tous les comptes affichés").click()
    expect(fac.locator("#panel-count")).to_contain_text("4 sélectionnés")
    fac.get_by_role("button", name="Créer l’étude").click()
    expect(fac.get_by_role("heading", level=1)).to_have_text("Journée type")
    study = Study.objects.get(title="Journée type")
    assert study.threshold == pytest.approx(0.75) and study.panelists.count() == 4
    fac.get_by_role("button", name="Ouvrir le tour 1").click()
    expect(fac.get_by_text("Le tour 1 est ouvert.")).to_be_visible()
    mail.outbox.clear()
    fac.get_by_role("button", name="Envoyer l’invitation par courriel à 4 panélistes").click()
    expect(fac.get_by_text("4 invitations envoyées.")).to_be_visible()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in panel.values())
    fac.reload()
    _check(fac, axe, "02-tableau-de-bord", width, shots)
    links = {m.to[0]: LINK.search(m.body).group(1) for m in mail.outbox}

    # Panelists: sign in through the personal link, rate, submit after confirming.
    for index, user in enumerate(list(panel.values())[:3]):
        page = device(width)
        page.goto(links[user.email])
        if index == 0:
            _check(page, axe, "03-lien-de-connexion", width, shots)
        page.get_by_role("button", name="Me connecter et ouvrir mon questionnaire").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Questionnaire")
        expect(page.locator(".ballot-progress")).to_contain_text("0 item sur 8 coté")
        if index == 0:
            _check(page, axe, "04-questionnaire", width, shots)
        items = page.locator("fieldset.ballot-item").all()
        for fieldset in items[:6]:
            fieldset.get_by_label("8", exact=True).check()
        page.get_by_role("button", name="Enregistrer et terminer plus tard").click()
        expect(page.locator(".ballot-progress")).to_contain_text("6 items sur 8 cotés")
        page.locator(".ballot-progress__todo a").first.click()
        for fieldset in page.locator("fieldset.ballot-item").all()[6:]:
            fieldset.get_by_label("7", exact=True).check()
        page.get_by_role("button", name="Soumettre", exact=True).click()
        dialog = page.get_by_role("dialog")
        expect(dialog).to_contain_text("Vous avez coté 8 items sur 8.")
        if index == 0:
            _check(page, axe, "05-confirmation", width, shots)
        dialog.get_by_role("button", name="Confirmer et soumettre").click()
        expect(page.get_by_text("Merci : votre questionnaire a été soumis.")).to_be_visible()

    # Facilitator: remind the one left (one e-mail, to them only), then close after confirming.
    fac.reload()
    mail.outbox.clear()
    fac.get_by_role("button", name=re.compile("Relancer le panéliste qui n’a pas soumis")).click()
    expect(fac.get_by_text("1 relance envoyée.")).to_be_visible()
    assert [m.to for m in mail.outbox] == [[panel["Léa"].email]]
    fac.get_by_role("link", name="Clore le tour 1…").click()
    expect(fac.get_by_text("3 panélistes sur 4 ont soumis.")).to_be_visible()
    _check(fac, axe, "06-clore-le-tour", width, shots)
    fac.get_by_role("button", name="Clore le tour 1").click()
    expect(fac.get_by_text("Le tour 1 est clos.")).to_be_visible()
    expect(fac.locator("#participation")).to_contain_text("Tour 1 — Clos")

    # Committee: results (titles next to codes, scrolling tables), then decisions.
    cop = device(width, committee)
    cop.goto(f"/consensus/etudes/{study.pk}/resultats/")
    expect(cop.get_by_role("heading", name="Classement final")).to_be_visible()
    expect(cop.get_by_role("region", name=re.compile("Statistiques par item"))).to_be_visible()
    _check(cop, axe, "07-resultats", width, shots)
    cop.goto(f"/consensus/etudes/{study.pk}/decisions/")
    _check(cop, axe, "08-decisions", width, shots)

    print(f"\nScreenshots ({width} px): {SCREENSHOTS}")
    for path in shots:
        print(f"  {path}")
