"""Read queries for studies, rounds and results, one module per sub-domain:
``ratings`` (pseudonyms, disclosure, arrays), ``results``, ``participation``, ``ballots``,
``exports``, ``studies``. Their public names are re-exported here for the callers.

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

from consensus.selectors.ballots import (
    BallotLine,
    BallotProgress,
    Feedback,
    ScaleBand,
    ballot_for_panelist,
    ballot_progress,
    open_round_for_panelist,
    previous_round_withheld,
    scale_bands,
)
from consensus.selectors.exports import (
    COMMENT_COLUMNS,
    EXPORT_COLUMNS,
    comments_export_rows,
    ratings_export_rows,
)
from consensus.selectors.participation import (
    POOLED_CATEGORY,
    CategoryRate,
    RoundParticipation,
    panel_composition,
    rounds_flow,
    study_participation,
)
from consensus.selectors.ratings import (
    PSEUDONYM_BITS,
    RoundDisclosure,
    panelist_pseudonym,
    ratings_arrays,
    round_disclosure,
    submitted_only,
)
from consensus.selectors.results import (
    ItemResult,
    StudyResults,
    study_results,
)
from consensus.selectors.studies import (
    studies_for_user,
    submitted_count,
)

__all__ = [
    "BallotLine",
    "BallotProgress",
    "COMMENT_COLUMNS",
    "CategoryRate",
    "EXPORT_COLUMNS",
    "Feedback",
    "ItemResult",
    "POOLED_CATEGORY",
    "PSEUDONYM_BITS",
    "RoundDisclosure",
    "RoundParticipation",
    "ScaleBand",
    "StudyResults",
    "ballot_for_panelist",
    "ballot_progress",
    "comments_export_rows",
    "open_round_for_panelist",
    "panel_composition",
    "panelist_pseudonym",
    "previous_round_withheld",
    "ratings_arrays",
    "ratings_export_rows",
    "round_disclosure",
    "rounds_flow",
    "scale_bands",
    "studies_for_user",
    "study_participation",
    "study_results",
    "submitted_count",
    "submitted_only",
]
