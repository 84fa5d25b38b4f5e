"""Issue 4's journey, in headless Chromium against the ASGI server (PostgreSQL + Redis):
two colleges edit their own référentiels and are refused on the other's; an edit conflict is
resolved; a patroller sees the edits arrive live and patrols them; a watcher is notified; a
diff shows the change; a revert restores it."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from wiki.models import CompetencyPage
from wiki.services.editing import page_latest_object

pytestmark = pytest.mark.django_db(transaction=True)


def edit_body(page, page_id: int, text: str, summary: str) -> None:
    page.goto(f"/wiki/{page_id}/modifier/")
    page.get_by_label("Texte (Markdown)").fill(text)
    page.get_by_label("Résumé de la modification").fill(summary)
    page.get_by_role("button", name=re.compile("Enregistrer")).click()


def test_two_colleges_conflict_patrol_watch_diff_revert(seeded, asgi_user_page):
    user_model = get_user_model()
    second = user_model.objects.create_user(
        "editeur2.radiologie", first_name="Second éditeur", last_name="Radiologie"
    )
    second.groups.set(user_model.objects.get(username="editeur.radiologie").groups.all())
    rad = CompetencyPage.objects.get(code="RAD-D1-C01")
    rad_other = CompetencyPage.objects.get(code="RAD-D1-C02")
    mg = CompetencyPage.objects.filter(code__startswith="MG-").first()

    # The patroller watches the radiology competency and keeps recent changes open.
    patroller = asgi_user_page("patrouilleur")
    patroller.goto(f"/wiki/{rad.pk}/brouillon/")
    patroller.get_by_role("button", name="Suivre").click()
    expect(patroller.get_by_role("button", name="Ne plus suivre")).to_be_visible()
    patroller.goto("/wiki/modifications-recentes/")
    expect(patroller.locator("#recent-changes")).to_have_attribute("data-live-state", "open")

    # Each college edits its own référentiel...
    cerf = asgi_user_page("editeur.radiologie")
    edit_body(cerf, rad.pk, "Texte du CERF avec [[SOCLE-D1-C02]].", "Première version CERF")
    expect(cerf.locator("main")).to_contain_text("Texte du CERF")
    cnge = asgi_user_page("editeur.medecine-generale")
    edit_body(cnge, mg.pk, "Texte du CNGE.", "Première version CNGE")
    expect(cnge.locator("main")).to_contain_text("Texte du CNGE")
    # ...and is refused on the other's.
    assert cerf.goto(f"/wiki/{mg.pk}/modifier/").status == 403
    assert cnge.goto(f"/wiki/{rad.pk}/modifier/").status == 403

    # The patroller saw both edits arrive without reloading, and patrols them.
    rows = patroller.locator("#recent-changes tbody tr.is-new")
    expect(rows).to_have_count(2)
    expect(patroller.locator("#recent-changes")).to_contain_text("Première version CNGE")
    for _ in range(2):
        patroller.locator("#recent-changes tbody tr.is-new").get_by_role(
            "button", name=re.compile("Marquer comme patrouillée")
        ).first.click()
    # Patrolling happens in place (fetch): wait until both rows are patrolled.
    expect(patroller.locator("#recent-changes tbody tr.is-new .patrol-form")).to_have_count(0)
    unpatrolled = CompetencyPage.objects.get(pk=rad.pk).wiki_changes.filter(
        patrolled_at__isnull=True
    )
    assert not unpatrolled.exists()

    # The watcher was notified of the CERF edit.
    patroller.goto("/wiki/notifications/")
    expect(patroller.locator("main")).to_contain_text(rad.title)

    # Two CERF editors open the same page; each sees the other; the second save conflicts.
    first_tab = asgi_user_page("editeur.radiologie")
    second_tab = asgi_user_page("editeur2.radiologie")
    first_tab.goto(f"/wiki/{rad_other.pk}/modifier/")
    second_tab.goto(f"/wiki/{rad_other.pk}/modifier/")
    expect(first_tab.locator("#editors-presence")).to_contain_text("Second éditeur")
    second_tab.get_by_label("Texte (Markdown)").fill("Version du second éditeur.")
    second_tab.get_by_role("button", name=re.compile("Enregistrer")).click()
    expect(second_tab.locator("main")).to_contain_text("Version du second éditeur.")
    first_tab.get_by_label("Texte (Markdown)").fill("Version du premier éditeur.")
    first_tab.get_by_role("button", name=re.compile("Enregistrer")).click()
    expect(first_tab.get_by_role("heading", name="Conflit de modification")).to_be_visible()
    expect(first_tab.locator(".conflict")).to_contain_text("Version du second éditeur.")
    expect(first_tab.get_by_label("Texte (Markdown)")).to_have_value("Version du premier éditeur.")
    first_tab.get_by_label("Texte (Markdown)").fill(
        "Version du second éditeur. Complétée par le premier."
    )
    first_tab.get_by_role("button", name=re.compile("Enregistrer")).click()
    expect(first_tab.locator("main")).to_contain_text("Complétée par le premier.")

    # History: compare the last two versions of the CERF page, then revert the edit.
    rad.refresh_from_db()
    original_body = page_latest_object(rad).body
    edit_body(cerf, rad.pk, "Texte du CERF corrigé.", "Correction")
    cerf.goto(f"/wiki/{rad.pk}/historique/")
    cerf.get_by_role("button", name="Comparer").click()
    expect(cerf.locator("ins").first).to_contain_text("corrigé")
    cerf.goto(f"/wiki/{rad.pk}/historique/")
    # The newest version has no revert button: the first one reverts to the previous version.
    cerf.get_by_role("button", name="Révoquer vers cette version").first.click()
    rad.refresh_from_db()
    assert page_latest_object(rad).body == original_body
    cerf.goto(f"/wiki/{rad.pk}/brouillon/")
    expect(cerf.locator("main")).to_contain_text("Texte du CERF avec")
