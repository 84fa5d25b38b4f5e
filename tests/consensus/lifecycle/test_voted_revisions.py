"""A vote validates what it saw: the revisions of the référentiel's pages when the vote
started. A draft saved while a vote is open is not published by the edition it opens."""

import pytest
from django.urls import reverse
from wagtail.models import TaskState

from consensus.models import Body, VotedRevision
from consensus.services import lifecycle
from consensus.services.decisions import decision_record
from tests.consensus.lifecycle.helpers import (
    closed_study,
    college_editor,
    committee,
    deans_seats,
    new_referentiel,
    seats,
)
from wiki.models import CompetencyPage, Edition
from wiki.services.editions import edition_snapshot

pytestmark = pytest.mark.django_db


def _draft(page: CompetencyPage, statement: str, user) -> None:
    draft = page.get_latest_revision_as_object()
    draft.statement = statement
    draft.save_revision(user=user)


def _vote_all(task_state, members, choice="approve"):
    for seat in members:
        lifecycle.vote_cast(user=seat.holder, task_state=task_state, choice=choice, comment="Vu.")


def _at_the_committee_vote():
    """Phase 3, decisions recorded and applied, the gate passed: the committee's vote is open."""
    referentiel = new_referentiel(phase=3, n_competencies=2)
    study = closed_study(referentiel)
    member = committee()
    first, second = study.items.order_by("position")
    decision_record(user=member, item=first, decision="keep", rationale="Consensus.")
    decision_record(
        user=member,
        item=second,
        decision="reword",
        rationale="Ambigu.",
        wording="Énoncé adopté par le comité.",
    )
    lifecycle.decisions_apply(user=member, referentiel=referentiel)
    lifecycle.gate_pass(user=member, referentiel=referentiel)
    vote = lifecycle.lifecycle_state(referentiel).current_task_state
    assert vote.task.specific.body == Body.STEERING_COMMITTEE
    return referentiel, first, second, vote


def test_a_draft_saved_while_the_votes_are_open_is_not_published_in_the_edition():
    steering = seats(Body.STEERING_COMMITTEE, ["cncem", "uness", "cimes"])
    deans = deans_seats()
    referentiel, first, second, committee_vote = _at_the_committee_vote()
    editor = college_editor(referentiel.college)
    kept = CompetencyPage.objects.get(pk=first.page_id)
    reworded = CompetencyPage.objects.get(pk=second.page_id)

    _draft(kept, "Brouillon enregistré pendant le vote du comité.", editor)
    _vote_all(committee_vote, steering)
    deans_vote = lifecycle.lifecycle_state(referentiel).current_task_state
    assert deans_vote.task.specific.body == Body.DEANS_CONFERENCES
    _draft(reworded, "Brouillon enregistré pendant la validation des doyens.", editor)
    _vote_all(deans_vote, deans)

    edition = Edition.objects.get(referentiel=referentiel)
    wording = {c.code: c.statement for c in edition_snapshot(edition).competencies}
    assert wording[kept.code] == f"Énoncé initial {kept.title.removeprefix('Compétence ')}"
    assert wording[reworded.code] == "Énoncé adopté par le comité."
    # The drafts are kept, as drafts, for the next cycle.
    kept.refresh_from_db()
    assert kept.has_unpublished_changes
    assert kept.get_latest_revision_as_object().statement.startswith("Brouillon")


def test_the_deans_validate_the_revisions_the_committee_voted_on():
    steering = seats(Body.STEERING_COMMITTEE, ["cncem", "uness", "cimes"])
    referentiel, _first, _second, committee_vote = _at_the_committee_vote()
    _vote_all(committee_vote, steering)
    deans_vote = lifecycle.lifecycle_state(referentiel).current_task_state
    pinned = set(
        VotedRevision.objects.filter(task_state=committee_vote).values_list("page", "revision")
    )
    assert len(pinned) == 4  # the référentiel, its domain, its two competencies
    assert (
        set(VotedRevision.objects.filter(task_state=deans_vote).values_list("page", "revision"))
        == pinned
    )


def test_a_vote_started_again_after_a_rejection_is_on_the_changed_drafts():
    deans = deans_seats()
    referentiel = new_referentiel(phase=4, n_competencies=1)
    first = lifecycle.lifecycle_state(referentiel).current_task_state
    page = CompetencyPage.objects.child_of(referentiel.get_children().get()).get()
    _vote_all(first, deans, choice="reject")
    assert TaskState.objects.get(pk=first.pk).status == TaskState.STATUS_REJECTED
    _draft(page, "Énoncé corrigé après le renvoi.", college_editor(referentiel.college))
    lifecycle.lifecycle_resume(user=committee(), referentiel=referentiel)
    again = lifecycle.lifecycle_state(referentiel).current_task_state
    _vote_all(again, deans)
    edition = Edition.objects.get(referentiel=referentiel)
    assert [c.statement for c in edition_snapshot(edition).competencies] == [
        "Énoncé corrigé après le renvoi."
    ]


def test_the_ballot_shows_the_wording_voted_on_not_a_later_draft(client):
    deans = deans_seats()
    referentiel = new_referentiel(phase=4, n_competencies=1)
    page = CompetencyPage.objects.child_of(referentiel.get_children().get()).get()
    _draft(page, "Brouillon ultérieur.", college_editor(referentiel.college))
    client.force_login(deans[0].holder)
    html = client.get(reverse("consensus:lifecycle", args=[referentiel.pk])).content.decode()
    assert 'id="soumis-au-vote"' in html
    assert page.code in html
    assert f"Énoncé initial {page.title.removeprefix('Compétence ')}" in html
    assert "Brouillon ultérieur." not in html
