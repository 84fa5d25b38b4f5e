import pytest

from consensus import selectors
from consensus.services.ratings import Answer, ballot_submit, rating_save
from consensus.services.rounds import round_close, round_open
from tests.factories.consensus import PanelistFactory, study_with_panel

pytestmark = pytest.mark.django_db


def _round(study, scores_by_panelist):
    delphi_round = round_open(user=study.created_by, study=study)
    items = list(delphi_round.round_items.order_by("item__position"))
    for panelist, scores in zip(study.panelists.order_by("pk"), scores_by_panelist, strict=False):
        answers = {ri.pk: Answer(s) for ri, s in zip(items, scores, strict=True)}
        ballot_submit(user=panelist.user, delphi_round=delphi_round, answers=answers)
    round_close(user=study.created_by, delphi_round=delphi_round)
    return delphi_round


def test_results_summarise_the_stored_ratings():
    study = study_with_panel(n_items=2, n_panelists=4, min_ballots=4)
    _round(study, [(9, 1), (8, 2), (7, 3), (8, 5)])
    _round(study, [(9, 1), (9, 2), (8, 1), (8, 2)])
    results = selectors.study_results(study)
    codes = sorted(study.items.values_list("code", flat=True))
    first = results.items[0]
    assert first.rounds[1].median == 8 and first.rounds[1].classification == "consensus_agree"
    assert results.items[1].rounds[2].classification == "consensus_disagree"
    assert [row.item for row in results.report.items] == [c for c in codes for _ in (1, 2)]
    assert len(results.report.stability) == 2 and results.report.panel[0].n_panelists == 4
    assert first.histograms[1][7] == (8, 2, 100.0)
    assert "all_classified" in results.stop_reasons
    # Medians worked out by hand from the ballots above.
    medians = [[row.rounds[r].median for r in (1, 2)] for row in results.items]
    assert medians == [[8, 8.5], [2.5, 1.5]]
    # The arrays fed to the statistics hold exactly the submitted scores, item by round.
    arrays = selectors.ratings_arrays(study)
    stored = {
        (arrays.item_labels[i], r): sorted(
            int(s) for s in arrays.score[(arrays.item == i) & (arrays.round == r)]
        )
        for i in range(len(arrays.item_labels))
        for r in (1, 2)
    }
    assert stored == {
        (codes[0], 1): [7, 8, 8, 9],
        (codes[0], 2): [8, 8, 9, 9],
        (codes[1], 1): [1, 2, 3, 5],
        (codes[1], 2): [1, 1, 2, 2],
    }


def test_pseudonyms_are_stable_within_a_round_distinct_and_opaque():
    study = study_with_panel(n_panelists=2)
    a, b = study.panelists.order_by("pk")
    pseudonym = selectors.panelist_pseudonym
    assert pseudonym(study, 1, a.pk) == pseudonym(study, 1, a.pk)
    assert pseudonym(study, 1, a.pk) != pseudonym(study, 1, b.pk)
    assert pseudonym(study, 1, a.pk).startswith("P-")
    assert len(pseudonym(study, 1, a.pk)) == 2 + 16  # 80 bits in base 32


def test_pseudonyms_change_with_the_round_so_rows_cannot_be_linked_across_rounds():
    study = study_with_panel(n_panelists=1)
    panelist = study.panelists.get()
    assert selectors.panelist_pseudonym(study, 1, panelist.pk) != selectors.panelist_pseudonym(
        study, 2, panelist.pk
    )


def test_pseudonyms_depend_on_the_pseudonym_key_and_the_study_salt_not_on_secret_key(settings):
    study = study_with_panel(n_panelists=1)
    panelist = study.panelists.get()
    before = selectors.panelist_pseudonym(study, 1, panelist.pk)
    settings.SECRET_KEY = "rotated-secret-key"
    assert selectors.panelist_pseudonym(study, 1, panelist.pk) == before
    settings.PSEUDONYM_KEY = "another-pseudonym-key"
    assert selectors.panelist_pseudonym(study, 1, panelist.pk) != before
    settings.PSEUDONYM_KEY = "test-only-pseudonym-key"
    other = study_with_panel(n_panelists=0)
    assert other.pseudonym_salt != study.pseudonym_salt and len(study.pseudonym_salt) == 32
    assert selectors.panelist_pseudonym(other, 1, panelist.pk) != before


def test_participation_counts_categories_pending_and_attrition():
    study = study_with_panel(n_items=1, n_panelists=3)
    _round(study, [(9,), (8,), (7,)])
    second = round_open(user=study.created_by, study=study)
    first_panelist = study.panelists.order_by("pk").first()
    rating_save(user=first_panelist.user, round_item=second.round_items.get(), score=5)
    rounds = selectors.study_participation(study)
    assert [(p.submitted, p.invited) for p in rounds] == [(3, 3), (0, 3)]
    # An open round has lost nobody yet: its panelists may still answer.
    assert rounds[1].started == 1 and rounds[1].lost_since_previous is None
    assert len(rounds[1].pending) == 3
    # Three categories of one panelist each: pooled, since each is below k (5).
    assert [(c.category, c.invited, c.submitted) for c in rounds[0].by_category] == [
        (selectors.POOLED_CATEGORY, 3, 3)
    ]


def test_participation_shows_categories_of_at_least_k_and_pools_the_others():
    study = study_with_panel(n_items=1, n_panelists=0, min_ballots=3)
    for category in ["teacher"] * 3 + ["student", "partner_patient"]:
        PanelistFactory(study=study, category=category)
    [participation] = selectors.study_participation(_open(study))
    rows = [(c.category, c.invited) for c in participation.by_category]
    assert rows == [("teacher", 3), (selectors.POOLED_CATEGORY, 2)]
    assert "Patient" not in str(participation.by_category)
    assert selectors.panel_composition(study)[0][1] == 3
    assert [n for _label, n in selectors.panel_composition(study)] == [3, 2]


def _open(study):
    round_open(user=study.created_by, study=study)
    return study


def test_feedback_shows_group_and_own_rating_only():
    study = study_with_panel(n_items=1, n_panelists=3, min_ballots=3)
    _round(study, [(9,), (8,), (2,)])
    second = round_open(user=study.created_by, study=study)
    panelist = study.panelists.order_by("pk").last()
    _ballot, lines = selectors.ballot_for_panelist(panelist, second)
    feedback = lines[0].feedback
    assert feedback.own_score == 2 and feedback.median == 8 and feedback.n == 3
    assert dict(feedback.histogram) == {1: 0, 2: 1, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0, 8: 1, 9: 1}


def test_attrition_counts_only_once_the_round_is_closed():
    study = study_with_panel(n_items=1, n_panelists=3)
    _round(study, [(9,), (8,), (7,)])
    second = round_open(user=study.created_by, study=study)
    first_panelist = study.panelists.order_by("pk").first()
    ballot_submit(
        user=first_panelist.user,
        delphi_round=second,
        answers={second.round_items.get().pk: Answer(5)},
    )
    assert selectors.study_participation(study)[1].lost_since_previous is None
    round_close(user=study.created_by, delphi_round=second)
    assert selectors.study_participation(study)[1].lost_since_previous == 2
