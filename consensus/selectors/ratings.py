"""Ratings as they may be read: per-round pseudonyms, which rounds are shown (closed, with at
least k submitted ballots), submitted ballots only, and the arrays the statistics come from."""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import Count, Exists, OuterRef, QuerySet

from consensus.models import (
    Ballot,
    Item,
    Rating,
    Round,
    Study,
)
from consensus.stats import Ratings

PSEUDONYM_BITS = 80


def panelist_pseudonym(study: Study, round_number: int, panelist_id: int) -> str:
    """A panelist's pseudonym in one round of one study.

    Keyed by ``PSEUDONYM_KEY`` (not ``SECRET_KEY``) over the study's random salt: recomputing
    it takes both the key and the database. It differs from round to round, so that the
    rows of someone who stopped answering cannot be found by following a pseudonym."""
    key = settings.PSEUDONYM_KEY
    if not key:
        raise ImproperlyConfigured("PSEUDONYM_KEY is not set.")
    digest = hmac.new(
        key.encode(),
        f"consensus.panelist:{study.pseudonym_salt}:{round_number}:{panelist_id}".encode(),
        hashlib.sha256,
    ).digest()
    return "P-" + base64.b32encode(digest[: PSEUDONYM_BITS // 8]).decode()


@dataclass(frozen=True)
class RoundDisclosure:
    """Which rounds of a study may be shown, and why the others may not."""

    k: int
    shown: tuple[int, ...]  # closed rounds with at least k submitted ballots
    withheld: tuple[tuple[int, int], ...]  # (round, submitted ballots) of closed rounds below k
    open_round: int | None

    def is_shown(self, number: int) -> bool:
        return number in self.shown


def round_disclosure(study: Study) -> RoundDisclosure:
    """Closed rounds with at least ``study.min_ballots`` submitted ballots are shown; an open
    round never is (its ballots could be matched with the list of who has not answered)."""
    submitted = dict(
        Ballot.objects.filter(round__study=study, submitted_at__isnull=False)
        .values_list("round__number")
        .annotate(n=Count("id"))
        .order_by()
    )
    shown, withheld, open_round = [], [], None
    for number, status in study.rounds.order_by("number").values_list("number", "status"):
        if status == Round.Status.OPEN:
            open_round = number
        elif submitted.get(number, 0) >= study.min_ballots:
            shown.append(number)
        else:
            withheld.append((number, submitted.get(number, 0)))
    return RoundDisclosure(study.min_ballots, tuple(shown), tuple(withheld), open_round)


def submitted_only(ratings: QuerySet[Rating]) -> QuerySet[Rating]:
    """The ratings of submitted ballots. A panelist who saved part of a ballot and never
    submitted did not take part in the round: the statistics, the feedback and the exports
    count the same panelists as the methods report's denominators."""
    return ratings.filter(
        Exists(
            Ballot.objects.filter(
                round_id=OuterRef("round_item__round_id"),
                panelist_id=OuterRef("panelist_id"),
                submitted_at__isnull=False,
            )
        )
    )


def ratings_arrays(study: Study, rounds: list[int] | None = None) -> Ratings:
    """All ratings of the study as arrays for ``compute_all``: one query, no user column.

    Items are labelled by their code, panelists by their id (internal, never displayed).
    """
    # Submitted ballots only (see submitted_only), filtered in numpy below: a semi-join on
    # 450 000 rows tripled the read.
    query = Rating.objects.filter(round_item__round__study=study)
    if rounds is not None:
        query = query.filter(round_item__round__number__in=rounds)
    rows = query.values_list(
        "round_item__item_id", "panelist_id", "round_item__round__number", "score"
    )
    # The values_list's own SQL on a plain cursor: no per-row Python object but the tuple.
    fetched = []
    if rounds is None or rounds:  # an empty IN () has no SQL
        sql, params = rows.query.sql_with_params()
        with connections[rows.db].cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
    flat = np.fromiter(itertools.chain.from_iterable(fetched), np.int64, count=4 * len(fetched))
    data = flat.reshape(-1, 4)
    submitted = np.array(
        Ballot.objects.filter(round__study=study, submitted_at__isnull=False).values_list(
            "round__number", "panelist_id"
        ),
        dtype=np.int64,
    ).reshape(-1, 2)
    # One integer per (round, panelist): panelist ids are far below 2**40.
    keys = (data[:, 2] << 40) | data[:, 1]
    data = data[np.isin(keys, (submitted[:, 0] << 40) | submitted[:, 1])]
    codes = dict(Item.objects.filter(study=study).values_list("id", "code"))
    item_ids, item_idx = np.unique(data[:, 0], return_inverse=True)
    panelist_ids, panelist_idx = np.unique(data[:, 1], return_inverse=True)
    # compute_all expects labels sorted so that code order is label order.
    labels = [codes[int(i)] for i in item_ids]
    order = np.argsort(np.array(labels, dtype=str), kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return Ratings(
        item=rank[item_idx] if order.size else item_idx,
        panelist=panelist_idx,
        round=data[:, 2],
        score=data[:, 3],
        item_labels=tuple(labels[i] for i in order),
        panelist_labels=tuple(str(int(p)) for p in panelist_ids),
    )
