"""k-anonymity of rounds, pseudonyms that cannot be followed across rounds, comments apart,
and the limits of a ballot comment."""

import csv
import io

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from consensus import selectors
from consensus.exceptions import CommentTooLong, CommentWithoutScore, ProtocolFrozen
from consensus.models import COMMENT_MAX_LENGTH, Rating
from consensus.services.ratings import Answer, ballot_submit, rating_save
from consensus.services.rounds import round_close, round_open
from consensus.services.studies import study_protocol_update
from tests.factories.consensus import committee_member, study_with_panel

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _round(study, panelists, score=7, comment=""):
    delphi_round = round_open(user=study.created_by, study=study)
    items = list(delphi_round.round_items.all())
    for panelist in panelists:
        answers = {ri.pk: Answer(score, comment) for ri in items}
        ballot_submit(user=panelist.user, delphi_round=delphi_round, answers=answers)
    round_close(user=study.created_by, delphi_round=delphi_round)
    return delphi_round


def test_a_study_needs_five_submitted_ballots_by_default():
    study = study_with_panel(n_items=1, n_panelists=5)
    assert study.min_ballots == 5


def test_a_round_below_k_is_withheld_from_results_exports_report_and_feedback():
    study = study_with_panel(n_items=1, n_panelists=5)
    panelists = list(study.panelists.order_by("pk"))
    _round(study, panelists[:4], comment="mon avis")
    facilitator = _client(study.created_by)
    assert selectors.study_results(study).report.items == []
    page = facilitator.get(reverse("consensus:results", args=[study.pk])).content.decode()
    assert "Les résultats du tour 1 ne sont pas affichés" in page
    assert "4 bulletins ont été soumis" in page and "à partir de 5 bulletins soumis" in page
    for name in ("export-csv", "export-comments-csv", "export-xlsx"):
        response = facilitator.get(reverse(f"consensus:{name}", args=[study.pk]), follow=True)
        assert response.redirect_chain[-1][0] == reverse("consensus:results", args=[study.pk])
        body = response.content.decode()
        assert "Aucun tour ne peut encore être exporté" in body, name
        assert "mon avis" not in body
    report = facilitator.get(reverse("consensus:report", args=[study.pk])).content.decode()
    assert "Les résultats du tour 1 ne sont pas affichés" in report and "mon avis" not in report
    second = round_open(user=study.created_by, study=study)
    _ballot, lines = selectors.ballot_for_panelist(panelists[0], second)
    assert lines[0].feedback is None
    ballot = _client(panelists[0].user).get(reverse("consensus:ballot", args=[second.pk]))
    body = ballot.content.decode()
    assert "Les réponses du groupe au tour 1 ne sont pas affichées" in body
    assert "mon avis" not in body


def test_a_round_with_k_ballots_is_shown():
    study = study_with_panel(n_items=1, n_panelists=5)
    _round(study, study.panelists.all())
    assert [row.stats.n for row in selectors.study_results(study).report.items] == [5]
    assert len(selectors.ratings_export_rows(study)) == 5


def test_k_is_part_of_the_frozen_protocol():
    study = study_with_panel(n_items=1, n_panelists=5)
    study_protocol_update(user=study.created_by, study=study, min_ballots=6)
    round_open(user=study.created_by, study=study)
    with pytest.raises(ProtocolFrozen):
        study_protocol_update(user=study.created_by, study=study, min_ballots=3)


def test_k_below_three_is_refused_by_the_database():
    study = study_with_panel(n_items=1, n_panelists=0)
    study.min_ballots = 2
    with pytest.raises(IntegrityError), transaction.atomic():
        study.save()


