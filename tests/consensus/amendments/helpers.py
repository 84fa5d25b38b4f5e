"""A published référentiel with edition 1.0 and the actors of an amendment, through the
services (no fixture shortcut)."""

from __future__ import annotations

from dataclasses import dataclass

from wagtail.models import Page

from consensus.models import Amendment, Study
from consensus.services import amendments, lifecycle
from consensus.services.decisions import decision_record
from consensus.services.ratings import Answer, ballot_submit
from consensus.services.rounds import round_close
from tests.consensus.lifecycle.helpers import (
    closed_study,
    college_editor,
    committee,
    new_referentiel,
)
from tests.factories.consensus import facilitator
from wiki.models import CompetencyPage, Edition, ReferentielPage
from wiki.services.editions import edition_publish


@dataclass
class Published:
    referentiel: ReferentielPage
    edition: Edition
    study: Study  # the study behind 1.0: its panel is asked again
    committee: object
    referent: object
    facilitator: object

    def competency(self, index: int = 0) -> CompetencyPage:
        pages = CompetencyPage.objects.descendant_of(self.referentiel).order_by("path")
        return pages[index]


def published_referentiel(n_competencies: int = 3) -> Published:
    """A référentiel whose pages are published as edition 1.0, with a closed study (its
    panel), a named référent, a committee member and a facilitator."""
    referentiel = new_referentiel(phase=4, n_competencies=n_competencies)
    study = closed_study(referentiel)
    for page in Page.objects.descendant_of(referentiel).specific():
        page.save_revision().publish()
    edition = edition_publish(referentiel=referentiel, kind="major")
    member = committee()
    referent = college_editor(referentiel.college)
    lifecycle.referent_name(user=member, referentiel=referentiel, account=referent)
    return Published(referentiel, edition, study, member, referent, facilitator())


def propose(published: Published, user, *, index: int = 0, **overrides) -> Amendment:
    page = published.competency(index)
    values = {
        "title": f"{page.title} (amendé)",
        "statement": "Énoncé amendé : interpréter un résultat d'IA avec son incertitude.",
        "rationale": "Le libellé actuel omet l'incertitude des modèles.",
        "learning_outcomes": "",
    }
    values.update(overrides)
    return amendments.amendment_propose(
        user=user,
        slug=published.referentiel.slug,
        version=published.edition.version,
        code=page.code,
        **values,
    )


def round_run_and_close(published: Published, study: Study, *, score: int = 8) -> None:
    delphi_round = study.rounds.get()
    for panelist in study.panelists.select_related("user"):
        ballot_submit(
            user=panelist.user,
            delphi_round=delphi_round,
            answers={ri.pk: Answer(score) for ri in delphi_round.round_items.all()},
        )
    round_close(user=published.facilitator, delphi_round=delphi_round)


def adopt(published: Published, amendment: Amendment) -> Amendment:
    """Accepted, studied in one round, reworded by the committee and applied."""
    amendments.amendment_decide(user=published.referent, amendment=amendment, accept=True)
    study = amendments.amendment_study_open(user=published.facilitator, amendments=[amendment])
    round_run_and_close(published, study)
    amendment.refresh_from_db()
    decision_record(
        user=published.committee,
        item=amendment.item,
        decision="reword",
        rationale="Consensus pour la nouvelle formulation.",
        wording=amendment.statement,
    )
    lifecycle.decisions_apply(user=published.committee, referentiel=published.referentiel)
    amendment.refresh_from_db()
    return amendment
