"""Plain predicates about who may do what in a Delphi study. Services enforce them; views,
consumers and templates reuse them to fail early or hide a button."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wiki.roles import FACILITATORS, PANELISTS, STEERING_COMMITTEE

if TYPE_CHECKING:
    from consensus.models import Panelist, Round, Study


def _in_group(user, name: str) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=name).exists()


def is_facilitator(user) -> bool:
    return _in_group(user, FACILITATORS)


def is_committee_member(user) -> bool:
    return _in_group(user, STEERING_COMMITTEE)


def is_panelist(user) -> bool:
    return _in_group(user, PANELISTS)


def can_create_study(user) -> bool:
    return is_facilitator(user)


def can_manage_study(user, study: Study) -> bool:
    return is_facilitator(user)


def can_follow_study(user, study_id: int) -> bool:
    """The live participation dashboard is the facilitators' view."""
    return is_facilitator(user)


def can_view_results(user, study: Study) -> bool:
    return is_facilitator(user) or is_committee_member(user)


def can_decide(user, study: Study) -> bool:
    return is_committee_member(user)


def panelist_for(user, study: Study) -> Panelist | None:
    if user is None or not user.is_authenticated:
        return None
    return study.panelists.filter(user=user).first()


def can_rate(user, delphi_round: Round) -> bool:
    return delphi_round.is_open and panelist_for(user, delphi_round.study) is not None


def can_move_phase(user) -> bool:
    """The steering committee moves référentiels between phases, names référents and applies
    its decisions to the drafts."""
    return is_committee_member(user)


def can_edit_referentiel(user, referentiel) -> bool:
    from wiki.permissions import can_edit_page

    return can_edit_page(user, referentiel)


def can_view_lifecycle(user, referentiel) -> bool:
    """The committee, the référentiel's editors and whoever holds a seat in a voting body."""
    from consensus.models import CommitteeSeat

    return (
        can_move_phase(user)
        or can_edit_referentiel(user, referentiel)
        or CommitteeSeat.objects.held_by(user).exists()
    )


def can_decide_amendment(user, referentiel) -> bool:
    """Accepting or refusing an amendment: the référentiel's référent, or the steering
    committee (its group, or a seat of the steering committee)."""
    from consensus.models import Body, CommitteeSeat, Referent

    if user is None or not user.is_authenticated:
        return False
    if can_move_phase(user):
        return True
    if CommitteeSeat.objects.held_by(user).filter(body=Body.STEERING_COMMITTEE).exists():
        return True
    # The référent counts while they remain an account of the référentiel's college.
    group_id = referentiel.college.editors_group_id
    return (
        group_id is not None
        and Referent.objects.filter(referentiel=referentiel, user=user).exists()
        and user.groups.filter(pk=group_id).exists()
    )


def can_publish_amendments(user) -> bool:
    """Publishing the minor edition of adopted amendments is the steering committee's act."""
    return can_move_phase(user)
