"""Idempotent demo study on the radiology pilot référentiel (called by the demo loader)."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from consensus import selectors
from consensus.models import Study
from consensus.rules import CONSENSUS_DISAGREE
from consensus.services.ratings import Answer, ballot_submit
from consensus.services.report_texts import study_report_texts_update
from consensus.services.rounds import round_close, round_open
from consensus.services.studies import study_create
from wiki.models import ReferentielPage
from wiki.roles import PANELISTS

DEMO_TITLE = "Étude Delphi de démonstration — Radiologie (CERF)"
DEMO_REFERENTIEL = "radiologie-3e-cycle"
DEMO_FACILITATOR = "animateur.delphi"
# Round-1 ratings: a per-item centre plus a per-panelist offset, clipped to 1-9.
_CENTRES = (8, 7, 9, 5, 2, 8, 6, 3)
_OFFSETS = (-1, 0, 1, 0, 1, -1, 0, 1)
# The report's free texts of the demo study: invented, labelled as demo, naming no one.
DEMO_REPORT_TEXTS = {
    "aim_background": (
        "[Démonstration] Les compétences en santé numérique et IA de l’internat de radiologie "
        "ne sont décrites par aucun texte officiel et les données publiées sont rares : un "
        "consensus formel d’experts et d’apprenants a été préféré à une revue seule. Objectif : "
        "retenir les compétences du référentiel pilote, pour les enseignants et les internes, à "
        "l’échelle nationale."
    ),
    "registration": (
        "[Démonstration] Protocole déposé sur un registre fictif (DEMO-0000) ; il peut être lu "
        "sur la page de l’étude avant le tour 1."
    ),
    "eligibility_recruitment": (
        "[Démonstration] Éligibles : membres du collège, enseignants, internes et patients "
        "partenaires ayant au moins une année d’expérience du sujet. Invitation par courriel "
        "depuis les listes du collège, sans relance au-delà de deux messages."
    ),
    "steering_committee": (
        "[Démonstration] Le comité de pilotage (quatre membres fictifs) a choisi les items, "
        "fixé le protocole et décide de chaque item à la fin ; l’animateur ouvre et clôt les "
        "tours, relance les non-répondants et ne note pas."
    ),
    "piloting": (
        "[Démonstration] Le questionnaire a été testé par deux personnes hors panel : "
        "compréhension des énoncés et durée (environ 15 minutes)."
    ),
    "ethics_consent": (
        "[Démonstration] Étude sans patients ni données de santé ; consentement des panélistes "
        "recueilli à l’inscription ; aucun avis de comité d’éthique requis (exemple fictif)."
    ),
    "funding_conflicts": (
        "[Démonstration] Aucun financement externe ; les membres du comité déclarent leurs "
        "liens d’intérêts, aucun n’a été jugé en rapport avec le sujet (exemple fictif)."
    ),
    "limitations": (
        "[Démonstration] Panel réduit, un seul collège, tour 2 en cours : les résultats sont "
        "provisoires et ne se généralisent pas aux autres spécialités."
    ),
}
# Panelists without a login, so that round 1 holds more than the study's k (5) submitted
# ballots and its results show: the demo accounts alone are four.
_EXTRA_PANELISTS = (
    ("panel.demo.5", "Inès", "Expert", "college_expert"),
    ("panel.demo.6", "Paul", "Enseignant", "teacher"),
    ("panel.demo.7", "Léa", "Étudiante", "student"),
    ("panel.demo.8", "Marc", "Expert", "college_expert"),
)


def _demo_panel() -> list[tuple]:
    users = get_user_model().objects
    accounts = json.loads((settings.FIXTURES_DIR / "accounts.json").read_text(encoding="utf-8"))
    panel = [
        (users.get(username=account["username"]), account["panel_category"])
        for account in accounts
        if account.get("panel_category")
    ]
    group = Group.objects.filter(name=PANELISTS).first()
    for username, first_name, last_name, category in _EXTRA_PANELISTS:
        user, created = users.get_or_create(
            username=username, defaults={"first_name": first_name, "last_name": last_name}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            if group is not None:
                user.groups.add(group)
        panel.append((user, category))
    return panel


@transaction.atomic
def demo_study_load() -> Study | None:
    """One study, eight panelists (the four demo accounts and four without a login), round 1
    rated by all and closed (its results show: k is 5), round 2 open.

    Returns the study (existing or new), or None when the seed data is missing.
    """
    existing = Study.objects.filter(title=DEMO_TITLE).first()
    if existing is not None:
        return existing
    referentiel = ReferentielPage.objects.filter(slug=DEMO_REFERENTIEL).first()
    facilitator = get_user_model().objects.filter(username=DEMO_FACILITATOR).first()
    if referentiel is None or facilitator is None:
        return None
    study = study_create(
        user=facilitator, title=DEMO_TITLE, referentiel=referentiel, panel=_demo_panel()
    )
    # Written before round 1, as the protocol's texts must be.
    study_report_texts_update(user=facilitator, study=study, **DEMO_REPORT_TEXTS)
    first = round_open(user=facilitator, study=study)
    items = list(first.round_items.order_by("item__position"))
    for p, panelist in enumerate(study.panelists.order_by("pk")):
        answers = {
            ri.pk: Answer(
                min(9, max(1, _CENTRES[i % len(_CENTRES)] + _OFFSETS[p % len(_OFFSETS)])),
                "Formulation claire." if (i + p) % 3 == 0 else "",
            )
            for i, ri in enumerate(items)
        }
        ballot_submit(user=panelist.user, delphi_round=first, answers=answers)
    round_close(user=facilitator, delphi_round=first)
    round_open(user=facilitator, study=study)
    study.refresh_from_db()
    return study


DEMO_COMMITTEE_ACCOUNT = "copil"


@transaction.atomic
def committee_seats_load(*, demo_holders: bool = False) -> int:
    """The seats of fixtures/committee.json (idempotent). With ``demo_holders``, each seat is
    held by a demo account without a login (the demo's committee account holds the CNCEM seat),
    labelled by institution, never a person's name."""
    from consensus.models import Body, CommitteeSeat
    from wiki.models import Institution

    data = json.loads((settings.FIXTURES_DIR / "committee.json").read_text(encoding="utf-8"))
    for item in data["institutions"]:
        Institution.objects.get_or_create(
            slug=item["slug"],
            defaults={"name": item["name"], "acronym": item["acronym"], "kind": item["kind"]},
        )
    users = get_user_model().objects
    created = 0
    for body in (Body.STEERING_COMMITTEE, Body.DEANS_CONFERENCES):
        for item in data[body]:
            institution = Institution.objects.get(slug=item["institution"])
            seat, new = CommitteeSeat.objects.get_or_create(
                body=body, institution=institution, defaults={"role_label": item["role_label"]}
            )
            created += new
            if demo_holders and seat.holder_id is None:
                username = f"siege.{body[:5]}.{institution.slug}"
                if body == Body.STEERING_COMMITTEE and institution.slug == "cncem":
                    username = DEMO_COMMITTEE_ACCOUNT
                holder, made = users.get_or_create(
                    username=username,
                    defaults={"first_name": "Siège", "last_name": institution.acronym},
                )
                if made:
                    holder.set_unusable_password()
                    holder.save(update_fields=["password"])
                seat.holder = holder
                seat.save(update_fields=["holder"])
    return created


@transaction.atomic
def demo_lifecycle_load() -> None:
    """The radiology pilot's référent (its college's demo editor) and the seats' holders."""
    from consensus.services.lifecycle import lifecycle_state, referent_name
    from wiki.models import ReferentielPage

    committee_seats_load(demo_holders=True)
    users = get_user_model().objects
    referentiel = ReferentielPage.objects.filter(slug=DEMO_REFERENTIEL).first()
    member = users.filter(username=DEMO_COMMITTEE_ACCOUNT).first()
    editor = users.filter(username="editeur.radiologie").first()
    if referentiel is None or member is None or editor is None:
        return
    if lifecycle_state(referentiel) is not None and not hasattr(referentiel, "referent"):
        referent_name(user=member, referentiel=referentiel, account=editor)


# --- The radiology pilot's whole cycle, the general-medicine pilot in phase 2 ---------------
# Invented demo content, labelled « [Démonstration] »; seats are institutions, never people.

DEMO_GENERAL_MEDICINE = "medecine-generale-3e-cycle"
DEMO_GM_TITLE = "Étude Delphi de démonstration — Médecine générale (CNGE)"
# Round 2 of the radiology study: every item converges (7-9 keeps, 1-3 drops).
_ROUND2_CENTRES = (8, 8, 8, 8, 2, 8, 8, 2)
_ROUND2_OFFSETS = (-1, 0, 1, 0, 1, -1, 0, 0)
# The committee's decision per item of the radiology study, by position (after round 2).
_REWORDED = {
    3: (
        "Pseudonymiser un jeu d'examens DICOM (métadonnées et pixels) avant toute réutilisation "
        "pour la recherche ou l'enseignement"
    ),
}
_DEMO_INVENTORIES = {
    DEMO_REFERENTIEL: {
        "existing_teaching": (
            "[Démonstration] Enseignements recensés dans les DES de radiologie : cours "
            "d'informatique médicale au premier semestre, ateliers PACS, séminaire national "
            "d'IA en imagerie (exemple fictif)."
        ),
        "benchmarking": (
            "[Démonstration] Comparaison avec des programmes européens et nord-américains "
            "d'enseignement de l'IA en radiologie (exemple fictif)."
        ),
        "methodology": (
            "[Démonstration] Groupe de travail du collège, puis consensus Delphi en deux tours "
            "auprès d'enseignants, d'internes et de patients partenaires."
        ),
    },
    DEMO_GENERAL_MEDICINE: {
        "existing_teaching": (
            "[Démonstration] Enseignements recensés dans les départements de médecine générale : "
            "télémédecine, messagerie sécurisée, Mon espace santé (exemple fictif)."
        ),
        "benchmarking": (
            "[Démonstration] Comparaison avec des référentiels de médecine de famille européens "
            "(exemple fictif)."
        ),
        "methodology": (
            "[Démonstration] Groupes de pairs dans trois facultés, puis consensus Delphi auprès "
            "de maîtres de stage, d'internes et de patients partenaires."
        ),
    },
}
# Steering committee (9 seats, quorum 3): five rejections with reasons, then, submitted
# again, five approvals and an abstention. The deans' conferences (4 seats) all approve.
_FIRST_VOTE_REJECTIONS = (
    ("cdd", "[Démonstration] Les rangs attendus (A/B) ne sont pas justifiés pour le domaine 2."),
    ("uness", "[Démonstration] Préciser comment la compétence RAD-D1-C02 sera évaluée."),
    ("cdm", "[Démonstration] Les rangs attendus (A/B) ne sont pas justifiés pour le domaine 2."),
    ("cdo", "[Démonstration] Préciser comment la compétence RAD-D1-C02 sera évaluée."),
    ("cdp", "[Démonstration] Les rangs attendus (A/B) ne sont pas justifiés pour le domaine 2."),
)
_SECOND_VOTE = (
    ("cncem", "approve", "[Démonstration] Les réserves du premier vote sont levées."),
    ("cdd", "approve", ""),
    ("uness", "abstain", "[Démonstration] Hors du champ de l'UNESS."),
    ("cdm", "approve", ""),
    ("cdo", "approve", ""),
    ("cdp", "approve", "[Démonstration] Avis favorable."),
)
_DEANS_VOTE = ("cdd", "cdp", "cdo", "cdm")


def _seat_holder(body: str, institution: str):
    from consensus.models import CommitteeSeat

    return CommitteeSeat.objects.get(body=body, institution__slug=institution).holder


def _inventory_ensure(referentiel, user) -> None:
    """The « état des lieux » of a demo pilot, as a draft under it (phase 1's deliverable)."""
    from wiki.models import InventoryPage

    if InventoryPage.objects.child_of(referentiel).exists():
        return
    page = InventoryPage(
        title="État des lieux", slug="etat-des-lieux", **_DEMO_INVENTORIES[referentiel.slug]
    )
    page.live = False
    referentiel.add_child(instance=page)
    page.save_revision(user=user)


def _ballots_submit(delphi_round, panelists, centres, offsets) -> None:
    items = list(delphi_round.round_items.order_by("item__position"))
    for p, panelist in enumerate(panelists):
        answers = {
            ri.pk: Answer(min(9, max(1, centres[i % len(centres)] + offsets[p % len(offsets)])))
            for i, ri in enumerate(items)
        }
        ballot_submit(user=panelist.user, delphi_round=delphi_round, answers=answers)


def _radiology_cycle(referentiel, study: Study, facilitator, member) -> None:
    """Round 2 rated and closed, decisions recorded and applied, the gates passed, the
    committee's vote (rejected with reasons, then approved), the deans' validation: the last
    vote publishes edition 1.0 (consensus.services.publication)."""
    from consensus.models import Body, Decision
    from consensus.services.decisions import decision_record
    from consensus.services.lifecycle import (
        decisions_apply,
        gate_pass,
        lifecycle_resume,
        lifecycle_state,
        vote_cast,
    )

    editor = get_user_model().objects.filter(username="editeur.radiologie").first()
    _inventory_ensure(referentiel, editor)
    second = study.rounds.open().first()
    if second is not None:
        _ballots_submit(
            second, list(study.panelists.order_by("pk")), _ROUND2_CENTRES, _ROUND2_OFFSETS
        )
        round_close(user=facilitator, delphi_round=second)
        study_report_texts_update(
            user=facilitator,
            study=study,
            limitations=(
                "[Démonstration] Panel réduit, un seul collège : les résultats ne se "
                "généralisent pas aux autres spécialités."
            ),
        )
    gate_pass(user=member, referentiel=referentiel)  # phase 2 → 3
    results = {r.item.pk: r for r in selectors.study_results(study).items}
    for item in study.items.order_by("position"):
        if hasattr(item, "decision"):
            continue
        final = results[item.pk].final
        if final.classification == CONSENSUS_DISAGREE:
            choice, rationale = Decision.Choice.DROP, "Consensus pour écarter l'item."
        elif item.position in _REWORDED:
            choice, rationale = Decision.Choice.REWORD, "Consensus, formulation précisée."
        else:
            choice, rationale = Decision.Choice.KEEP, "Consensus pour retenir l'item."
        decision_record(
            user=member,
            item=item,
            decision=choice,
            rationale=f"[Démonstration] {rationale}",
            wording=_REWORDED.get(item.position, ""),
        )
    decisions_apply(user=member, referentiel=referentiel)
    gate_pass(user=member, referentiel=referentiel)  # phase 3: decisions recorded and applied
    steering = Body.STEERING_COMMITTEE
    task_state = lifecycle_state(referentiel).current_task_state
    for institution, reason in _FIRST_VOTE_REJECTIONS:
        vote_cast(
            user=_seat_holder(steering, institution),
            task_state=task_state,
            choice="reject",
            comment=reason,
        )
    lifecycle_resume(user=member, referentiel=referentiel)
    task_state = lifecycle_state(referentiel).current_task_state
    for institution, choice, comment in _SECOND_VOTE:
        vote_cast(
            user=_seat_holder(steering, institution),
            task_state=task_state,
            choice=choice,
            comment=comment,
        )
    task_state = lifecycle_state(referentiel).current_task_state
    for institution in _DEANS_VOTE:
        vote_cast(
            user=_seat_holder(Body.DEANS_CONFERENCES, institution),
            task_state=task_state,
            choice="approve",
            comment="[Démonstration] Validation de la conférence.",
            edition_kind="major",
        )


def _general_medicine_phase_2(referentiel, facilitator, member) -> Study | None:
    """Phase 1's gate passed (référent, état des lieux, domains), a study with round 1 open:
    the four panelists without a login have answered, the demo accounts have not."""
    from consensus.services.lifecycle import gate_pass, lifecycle_state, referent_name

    existing = Study.objects.filter(title=DEMO_GM_TITLE).first()
    if existing is not None:
        return existing
    editor = get_user_model().objects.filter(username="editeur.medecine-generale").first()
    if editor is None or lifecycle_state(referentiel) is None:
        return None
    if not hasattr(referentiel, "referent"):
        referent_name(user=member, referentiel=referentiel, account=editor)
    _inventory_ensure(referentiel, editor)
    if referentiel.phase == 1:
        gate_pass(user=member, referentiel=referentiel)
    study = study_create(
        user=facilitator, title=DEMO_GM_TITLE, referentiel=referentiel, panel=_demo_panel()
    )
    first = round_open(user=facilitator, study=study)
    without_login = [
        p for p in study.panelists.order_by("pk") if p.user.username.startswith("panel.demo.")
    ]
    _ballots_submit(first, without_login, _CENTRES, _OFFSETS)
    return study


@transaction.atomic
def demo_cycle_load() -> dict[str, str]:
    """The radiology pilot through its whole cycle to edition 1.0, the general-medicine pilot
    in phase 2 with an open round (idempotent; after ``demo_study_load`` and
    ``demo_lifecycle_load``). Every step goes through the lifecycle's services, as the
    committee, the facilitator and the seats would through the pages."""
    users = get_user_model().objects
    facilitator = users.filter(username=DEMO_FACILITATOR).first()
    member = users.filter(username=DEMO_COMMITTEE_ACCOUNT).first()
    radiology = ReferentielPage.objects.filter(slug=DEMO_REFERENTIEL).first()
    general = ReferentielPage.objects.filter(slug=DEMO_GENERAL_MEDICINE).first()
    study = Study.objects.filter(title=DEMO_TITLE).first()
    done: dict[str, str] = {}
    if None in (facilitator, member, radiology, general, study):
        return done
    if not radiology.editions.exists():
        _radiology_cycle(radiology, study, facilitator, member)
    done[radiology.slug] = radiology.editions.order_by("major", "minor").first().version
    if _general_medicine_phase_2(general, facilitator, member) is not None:
        general.refresh_from_db()
        done[general.slug] = f"phase {general.phase}"
    return done
