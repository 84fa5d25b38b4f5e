"""Panelists' ballots: partial saves and one final submission per round.

A ballot write takes a SHARE lock on the round row: ballots run concurrently with each other,
while ``round_close`` (FOR UPDATE) waits for them, so a rating is either stored before the
close or refused after it, never half-written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consensus import broadcast
from consensus.exceptions import (
    BallotAlreadySubmitted,
    BallotIncomplete,
    CommentTooLong,
    CommentWithoutScore,
    RoundNotOpen,
    ScoreOutOfScale,
)
from consensus.models import COMMENT_MAX_LENGTH, Ballot, Panelist, Rating, Round, RoundItem


@dataclass(frozen=True)
class Answer:
    score: int | None
    comment: str = ""


def comment_normalised(comment: str) -> str:
    """The comment as stored: no NUL (PostgreSQL refuses it), "\n" line endings (browsers
    post "\r\n", which would count twice against the limit), no surrounding blanks."""
    return comment.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n").strip()


def comment_problem(score: int | None, comment: str) -> str | None:
    """Why an answer's comment cannot be stored (a translated message), or None.

    A comment needs a score: a rating row is what every statistic counts, so a comment alone
    is refused with a message (the ballot form keeps what was typed) rather than dropped."""
    text = comment_normalised(comment)
    if len(text) > COMMENT_MAX_LENGTH:
        return _("This comment has %(n)d characters; shorten it to %(max)d characters at most.") % {
            "n": len(text),
            "max": COMMENT_MAX_LENGTH,
        }
    if score is None and text:
        return str(CommentWithoutScore.default_message)
    return None


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


def _ratings(
    panelist: Panelist, study, round_items: set[int], answers: Mapping[int, Answer]
) -> list[Rating]:
    """The rows to store, checked before anything is written."""
    rows = []
    for round_item_id, answer in answers.items():
        if round_item_id not in round_items:
            raise PermissionDenied
        problem = comment_problem(answer.score, answer.comment)
        if problem is not None:
            error = CommentWithoutScore if answer.score is None else CommentTooLong
            raise error(problem)
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
                comment=comment_normalised(answer.comment),
            )
        )
    return rows


# One statement creates or touches the ballot, and only while it is not submitted: the row
# lock taken by ON CONFLICT makes a concurrent double submit wait, then find it submitted.
_BALLOT_UPSERT = """
    INSERT INTO consensus_ballot (round_id, panelist_id, updated_at, submitted_at)
    VALUES (%s, %s, %s, %s)
    ON CONFLICT (round_id, panelist_id) DO UPDATE
        SET updated_at = excluded.updated_at, submitted_at = excluded.submitted_at
        WHERE consensus_ballot.submitted_at IS NULL
    RETURNING id
"""


def _ballot_upsert(delphi_round: Round, panelist: Panelist, submitted: bool) -> Ballot:
    now = timezone.now()
    stored = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(
            _BALLOT_UPSERT, [delphi_round.pk, panelist.pk, stored, stored if submitted else None]
        )
        row = cursor.fetchone()
    if row is None:
        raise BallotAlreadySubmitted
    return Ballot(
        pk=row[0],
        round=delphi_round,
        panelist=panelist,
        updated_at=now,
        submitted_at=now if submitted else None,
    )


# PostgreSQL, a whole ballot in one statement (autocommit: the statement is its own
# transaction). The round row is read FOR SHARE (``round_close`` waits for it, as above); the
# ballot row is upserted first and only while it is not submitted, which locks it: a concurrent
# save or submit of the same panelist waits, then finds it submitted. The ratings are written
# only when the ballot row came back, so a refused ballot writes nothing and needs no rollback.
_BALLOT_STATEMENT = """
    WITH open_round AS (
        SELECT id FROM consensus_round WHERE id = %(round)s AND status = %(open)s FOR SHARE
    ), ballot AS (
        INSERT INTO consensus_ballot (round_id, panelist_id, updated_at, submitted_at)
        SELECT id, %(panelist)s, %(now)s, %(submitted_at)s FROM open_round
        ON CONFLICT (round_id, panelist_id) DO UPDATE
            SET updated_at = excluded.updated_at, submitted_at = excluded.submitted_at
            WHERE consensus_ballot.submitted_at IS NULL
        RETURNING id
    ), rated AS (
        INSERT INTO consensus_rating (round_item_id, panelist_id, score, comment, updated_at)
        SELECT answer.round_item, %(panelist)s, answer.score, answer.comment, %(now)s
        FROM unnest(%(round_items)s::bigint[], %(scores)s::smallint[], %(comments)s::text[])
            AS answer (round_item, score, comment)
        WHERE EXISTS (SELECT 1 FROM ballot)
        ON CONFLICT (round_item_id, panelist_id) DO UPDATE
            SET score = excluded.score, comment = excluded.comment,
                updated_at = excluded.updated_at
        RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM open_round), (SELECT id FROM ballot),
        (SELECT count(*) FROM rated)
