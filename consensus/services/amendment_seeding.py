"""Demo: one amendment of the radiology pilot's edition 1.0 taken through to edition 1.1.

Called by ``manage.py load_demo_study`` after ``demo_lifecycle_load``. It acts only when the
pilot has an edition 1.0 and no later one (the demo takes the pilot to 1.0 first); otherwise it
does nothing and says so. Idempotent: a second run finds its amendment. The content is invented
and labelled « [Démonstration] »."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from consensus.models import Amendment
from consensus.services import amendments, lifecycle
from consensus.services.decisions import decision_record
from consensus.services.ratings import Answer, ballot_submit
from consensus.services.rounds import round_close
from consensus.services.seeding import DEMO_COMMITTEE_ACCOUNT, DEMO_FACILITATOR, DEMO_REFERENTIEL
from wiki.models import Edition, ReferentielPage
from wiki.services.editions import edition_latest, edition_snapshot

DEMO_PROPOSER = "panel.enseignant"
DEMO_RATIONALE = (
    "[Démonstration] Les internes interprètent désormais des résultats d’outils d’IA au "
    "quotidien : l’énoncé doit nommer la vérification de leur incertitude et de leurs limites."
)
DEMO_STATEMENT_SUFFIX = (
    " [Démonstration — amendement] Il vérifie l’incertitude et les limites annoncées de tout "
    "résultat produit par un outil d’IA avant de l’intégrer à son compte rendu."
)


@transaction.atomic
def demo_amendment_load() -> str:
    """Run the demo amendment to edition 1.1 if the radiology pilot has an edition 1.0; say
    what was done (or why nothing was)."""
    referentiel = ReferentielPage.objects.filter(slug=DEMO_REFERENTIEL).first()
    first = (
        Edition.objects.filter(referentiel=referentiel, major=1, minor=0).first()
        if referentiel is not None
        else None
    )
    if first is None:
        return "Demo amendment: the radiology pilot has no edition 1.0 yet; nothing done."
    done = Amendment.objects.filter(edition=first, rationale=DEMO_RATIONALE).first()
    if done is not None:
        return f"Demo amendment: already loaded (#{done.pk}, {done.get_status_display()})."
    latest = edition_latest(referentiel)
    if latest is None or latest.pk != first.pk:
        return (
            f"Demo amendment: the radiology pilot is already at edition {latest.version}; "
            "nothing done."
        )
    users = get_user_model().objects
    proposer = users.filter(username=DEMO_PROPOSER).first()
    facilitator = users.filter(username=DEMO_FACILITATOR).first()
    member = users.filter(username=DEMO_COMMITTEE_ACCOUNT).first()
    if proposer is None or facilitator is None or member is None:
        return "Demo amendment: the demo accounts are missing; nothing done."
    competency = edition_snapshot(first).competencies[0]
    amendment = amendments.amendment_propose(
        user=proposer,
        slug=referentiel.slug,
        version=first.version,
        code=competency.code,
        title=competency.title,
        statement=competency.statement.rstrip() + DEMO_STATEMENT_SUFFIX,
        rationale=DEMO_RATIONALE,
    )
    referent = getattr(referentiel, "referent", None)
    decider = referent.user if referent is not None else member
    amendments.amendment_decide(
        user=decider,
        amendment=amendment,
        accept=True,
        reasons="[Démonstration] Proposition recevable : à soumettre au panel.",
    )
    study = amendments.amendment_study_open(user=facilitator, amendments=[amendment])
    delphi_round = study.rounds.get()
    for index, panelist in enumerate(study.panelists.select_related("user").order_by("pk")):
        ballot_submit(
            user=panelist.user,
            delphi_round=delphi_round,
            answers={ri.pk: Answer(8 if index % 3 else 9) for ri in delphi_round.round_items.all()},
        )
    round_close(user=facilitator, delphi_round=delphi_round)
    amendment.refresh_from_db()
    decision_record(
        user=member,
        item=amendment.item,
        decision="reword",
        rationale="[Démonstration] Consensus du panel pour la nouvelle formulation.",
        wording=amendment.statement,
    )
    lifecycle.decisions_apply(user=member, referentiel=referentiel)
    edition = amendments.amendment_edition_publish(user=member, referentiel=referentiel)
    return f"Demo amendment #{amendment.pk} on {competency.code}: edition {edition.version}."
