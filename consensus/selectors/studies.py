"""Studies listed for a user, and counts of submitted ballots."""

from __future__ import annotations

from django.db.models import Q

from consensus import permissions
from consensus.models import (
    Ballot,
    Round,
    Study,
)


def studies_for_user(user) -> dict[str, list[Study]]:
    staff = permissions.is_facilitator(user) or permissions.is_committee_member(user)
    managed = list(Study.objects.all()) if staff else []
    rated = (
        list(Study.objects.filter(panelists__user=user).distinct()) if user.is_authenticated else []
    )
    return {"managed": managed, "rated": rated}


def submitted_count(delphi_round: Round) -> int:
    return Ballot.objects.filter(round=delphi_round).filter(~Q(submitted_at=None)).count()