"""


def _ballot_statement(
    delphi_round: Round, panelist: Panelist, rows: list[Rating], submit: bool
) -> Ballot:
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            _BALLOT_STATEMENT,
            {
                "round": delphi_round.pk,
                "open": Round.Status.OPEN,
                "panelist": panelist.pk,
                "now": now,
                "submitted_at": now if submit else None,
                "round_items": [row.round_item_id for row in rows],
                "scores": [row.score for row in rows],
                "comments": [row.comment for row in rows],
            },
        )
        is_open, ballot_id, _rated = cursor.fetchone()
    if not is_open:
        raise RoundNotOpen
    if ballot_id is None:
        raise BallotAlreadySubmitted
    return Ballot(
        pk=ballot_id,
        round=delphi_round,
        panelist=panelist,
        updated_at=now,
        submitted_at=now if submit else None,
    )


def ballot_save(
    *,
    user,
    delphi_round: Round,
    answers: Mapping[int, Answer],
    submit: bool = False,
    panelist: Panelist | None = None,
    round_item_ids: Iterable[int] | None = None,
) -> Ballot:
    """Store the given answers (keyed by round item id); with ``submit``, every item must be
    rated and the ballot is then final. Nothing is stored when an error is raised.

    ``panelist`` and ``round_item_ids`` spare the queries when the caller already has them
    (the ballot view, on the hot path of a round's last minutes)."""
    if panelist is None:
        panelist = _panelist(user, delphi_round)
    elif panelist.study_id != delphi_round.study_id or panelist.user_id != user.pk:
        raise PermissionDenied
    if round_item_ids is None:
        round_item_ids = (
            RoundItem.objects.filter(round=delphi_round).order_by().values_list("id", flat=True)
        )
    round_items = set(round_item_ids)
    rows = _ratings(panelist, delphi_round.study, round_items, answers)
    if connection.vendor == "postgresql" and (not submit or len(rows) == len(round_items)):
        # One round trip; a submit that leaves items unrated (rated perhaps before) takes the
        # path below, which counts them.
        if connection.in_atomic_block:  # keep the caller's transaction usable on an error
            with transaction.atomic():
                ballot = _ballot_statement(delphi_round, panelist, rows, submit)
        else:
            ballot = _ballot_statement(delphi_round, panelist, rows, submit)
    else:
        ballot = _ballot_save_steps(delphi_round, panelist, rows, round_items, submit)
    broadcast.participation_changed(delphi_round.study_id)
    return ballot


@transaction.atomic
def _ballot_save_steps(
    delphi_round: Round,
    panelist: Panelist,
    rows: list[Rating],
    round_items: set[int],
    submit: bool,
) -> Ballot:
    """The same in steps (SQLite, the demo; a submit that must count earlier ratings)."""
    _round_locked_open(delphi_round)
    if rows:
        # The unique constraint makes a repeated or concurrent save an update, never a duplicate.
        Rating.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["round_item", "panelist"],
            update_fields=["score", "comment", "updated_at"],
        )
    if submit and len(rows) < len(round_items):  # some were perhaps saved before
        rated = Rating.objects.filter(panelist=panelist, round_item__round=delphi_round).count()
        if rated < len(round_items):
            raise BallotIncomplete(
                _("Rate every item before submitting: %(missing)d left.")
                % {"missing": len(round_items) - rated}
            )
    return _ballot_upsert(delphi_round, panelist, submitted=submit)


def rating_save(*, user, round_item: RoundItem, score: int, comment: str = "") -> Ballot:
    """Save one rating (a partial ballot)."""
    return ballot_save(
        user=user, delphi_round=round_item.round, answers={round_item.pk: Answer(score, comment)}
    )


def ballot_submit(*, user, delphi_round: Round, answers: Mapping[int, Answer]) -> Ballot:
    """Save the answers and submit the ballot: final for this round."""
    return ballot_save(user=user, delphi_round=delphi_round, answers=answers, submit=True)
