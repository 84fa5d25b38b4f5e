"""Read queries for studies, rounds and results.

Anonymity is a duty of this module (threat model: notes/anonymity.md): what a facilitator, a
committee member or an export reads never carries ``Rating.panelist.user``. Raters appear, at
most, as a pseudonym that changes with every round (HMAC with ``PSEUDONYM_KEY`` of the study's
random salt, the round and the panelist), so rows cannot be linked across rounds; comments are
exported apart from any pseudonym. A round is shown (results, exports, next round's feedback)
only once it is closed and holds at least the study's ``min_ballots`` (k) submitted ballots.
Statistics come from the pure, tested ``consensus.stats.compute_all``, fed from a single
``values_list`` query.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from consensus import permissions
from consensus.models import (
    Ballot,
    Decision,
    Item,
    ItemVersion,
    Panelist,
    Rating,
    Round,
    RoundItem,
    Study,
)
from consensus.rules import stop_reasons
from consensus.stats import ConsensusReport, ItemStability, ItemStats, Ratings, compute_all

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


def studies_for_user(user) -> dict[str, list[Study]]:
    staff = permissions.is_facilitator(user) or permissions.is_committee_member(user)
    managed = list(Study.objects.all()) if staff else []
    rated = (
        list(Study.objects.filter(panelists__user=user).distinct()) if user.is_authenticated else []
    )
    return {"managed": managed, "rated": rated}


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


@dataclass
class ItemResult:
    item: Item
    rounds: dict[int, ItemStats] = field(default_factory=dict)
    stability: dict[int, ItemStability] = field(default_factory=dict)  # keyed by to_round
    versions: dict[int, int] = field(default_factory=dict)  # round -> version number rated
    histograms: dict[int, list[tuple[int, int, float]]] = field(default_factory=dict)
    decision: Decision | None = None
    title: str = ""  # the item's current wording, shown next to its code

    @property
    def final(self) -> ItemStats | None:
        return self.rounds[max(self.rounds)] if self.rounds else None


@dataclass
class StudyResults:
    study: Study
    report: ConsensusReport
    items: list[ItemResult]
    round_numbers: list[int]
    stop_reasons: list[str]
    disclosure: RoundDisclosure

    @property
    def titles(self) -> dict[str, str]:
        """Item code → current wording, for the tables keyed by code."""
        return {result.item.code: result.title for result in self.items}


def study_results(study: Study) -> StudyResults:
    """Per item and round statistics, stability and Kendall's W, by the study's own rule.

    Only the rounds ``round_disclosure`` shows: closed, with at least k submitted ballots."""
    disclosure = round_disclosure(study)
    ratings = ratings_arrays(study, rounds=list(disclosure.shown))
    report = compute_all(ratings, study.scale, study.rule)
    items = list(Item.objects.filter(study=study).select_related("decision__decided_by"))
    by_code = {item.code: ItemResult(item=item) for item in items}
    for item in items:
        with contextlib.suppress(Decision.DoesNotExist):
            by_code[item.code].decision = item.decision
    # Current wordings in one query: the last version of each item wins.
    for code, text in (
        ItemVersion.objects.filter(item__study=study)
        .order_by("item_id", "number")
        .values_list("item__code", "text")
    ):
        by_code[code].title = text
    for row in report.items:
        by_code[row.item].rounds[row.round] = row.stats
        by_code[row.item].histograms[row.round] = row.stats.histogram(study.scale_min)
    for row in report.stability:
        by_code[row.item].stability[row.to_round] = row
    by_id = {result.item.pk: result for result in by_code.values()}
    for item_id, number, version in RoundItem.objects.filter(
        round__study=study, round__number__in=disclosure.shown
    ).values_list("item_id", "round__number", "version__number"):
        by_id[item_id].versions[number] = version
    round_numbers = list(study.rounds.order_by("number").values_list("number", flat=True))
    return StudyResults(
        study=study,
        report=report,
        items=list(by_code.values()),
        round_numbers=round_numbers,
        stop_reasons=_stop_reasons(study, report, round_numbers),
        disclosure=disclosure,
    )


def _stop_reasons(study: Study, report: ConsensusReport, round_numbers: list[int]) -> list[str]:
    """Which of the protocol's stop criteria the last closed round meets (rules.stop_reasons)."""
    closed = list(study.rounds.closed().order_by("number").values_list("number", flat=True))
    if not closed:
        return []
    last = closed[-1]
    return stop_reasons(
        last_round=last,
        max_rounds=study.max_rounds,
        classifications=[row.stats.classification for row in report.items if row.round == last],
        net_changes=[
            row.stability.net_change
            for row in report.stability
            if row.to_round == last and row.stability.net_change is not None
        ],
        stop_when_all_classified=study.stop_when_all_classified,
        stability_max_net_change=study.stability_max_net_change,
    )


