import pytest

from consensus.models import Rating
from consensus.services.seeding import demo_study_load

pytestmark = pytest.mark.django_db


def test_demo_study_is_idempotent():
    study = demo_study_load()
    assert study is not None
    assert demo_study_load().pk == study.pk
    assert study.panelists.count() == 4
    assert [r.status for r in study.rounds.order_by("number")] == ["closed", "open"]
    assert Rating.objects.filter(round_item__round__study=study).count() == 32
    assert study.is_frozen
