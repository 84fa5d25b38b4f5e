"""A vote validates what it saw: the revisions of the référentiel's pages when the vote
started. A draft saved while a vote is open is not published by the edition it opens."""

import pytest
from django.urls import reverse
from wagtail.models import TaskState

from consensus.models import Body, VotedRevision
from consensus.services import lifecycle
from tests.consensus.lifecycle.helpers import (
    at_the_committee_vote,
    college_editor,
    committee,
    deans_seats,
    new_referentiel,
    steering_seats,
    votes_cast,
)
from tests.factories.consensus import ADOPTED_WORDING
from wiki.models import CompetencyPage, Edition
from wiki.services.editions import edition_snapshot

pytestmark = pytest.mark.django_db


def _draft(page: CompetencyPage, statement: str, user) -> None:
    draft = page.get_latest_revision_as_object()
    draft.statement = statement
    draft.save_revision(user=user)


def _current(referentiel) -> TaskState:
    return lifecycle.lifecycle_state(referentiel).current_task_state


def test_a_draft_saved_while_the_votes_are_open_is_not_published_in_the_edition():
    steering, deans = steering_seats(), deans_seats()
    referentiel, _study, _member, (keep, reword, _drop) = at_the_committee_vote()
    editor = college_editor(referentiel.college)
    kept = CompetencyPage.objects.get(pk=keep.page_id)
    reworded = CompetencyPage.objects.get(pk=reword.page_id)
    voted_wording = kept.get_latest_revision_as_object().statement

    _draft(kept, "Brouillon enregistré pendant le vote du comité.", editor)
    votes_cast(_current(referentiel), steering)
    assert _current(referentiel).task.specific.body == Body.DEANS_CONFERENCES
    _draft(reworded, "Brouillon enregistré pendant la validation des doyens.", editor)
    votes_cast(_current(referentiel), deans)

    edition = Edition.objects.get(referentiel=referentiel)
    wording = {c.code: c.statement for c in edition_snapshot(edition).competencies}
    assert wording[kept.code] == voted_wording
    assert wording[reworded.code] == ADOPTED_WORDING
    # The drafts are kept, as drafts, for the next cycle.
    kept.refresh_from_db()
    assert kept.has_unpublished_changes
    assert kept.get_latest_revision_as_object().statement.startswith("Brouillon")


def test_the_deans_validate_the_revisions_the_committee_voted_on():
    steering = steering_seats()
    referentiel, _study, _member, _items = at_the_committee_vote()
    committee_vote = _current(referentiel)
    votes_cast(committee_vote, steering)
    pinned = set(
        VotedRevision.objects.filter(task_state=committee_vote).values_list("page", "revision")
    )
    assert len(pinned) == 5  # the référentiel, its domain, its three competencies
    deans_vote = _current(referentiel)
    assert (
        set(VotedRevision.objects.filter(task_state=deans_vote).values_list("page", "revision"))
        == pinned
    )


def test_a_vote_started_again_after_a_rejection_is_on_the_changed_drafts():
    deans = deans_seats()
    referentiel = new_referentiel(phase=4, n_competencies=1)
    first = _current(referentiel)
    page = CompetencyPage.objects.descendant_of(referentiel).get()
    votes_cast(first, deans, choice="reject")
    assert TaskState.objects.get(pk=first.pk).status == TaskState.STATUS_REJECTED
    _draft(page, "Énoncé corrigé après le renvoi.", college_editor(referentiel.college))
    lifecycle.lifecycle_resume(user=committee(), referentiel=referentiel)
    votes_cast(_current(referentiel), deans)
    edition = Edition.objects.get(referentiel=referentiel)
    assert [c.statement for c in edition_snapshot(edition).competencies] == [
        "Énoncé corrigé après le renvoi."
    ]


def test_the_ballot_shows_the_wording_voted_on_not_a_later_draft(client):
    deans = deans_seats()
    referentiel = new_referentiel(phase=4, n_competencies=1)
    page = CompetencyPage.objects.descendant_of(referentiel).get()
    voted_wording = page.get_latest_revision_as_object().statement
    _draft(page, "Brouillon ultérieur.", college_editor(referentiel.college))
    client.force_login(deans[0].holder)
    html = client.get(reverse("consensus:lifecycle", args=[referentiel.pk])).content.decode()
    assert 'id="soumis-au-vote"' in html
    assert page.code in html and voted_wording in html
    assert "Brouillon ultérieur." not in html


def test_a_vote_open_before_pins_existed_is_pinned_by_the_migration():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("consensus.migrations.0009_voted_revisions")
    deans_seats()
    referentiel = new_referentiel(phase=4, n_competencies=1)
    vote = _current(referentiel)
    expected = set(VotedRevision.objects.filter(task_state=vote).values_list("page", "revision"))
    VotedRevision.objects.filter(task_state=vote).delete()
    migration.pin_open_votes(apps, None)
    pinned = set(VotedRevision.objects.filter(task_state=vote).values_list("page", "revision"))
    assert pinned == expected and len(pinned) == 3  # référentiel, domain, competency