# --- participation ---------------------------------------------------------------------------


@dataclass
class CategoryRate:
    category: str
    label: str
    invited: int
    submitted: int

    @property
    def rate(self) -> float:
        return self.submitted / self.invited if self.invited else 0.0


@dataclass
class RoundParticipation:
    round: Round
    invited: int
    submitted: int
    started: int
    by_category: list[CategoryRate]
    pending: list[str]  # names of who has not submitted yet (for a reminder)
    # Attrition: submitted the previous round, not this one. None while this round is open
    # (nobody is lost yet: they may still answer) and for round 1.
    lost_since_previous: int | None

    @property
    def rate(self) -> float:
        return self.submitted / self.invited if self.invited else 0.0


POOLED_CATEGORY = "pooled"


def _categories_pooled(rows: list[CategoryRate], k: int) -> list[CategoryRate]:
    """Categories of fewer than k panelists are shown together: a category of one member
    would otherwise describe that person."""
    small = [row for row in rows if row.invited < k]
    if not small:
        return rows
    pooled = CategoryRate(
        POOLED_CATEGORY,
        _("Other categories (fewer than %(k)d panelists each)") % {"k": k},
        sum(row.invited for row in small),
        sum(row.submitted for row in small),
    )
    return [row for row in rows if row.invited >= k] + [pooled]


def study_participation(study: Study) -> list[RoundParticipation]:
    """Response rate per round and panelist category, pending panelists, attrition."""
    panelists = list(Panelist.objects.filter(study=study).select_related("user"))
    ballots = defaultdict(dict)
    for round_id, panelist_id, submitted in Ballot.objects.filter(round__study=study).values_list(
        "round_id", "panelist_id", "submitted_at"
    ):
        ballots[round_id][panelist_id] = submitted is not None
    labels = dict(Panelist.Category.choices)
    result = []
    previous_submitted: set[int] | None = None
    for delphi_round in study.rounds.order_by("number"):
        state = ballots.get(delphi_round.pk, {})
        submitted = {pid for pid, done in state.items() if done}
        invited_by_cat = Counter(p.category for p in panelists)
        submitted_by_cat = Counter(p.category for p in panelists if p.pk in submitted)
        by_category = _categories_pooled(
            [
                CategoryRate(
                    category,
                    str(labels[category]),
                    invited_by_cat[category],
                    submitted_by_cat[category],
                )
                for category in Panelist.Category.values
                if invited_by_cat[category]
            ],
            study.min_ballots,
        )
        pending = sorted(
            (p.user.get_full_name() or p.user.get_username())
            for p in panelists
            if p.pk not in submitted
        )
        result.append(
            RoundParticipation(
                round=delphi_round,
                invited=len(panelists),
                submitted=len(submitted),
                started=len(state),
                by_category=by_category,
                pending=pending,
                lost_since_previous=(
                    len(previous_submitted - submitted)
                    if previous_submitted is not None and not delphi_round.is_open
                    else None
                ),
            )
        )
        previous_submitted = submitted
    return result


# --- panelist's ballot -----------------------------------------------------------------------


