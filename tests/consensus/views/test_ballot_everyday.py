"""What a panelist sees on the ballot: progress, what is left, the scale's wording, titles
rather than codes, a confirmation before the final submit, readable histograms."""

import html
import re

import pytest
from django.urls import reverse

from consensus.models import Ballot, Rating
from consensus.services.ratings import Answer, ballot_submit
from consensus.services.rounds import round_close, round_open
from tests.factories.consensus import study_with_panel

pytestmark = pytest.mark.django_db


def _ballot(n_items=3, n_panelists=1, **protocol):
    study = study_with_panel(n_items=n_items, n_panelists=n_panelists, **protocol)
    delphi_round = round_open(user=study.created_by, study=study)
    items = list(delphi_round.round_items.order_by("item__position").select_related("item"))
    return study, delphi_round, items


def test_ballot_shows_progress_and_links_to_the_items_left(client):
    study, delphi_round, items = _ballot(n_items=3)
    client.force_login(study.panelists.get().user)
    url = reverse("consensus:ballot", args=[delphi_round.pk])
    client.post(url, {f"score-{items[0].pk}": "8", "save": ""})
    body = client.get(url).content.decode()
    assert "1 item sur 3 coté" in body
    todo = body.split('class="ballot-progress__todo"')[1].split("</ul>")[0]
    assert f'href="#item-{items[1].pk}"' in todo and f'href="#item-{items[2].pk}"' in todo
    assert f'href="#item-{items[0].pk}"' not in todo
    client.post(url, {f"score-{items[1].pk}": "7", "save": ""})
    assert "2 items sur 3 cotés" in client.get(url).content.decode()


def test_ballot_shows_titles_and_the_scale_wording_not_codes(client):
    study, delphi_round, items = _ballot(n_items=2)
    client.force_login(study.panelists.get().user)
    body = client.get(reverse("consensus:ballot", args=[delphi_round.pk])).content.decode()
    for ri in items:
        assert html.escape(ri.version.text) in body
        assert ri.item.code not in re.sub(r'(id|for|href|aria-[a-z]+)="[^"]*"', "", body)
    assert "Désaccord" in body and "Incertain" in body and "Accord" in body
    # The radios of 1–3 sit in the « Désaccord » group, 7–9 in the « Accord » one.
    disagree = body.split("scale__band--disagree")[1].split("scale__band--uncertain")[0]
    assert (
        f'id="score-{items[0].pk}-3"' in disagree and f'id="score-{items[0].pk}-4"' not in disagree
    )


def test_one_primary_submit_button(client):
    study, delphi_round, _items = _ballot()
    client.force_login(study.panelists.get().user)
    body = client.get(reverse("consensus:ballot", args=[delphi_round.pk])).content.decode()
    assert body.count("button--primary") == 2  # the form's and the JS dialog's
    assert re.search(
        r'<button type="submit" name="submit" class="button button--primary">'
        r"\s*Soumettre\s*</button>",
        body,
    )


def test_submitting_asks_for_confirmation_then_submits(client):
    study, delphi_round, items = _ballot(n_items=2)
    client.force_login(study.panelists.get().user)
    url = reverse("consensus:ballot", args=[delphi_round.pk])
    answers = {f"score-{ri.pk}": "8" for ri in items}
    response = client.post(url, {**answers, f"comment-{items[0].pk}": "clair", "submit": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Confirmer et soumettre" in body and 'name="confirmed"' in body
    # Nothing is final yet, nothing typed is lost.
    ballot = Ballot.objects.get()
    assert ballot.submitted_at is None
    assert Rating.objects.get(round_item=items[0]).comment == "clair"
    done = client.post(url, {"submit": "", "confirmed": "1"})
    assert done.status_code == 302
    ballot.refresh_from_db()
    assert ballot.submitted_at is not None
    assert Rating.objects.count() == 2


def test_submitting_an_incomplete_ballot_saves_and_says_what_is_left(client):
    study, delphi_round, items = _ballot(n_items=3)
    client.force_login(study.panelists.get().user)
    url = reverse("consensus:ballot", args=[delphi_round.pk])
    response = client.post(url, {f"score-{items[0].pk}": "8", "submit": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "2 items ne sont pas encore cotés" in body
    assert Rating.objects.count() == 1 and Ballot.objects.get().submitted_at is None


def test_histogram_labels_are_12px_and_the_chart_has_an_accessible_name(client):
    study, first, items = _ballot(n_items=1, n_panelists=3, min_ballots=3)
    for panelist, score in zip(study.panelists.order_by("pk"), [9, 8, 2], strict=True):
        ballot_submit(user=panelist.user, delphi_round=first, answers={items[0].pk: Answer(score)})
    round_close(user=study.created_by, delphi_round=first)
    second = round_open(user=study.created_by, study=study)
    client.force_login(study.panelists.first().user)
    body = client.get(reverse("consensus:ballot", args=[second.pk])).content.decode()
    svg = body.split("<svg")[1].split("</svg>")[0]
    sizes = {int(size) for size in re.findall(r'font-size="(\d+)"', svg)}
    assert sizes and min(sizes) >= 12
    # Drawn at its own size: viewBox width equals the rendered width (no shrinking).
    view_width = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).group(1)
    assert f'width="{view_width}"' in svg
    labelled = re.search(r'aria-labelledby="([^"]+)"', svg).group(1)
    assert f'id="{labelled}"' in body and "Répartition des 3 cotations du tour 1" in body
    assert 'role="img"' in svg
    # Coordinates are SVG numbers, not French decimals.
    assert not re.search(r'(x|y|height)="[0-9]+,[0-9]', svg)
