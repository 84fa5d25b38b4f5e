import pytest

from consensus import selectors
from consensus.models import Rating
from consensus.services.seeding import demo_study_load

pytestmark = pytest.mark.django_db


def test_demo_study_is_idempotent():
    study = demo_study_load()
    assert study is not None
    assert demo_study_load().pk == study.pk
    assert study.panelists.count() == 8
    assert [r.status for r in study.rounds.order_by("number")] == ["closed", "open"]
    assert Rating.objects.filter(round_item__round__study=study).count() == 64
    assert study.is_frozen


def test_the_demo_study_shows_round_one_results_and_feedback():
    study = demo_study_load()
    results = selectors.study_results(study)
    assert results.disclosure.shown == (1,) and results.disclosure.withheld == ()
    assert {row.stats.n for row in results.report.items} == {8}
    second = study.rounds.open().get()
    panelist = study.panelists.order_by("pk").first()
    _ballot, lines = selectors.ballot_for_panelist(panelist, second)
    assert all(line.feedback is not None for line in lines)