@dataclass
class Feedback:
    """What a panelist sees of the previous round for one item (never who rated what)."""

    round_number: int
    bars: list[tuple[int, int, float]]  # (score, count, bar length %) for every scale point
    n: int
    median: float | None
    own_score: int | None
    comments: list[str]

    @property
    def histogram(self) -> list[tuple[int, int]]:
        return [(score, count) for score, count, _length in self.bars]


@dataclass
class BallotLine:
    round_item: RoundItem
    score: int | None
    comment: str
    feedback: Feedback | None

    @property
    def title(self) -> str:
        """What a panelist reads for the item: its wording, never the internal code."""
        return self.round_item.version.text


@dataclass(frozen=True)
class BallotProgress:
    rated: int
    total: int
    unrated: list[BallotLine]

    @property
    def complete(self) -> bool:
        return self.rated == self.total


def ballot_progress(lines: list[BallotLine]) -> BallotProgress:
    """How many items of the ballot carry a score, and which do not (in ballot order)."""
    unrated = [line for line in lines if line.score is None]
    return BallotProgress(rated=len(lines) - len(unrated), total=len(lines), unrated=unrated)


@dataclass(frozen=True)
class ScaleBand:
    """A stretch of the scale with its wording (RAND/UCLA: 1–3, 4–6, 7–9)."""

    key: str
    label: str
    values: list[int]


def scale_bands(study: Study) -> list[ScaleBand]:
    """The study's scale cut by its own rule: disagreement up to ``disagree_to``, agreement
    from ``agree_from``, uncertain in between (the wording shown next to the radio buttons)."""
    low = [v for v in study.scale_values if v <= study.disagree_to]
    high = [v for v in study.scale_values if v >= study.agree_from]
    middle = [v for v in study.scale_values if study.disagree_to < v < study.agree_from]
    bands = [
        ScaleBand("disagree", _("Disagree (inappropriate)"), low),
        ScaleBand("uncertain", _("Uncertain"), middle),
        ScaleBand("agree", _("Agree (appropriate)"), high),
    ]
    return [band for band in bands if band.values]


def ballot_for_panelist(
    panelist: Panelist, delphi_round: Round
) -> tuple[Ballot | None, list[BallotLine]]:
    round_items = list(
        RoundItem.objects.filter(round=delphi_round).select_related("item", "version")
    )
    own = {
        r.round_item_id: r
        for r in Rating.objects.filter(panelist=panelist, round_item__round=delphi_round)
    }
    ballot = Ballot.objects.filter(round=delphi_round, panelist=panelist).first()
    feedback = _previous_round_feedback(panelist, delphi_round)
    lines = [
        BallotLine(
            round_item=ri,
            score=own[ri.pk].score if ri.pk in own else None,
            comment=own[ri.pk].comment if ri.pk in own else "",
            feedback=feedback.get(ri.item_id),
        )
        for ri in round_items
    ]
    return ballot, lines


def _previous_round_feedback(panelist: Panelist, delphi_round: Round) -> dict[int, Feedback]:
    study = delphi_round.study
    previous = study.rounds.filter(number=delphi_round.number - 1).first()
    if previous is None or not round_disclosure(study).is_shown(previous.number):
        return {}
    report = compute_all(ratings_arrays(study, rounds=[previous.number]), study.scale, study.rule)
    medians = {row.item: row.stats for row in report.items}
    rows = submitted_only(Rating.objects.filter(round_item__round=previous)).values_list(
        "round_item__item_id", "round_item__item__code", "panelist_id", "score", "comment"
    )
    comments: dict[int, list[str]] = defaultdict(list)
    own: dict[int, int] = {}
    codes: dict[int, str] = {}
    for item_id, code, panelist_id, score, comment in rows:
        codes[item_id] = code
        if comment:
            comments[item_id].append(comment)
        if panelist_id == panelist.pk:
            own[item_id] = score
    result = {}
    for item_id, code in codes.items():
        stats = medians[code]
        result[item_id] = Feedback(
            round_number=previous.number,
            bars=stats.histogram(study.scale_min),
            n=stats.n,
            median=stats.median,
            own_score=own.get(item_id),
            # Sorted text: neither the author nor the order of submission shows through.
            comments=sorted(comments[item_id]),
        )
    return result


