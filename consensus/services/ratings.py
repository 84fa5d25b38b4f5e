"""Panelists' ballots: partial saves and one final submission per round.

A ballot write takes a SHARE lock on the round row: ballots run concurrently with each other,
while ``round_close`` (FOR UPDATE) waits for them, so a rating is either stored before the
close or refused after it, never half-written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consensus import broadcast
from consensus.exceptions import (
    BallotAlreadySubmitted,
    BallotIncomplete,
    RoundNotOpen,
    ScoreOutOfScale,
)
from consensus.models import Ballot, Panelist, Rating, Round, RoundItem


@dataclass(frozen=True)
class Answer:
    score: int | None
    comment: str = ""


def _round_locked_open(delphi_round: Round) -> None:
    # SQLite (the demo) has no row locks; it serialises writers on the whole database anyway.
    lock = " FOR SHARE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT status FROM consensus_round WHERE id = %s{lock}",  # noqa: S608 - constant
            [delphi_round.pk],
        )
        row = cursor.fetchone()
    if row is None or row[0] != Round.Status.OPEN:
        raise RoundNotOpen


def _panelist(user, delphi_round: Round) -> Panelist:
    panelist = Panelist.objects.filter(study_id=delphi_round.study_id, user=user).first()
    if panelist is None:
        raise PermissionDenied
    return panelist


@transaction.atomic
def ballot_save(
    *, user, delphi_round: Round, answers: Mapping[int, Answer], submit: bool = False
) -> Ballot:
    """Store the given answers (keyed by round item id); with ``submit``, every item must be
    rated and the ballot is then final. Nothing is stored when an error is raised."""
    panelist = _panelist(user, delphi_round)
    _round_locked_open(delphi_round)
    study = delphi_round.study
    round_items = set(RoundItem.objects.filter(round=delphi_round).values_list("id", flat=True))
    # The ballot row is the panelist's own lock: a double submit waits, then sees submitted_at.
    ballot, _created = Ballot.objects.select_for_update().get_or_create(
        round=delphi_round, panelist=panelist
    )
    if ballot.submitted_at is not None:
        raise BallotAlreadySubmitted
    rows = []
    for round_item_id, answer in answers.items():
        if round_item_id not in round_items:
            raise PermissionDenied
        if answer.score is None:
            continue
        if not study.scale_min <= answer.score <= study.scale_max:
            raise ScoreOutOfScale(
                _("Ratings must lie between %(min)d and %(max)d.")
                % {"min": study.scale_min, "max": study.scale_max}
            )
        rows.append(
            Rating(
                round_item_id=round_item_id,
                panelist=panelist,
                score=answer.score,
                comment=answer.comment.strip(),
            )
        )
    if rows:
        # The unique constraint makes a repeated or concurrent save an update, never a duplicate.
        Rating.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["round_item", "panelist"],
            update_fields=["score", "comment", "updated_at"],
        )
    if submit:
        rated = Rating.objects.filter(panelist=panelist, round_item__round=delphi_round).count()
        if rated < len(round_items):
            raise BallotIncomplete(
                _("Rate every item before submitting: %(missing)d left.")
                % {"missing": len(round_items) - rated}
            )
        ballot.submitted_at = timezone.now()
    ballot.save()
    broadcast.participation_changed(study.pk)
    return ballot


def rating_save(*, user, round_item: RoundItem, score: int, comment: str = "") -> Ballot:
    """Save one rating (a partial ballot)."""
    return ballot_save(
        user=user, delphi_round=round_item.round, answers={round_item.pk: Answer(score, comment)}
    )


def ballot_submit(*, user, delphi_round: Round, answers: Mapping[int, Answer]) -> Ballot:
    """Save the answers and submit the ballot: final for this round."""
    return ballot_save(user=user, delphi_round=delphi_round, answers=answers, submit=True)