def test_someone_who_stops_answering_cannot_be_followed_back_to_their_earlier_ratings():
    """Round 2's dashboard names who has not answered (for reminders). With one pseudonym per
    panelist for the whole study, that person's round-1 pseudonym is the one missing from
    round 2, and their round-1 scores are theirs. Pseudonyms now change with the round, and
    comments carry no pseudonym at all."""
    study = study_with_panel(n_items=2, n_panelists=6)
    panelists = list(study.panelists.order_by("pk"))
    _round(study, panelists, comment="signé")
    second = round_open(user=study.created_by, study=study)
    items = list(second.round_items.all())
    for panelist in panelists[1:]:  # the first one stops answering
        ballot_submit(
            user=panelist.user,
            delphi_round=second,
            answers={ri.pk: Answer(8) for ri in items},
        )
    dashboard = _client(study.created_by).get(reverse("consensus:study-detail", args=[study.pk]))
    quitter = panelists[0].user
    assert (quitter.get_full_name() or quitter.get_username()) in dashboard.content.decode()
    round_close(user=study.created_by, delphi_round=second)

    rows = selectors.ratings_export_rows(study)
    by_round = {n: {row[3] for row in rows if row[2] == n} for n in (1, 2)}
    assert (len(by_round[1]), len(by_round[2])) == (6, 5)
    assert by_round[1].isdisjoint(by_round[2])
    response = _client(committee_member()).get(reverse("consensus:export-xlsx", args=[study.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    comments = workbook.worksheets[1]
    assert len([c.value for c in comments[1]]) == 4  # item, version, round, comment
    for row in comments.iter_rows(min_row=2, values_only=True):
        assert not any(str(value).startswith("P-") for value in row)
    ratings_sheet = [c.value for c in workbook.worksheets[0][1]]
    assert len(ratings_sheet) == 5 and "comment" not in " ".join(map(str, ratings_sheet))
    csv_text = (
        _client(study.created_by)
        .get(reverse("consensus:export-comments-csv", args=[study.pk]))
        .content.decode("utf-8-sig")
    )
    assert [row[3] for row in list(csv.reader(io.StringIO(csv_text), delimiter=";"))[1:]] == [
        "signé"
    ] * 12


# --- ballot comments ------------------------------------------------------------------------


def _ballot_setup(n_items=2):
    study = study_with_panel(n_items=n_items, n_panelists=1)
    delphi_round = round_open(user=study.created_by, study=study)
    items = list(delphi_round.round_items.order_by("item__position"))
    panelist = study.panelists.get()
    url = reverse("consensus:ballot", args=[delphi_round.pk])
    return study, delphi_round, items, panelist, url


def test_a_comment_over_the_limit_is_refused_with_everything_typed_kept():
    _study, _round_, items, panelist, url = _ballot_setup()
    long_comment = "é" * (COMMENT_MAX_LENGTH + 1)
    response = _client(panelist.user).post(
        url,
        {
            f"score-{items[0].pk}": "7",
            f"comment-{items[0].pk}": long_comment,
            f"score-{items[1].pk}": "3",
            f"comment-{items[1].pk}": "gardé",
            "save": "",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "ce commentaire compte 2001 caractères" in body.lower()
    assert "2000 caractères au plus" in body
    assert long_comment in body and "gardé" in body
    assert 'value="3" checked' in body
    assert not Rating.objects.exists()


def test_a_comment_at_the_limit_with_browser_line_endings_is_stored():
    _study, _round_, items, panelist, url = _ballot_setup(n_items=1)
    comment = ("a" * 99 + "\r\n") * 20  # 2000 characters once line endings are "\n"
    response = _client(panelist.user).post(
        url, {f"score-{items[0].pk}": "7", f"comment-{items[0].pk}": comment, "save": ""}
    )
    assert response.status_code == 302
    assert len(Rating.objects.get().comment) == COMMENT_MAX_LENGTH - 1  # final newline stripped


def test_the_service_refuses_a_long_comment_and_the_database_too():
    _study, delphi_round, items, panelist, _url = _ballot_setup(n_items=1)
    with pytest.raises(CommentTooLong):
        rating_save(user=panelist.user, round_item=items[0], score=7, comment="x" * 2001)
    rating_save(user=panelist.user, round_item=items[0], score=7, comment="court")
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.update(comment="x" * 2001)


def test_a_comment_without_a_score_is_refused_not_silently_dropped():
    _study, delphi_round, items, panelist, url = _ballot_setup()
    response = _client(panelist.user).post(
        url,
        {
            f"comment-{items[0].pk}": "à discuter",
            f"score-{items[1].pk}": "4",
            "save": "",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Un commentaire a besoin d’une note" in body
    assert "à discuter" in body and 'value="4" checked' in body
    assert "enregistré" not in body.split("<main")[-1].split("ballot-error")[0]
    assert not Rating.objects.exists()
    with pytest.raises(CommentWithoutScore):
        ballot_submit(
            user=panelist.user,
            delphi_round=delphi_round,
            answers={items[0].pk: Answer(None, "seul")},
        )


def test_the_ballot_form_counts_characters_with_a_static_script():
    _study, _round_, items, panelist, url = _ballot_setup(n_items=1)
    body = _client(panelist.user).get(url).content.decode()
    assert f'data-max-chars="{COMMENT_MAX_LENGTH}"' in body
    assert f'data-count-for="comment-{items[0].pk}"' in body
    assert "consensus/ballot.js" in body
    assert "2000 caractères au plus" in body
    assert "<script>" not in body  # no inline script (strict CSP)
