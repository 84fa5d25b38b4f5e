"""Idempotent demo study on the radiology pilot référentiel (called by the demo loader)."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from consensus.models import Study
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