def previous_round_withheld(delphi_round: Round) -> RoundDisclosure | None:
    """The disclosure when the previous round exists but holds fewer than k ballots (its
    feedback is then not shown to the panel), else None."""
    study = delphi_round.study
    if delphi_round.number < 2:
        return None
    disclosure = round_disclosure(study)
    if any(number == delphi_round.number - 1 for number, _n in disclosure.withheld):
        return disclosure
    return None


def open_round_for_panelist(user) -> list[tuple[Round, Panelist, Ballot | None]]:
    """Open rounds of the studies where the user sits on the panel."""
    if not user.is_authenticated:
        return []
    result = []
    for panelist in Panelist.objects.filter(user=user).select_related("study"):
        delphi_round = panelist.study.rounds.open().first()
        if delphi_round is not None:
            ballot = Ballot.objects.filter(round=delphi_round, panelist=panelist).first()
            result.append((delphi_round, panelist, ballot))
    return result


# --- exports ---------------------------------------------------------------------------------

EXPORT_COLUMNS = ("item", "version", "round", "panelist", "score")
COMMENT_COLUMNS = ("item", "version", "round", "comment")


def ratings_export_rows(study: Study) -> list[tuple]:
    """Every rating of the shown rounds' submitted ballots (see ``round_disclosure``), with a
    per-round pseudonym instead of the panelist (for CSV/XLSX exports). Rows are ordered by
    item, round and pseudonym: never by panelist id, which follows the order in which the
    panel was invited. Comments are not here (see ``comments_export_rows``)."""
    shown = round_disclosure(study).shown
    rows = (
        submitted_only(
            Rating.objects.filter(
                round_item__round__study=study, round_item__round__number__in=shown
            )
        )
        .order_by()
        .values_list(
            "round_item__item__position",
            "round_item__item__code",
            "round_item__version__number",
            "round_item__round__number",
            "panelist_id",
            "score",
        )
    )
    keyed = [
        ((position, code, number, pseudonym), (code, version, number, pseudonym, score))
        for position, code, version, number, pid, score in rows
        for pseudonym in (panelist_pseudonym(study, number, pid),)
    ]
    return [row for _key, row in sorted(keyed, key=lambda pair: pair[0])]


def comments_export_rows(study: Study) -> list[tuple]:
    """The comments of the shown rounds, per item and round, sorted by their text: with no
    pseudonym and no score, a comment that gives its author away gives away nothing else."""
    shown = round_disclosure(study).shown
    rows = (
        submitted_only(
            Rating.objects.filter(
                round_item__round__study=study, round_item__round__number__in=shown
            ).exclude(comment="")
        )
        .order_by()
        .values_list(
            "round_item__item__position",
            "round_item__item__code",
            "round_item__version__number",
            "round_item__round__number",
            "comment",
        )
    )
    return [row[1:] for row in sorted(rows, key=lambda row: (row[0], row[1], row[3], row[4]))]


def panel_composition(study: Study) -> list[tuple[str, int]]:
    """Panelists invited per category; categories of fewer than k are pooled."""
    labels = dict(Panelist.Category.choices)
    counts = dict(
        Panelist.objects.filter(study=study)
        .values_list("category")
        .annotate(n=Count("id"))
        .order_by("category")
    )
    rows = [
        CategoryRate(category, str(labels[category]), counts[category], 0)
        for category in Panelist.Category.values
        if counts.get(category)
    ]
    return [(row.label, row.invited) for row in _categories_pooled(rows, study.min_ballots)]


def rounds_flow(study: Study) -> list[dict]:
    """Participants per round with denominators (CREDES/ACCORD flow)."""
    return [
        {
            "number": p.round.number,
            "invited": p.invited,
            "started": p.started,
            "submitted": p.submitted,
            "rate": p.rate,
            "lost": p.lost_since_previous,
        }
        for p in study_participation(study)
    ]


def submitted_count(delphi_round: Round) -> int:
    return Ballot.objects.filter(round=delphi_round).filter(~Q(submitted_at=None)).count()
