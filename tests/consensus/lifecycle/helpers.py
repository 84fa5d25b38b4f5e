"""Building référentiels at a given step of their lifecycle, seats and closed studies."""

from __future__ import annotations

import itertools

from django.contrib.auth.models import Group

from consensus.models import Body, CommitteeSeat
from consensus.services.ratings import Answer, ballot_submit
from consensus.services.rounds import round_close, round_open
from consensus.services.studies import study_create
from tests.factories.accounts import UserFactory
from tests.factories.consensus import (
    committee_member,
    decisions_recorded,
    facilitator,
    panelist_user,
)
from wiki.models import (
    CompetencyPage,
    DomainPage,
    EvaluationMethod,
    HomePage,
    Institution,
    InventoryPage,
    ReferentielPage,
)

_numbers = itertools.count(1)
DEANS = ("cdd", "cdp", "cdo", "cdm")


def college_editor(college: Institution, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(college.editors_group)
    return user


def new_referentiel(*, phase: int = 1, n_competencies: int = 0, methods: bool = True):
    """A fresh référentiel of CERF (its first revision, saved once its pages are, starts its
    lifecycle at ``phase``)."""
    n = next(_numbers)
    home = HomePage.objects.get()
    referentiel = ReferentielPage(
        title=f"Référentiel de test {n}",
        slug=f"referentiel-test-{n}",
        college=Institution.objects.get(slug="cerf"),
        cycle="3",
        phase=phase,
    )
    home.add_child(instance=referentiel)
    if n_competencies:
        domain = DomainPage(title=f"Domaine {n}", slug=f"domaine-{n}", code=f"T{n}")
        referentiel.add_child(instance=domain)
        domain.save_revision()
        method = EvaluationMethod.objects.get(code="ecos")
        for i in range(n_competencies):
            page = CompetencyPage(
                title=f"Compétence {n}.{i}",
                slug=f"competence-{n}-{i}",
                code=f"T{n}-{i}",
                statement=f"Énoncé initial {n}.{i}",
            )
            if methods:
                page.evaluation_methods = [method]
            domain.add_child(instance=page)
            page.save_revision()
    # Last: a vote it starts at is on the pages above (consensus.services.voted).
    referentiel.save_revision()
    referentiel.refresh_from_db()
    return referentiel


def inventory_add(referentiel, **sections) -> InventoryPage:
    values = {
        "existing_teaching": "Enseignements recensés.",
        "benchmarking": "Référentiels européens comparés.",
        "methodology": "Groupes de travail et Delphi.",
        **sections,
    }
    page = InventoryPage(title="État des lieux", slug=f"etat-des-lieux-{referentiel.pk}", **values)
    referentiel.add_child(instance=page)
    page.save_revision()
    return page


def seats(body: str, slugs) -> list:
    """One seat per institution, each held by a new account."""
    result = []
    for slug in slugs:
        holder = UserFactory()
        seat, _created = CommitteeSeat.objects.update_or_create(
            body=body,
            institution=Institution.objects.get(slug=slug),
            defaults={"role_label": "Représentant", "holder": holder, "active": True},
        )
        result.append(seat)
    return result


def deans_seats() -> list:
    return seats(Body.DEANS_CONFERENCES, DEANS)


def steering_seats() -> list:
    """Three seats of the steering committee: its vote's quorum."""
    return seats(Body.STEERING_COMMITTEE, ("cncem", "uness", "cimes"))


def votes_cast(task_state, members, choice: str = "approve", kinds=None) -> None:
    """Each seat votes ``choice`` (with a comment naming its institution)."""
    from consensus.services.lifecycle import vote_cast

    for seat, kind in zip(members, kinds or [""] * len(members), strict=True):
        vote_cast(
            user=seat.holder,
            task_state=task_state,
            choice=choice,
            comment=f"Avis de {seat.institution.acronym}.",
            edition_kind=kind,
        )


def at_the_committee_vote(*, n_competencies: int = 3):
    """Phase 3 with a closed study, the committee's decisions (keep, reword, drop) recorded
    and applied, the gate passed: the steering committee's vote is open on those drafts.
    Returns the référentiel, the study, the committee member and the three items."""
    from consensus.services.lifecycle import decisions_apply, gate_pass

    referentiel = new_referentiel(phase=3, n_competencies=n_competencies)
    study = closed_study(referentiel)
    member = committee()
    items = decisions_recorded(study=study, member=member)
    decisions_apply(user=member, referentiel=referentiel)
    gate_pass(user=member, referentiel=referentiel)
    return referentiel, study, member, items


def closed_study(referentiel, *, score: int = 9):
    """A study on the référentiel's competencies, one round rated ``score`` by 3 panelists
    (k = 3) and closed: every item classified."""
    animator = facilitator()
    panel = [(panelist_user(), "teacher") for _ in range(3)]
    study = study_create(
        user=animator,
        title=f"Delphi {referentiel.title}",
        referentiel=referentiel,
        panel=panel,
        min_ballots=3,
    )
    first = round_open(user=animator, study=study)
    for panel_user, _category in panel:
        ballot_submit(
            user=panel_user,
            delphi_round=first,
            answers={ri.pk: Answer(score) for ri in first.round_items.all()},
        )
    round_close(user=animator, delphi_round=first)
    return study


def committee():
    member = committee_member()
    Group.objects.get_or_create(name="Comité de pilotage")
    return member
