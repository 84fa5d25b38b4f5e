"""The validation vote that ends the lifecycle publishes the référentiel as an edition."""

import json

import pytest

from consensus.services import lifecycle
from tests.consensus.lifecycle.helpers import (
    at_the_committee_vote,
    deans_seats,
    new_referentiel,
    steering_seats,
    votes_cast,
)
from tests.factories.consensus import ADOPTED_WORDING
from wiki.models import CompetencyPage, Edition
from wiki.services.editions import edition_publish, edition_snapshot

pytestmark = pytest.mark.django_db


def _validated_by_the_deans(referentiel, seats, kinds=("", "", "", "")):
    task_state = lifecycle.lifecycle_state(referentiel).current_task_state
    for seat, kind in zip(seats, kinds, strict=True):
        lifecycle.vote_cast(
            user=seat.holder,
            task_state=task_state,
            choice="approve",
            comment=f"Avis favorable de {seat.institution.acronym}.",
            edition_kind=kind,
        )


def test_the_last_validation_vote_publishes_edition_1_0_with_its_decisions_and_votes():
    seats = deans_seats()
    steering = steering_seats()
    referentiel, study, _member, (keep, reword, drop) = at_the_committee_vote()
    votes_cast(lifecycle.lifecycle_state(referentiel).current_task_state, steering)
    assert not referentiel.editions.exists()

    _validated_by_the_deans(referentiel, seats, kinds=("minor", "minor", "", "major"))

    edition = Edition.objects.get(referentiel=referentiel)
    assert edition.version == "1.0" and edition.kind == "major"  # a first edition is 1.0
    snapshot = edition_snapshot(edition)
    by_code = {c.code: c for c in snapshot.competencies}
    assert set(by_code) == {keep.code, reword.code}  # the dropped one is left out
    assert by_code[reword.code].statement == ADOPTED_WORDING
    assert not CompetencyPage.objects.get(pk=drop.page_id).live
    provenance = edition.provenance
    assert {(d["item"], d["choice"]) for d in provenance["decisions"]} == {
        (keep.code, "keep"),
        (reword.code, "reword"),
        (drop.code, "drop"),
    }
    assert provenance["studies"][0]["title"] == study.title
    assert len(provenance["votes"]) == 7  # the committee's three, the deans' four
    assert {v["choice"] for v in provenance["votes"]} == {"approve"}
    assert "Avis favorable de CDD." in {v["comment"] for v in provenance["votes"]}
    text = json.dumps(provenance, ensure_ascii=False)
    for seat in seats + steering:  # bodies and seats, never a person
        assert seat.holder.username not in text
        assert seat.holder.last_name not in text


def test_the_approving_seats_choose_a_minor_edition_after_the_first():
    seats = deans_seats()
    referentiel = new_referentiel(phase=4, n_competencies=2)
    for page in CompetencyPage.objects.descendant_of(referentiel):
        page.save_revision().publish()
    edition_publish(referentiel=referentiel, kind="major")

    _validated_by_the_deans(referentiel, seats, kinds=("minor", "minor", "major", ""))

    assert [e.version for e in referentiel.editions.order_by("major", "minor")] == ["1.0", "1.1"]
    assert referentiel.editions.get(minor=1).kind == "minor"


def test_a_vote_with_an_unknown_edition_kind_is_refused_and_stores_nothing():
    seats = deans_seats()
    referentiel = new_referentiel(phase=4)
    task_state = lifecycle.lifecycle_state(referentiel).current_task_state
    with pytest.raises(lifecycle.VoteRefused):
        lifecycle.vote_cast(
            user=seats[0].holder, task_state=task_state, choice="approve", edition_kind="huge"
        )
    assert not task_state.lifecycle_votes.exists()
