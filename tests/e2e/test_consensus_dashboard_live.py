"""The facilitator's participation dashboard updates by itself while panelists submit, in
headless Chromium against daphne (WebSocket through the Redis channel layer)."""

import re

import pytest
from playwright.sync_api import expect

from consensus.services.rounds import round_open
from tests.factories.consensus import study_with_panel

pytestmark = pytest.mark.django_db(transaction=True)


def test_dashboard_counts_ballots_as_they_arrive(seeded, asgi_user_page, axe):
    study = study_with_panel(n_items=2, n_panelists=3)
    round_open(user=study.created_by, study=study)
    panelists = list(study.panelists.select_related("user").order_by("pk"))

    dashboard = asgi_user_page(study.created_by.username)
    dashboard.goto(f"/consensus/etudes/{study.pk}/")
    region = dashboard.locator("#participation")
    expect(region).to_have_attribute("data-connected", "1")
    expect(region).to_contain_text("0 panéliste sur 3 a soumis")
    assert axe(dashboard) == []

    for answered, panelist in enumerate(panelists[:2], start=1):
        ballot = asgi_user_page(panelist.user.username)
        ballot.goto(f"/consensus/tours/{study.rounds.get().pk}/bulletin/")
        for fieldset in ballot.locator("fieldset.ballot-item").all():
            fieldset.get_by_label("7", exact=True).check()
        ballot.get_by_role("button", name="Soumettre", exact=True).click()
        ballot.get_by_role("button", name="Confirmer et soumettre").click()
        expect(ballot.get_by_text("Merci : votre questionnaire a été soumis.")).to_be_visible()
        # No reload: the fragment was pushed over the WebSocket.
        expect(region).to_contain_text(
            f"{answered} panéliste sur 3 a soumis"
            if answered == 1
            else f"{answered} panélistes sur 3 ont soumis"
        )
        expect(region).to_have_attribute("data-live", "1")

    # The one who has not answered yet is named for a reminder; those who did are not.
    pending = region.locator("p", has_text=re.compile("N’ont pas encore répondu"))

    def named(panelist):  # "… de test 1" must not match "… de test 12"
        return re.compile(re.escape(panelist.user.get_full_name()) + r"(?!\d)")

    expect(pending).to_contain_text(named(panelists[2]))
    for panelist in panelists[:2]:
        expect(pending).not_to_contain_text(named(panelist))
