"""Amendments: from a proposal on edition 1.0 to the minor edition 1.1, and every refusal."""

import pytest
from django.contrib.auth.models import AnonymousUser

from consensus.models import Amendment, Study
from consensus.services import amendments, lifecycle
from consensus.services.amendments import AmendmentRefused
from consensus.services.decisions import decision_record
from tests.consensus.amendments.helpers import (
    adopt,
    propose,
    published_referentiel,
    round_run_and_close,
)
from tests.factories.accounts import UserFactory
from wiki.edition_diff import editions_diff
from wiki.models import Change, Edition
from wiki.services.editions import edition_publish, edition_snapshot

pytestmark = pytest.mark.django_db


def test_an_adopted_amendment_ends_in_the_minor_edition_1_1_naming_it():
    published = published_referentiel()
    proposer = UserFactory()
    page = published.competency(1)
    amendment = propose(
        published,
        proposer,
        index=1,
        learning_outcomes="Expliquer l'incertitude\nDocumenter la vérification",
    )
    assert (amendment.status, amendment.current_title) == ("proposed", page.title)

    amendment = adopt(published, amendment)
    assert amendment.status == Amendment.Status.ADOPTED
    study = amendment.study
    assert (study.rounds.count(), study.max_rounds, study.items.get().code) == (1, 1, page.code)
    assert study.items.get().current_version().text == amendment.title
    assert set(study.panelists.values_list("user", flat=True)) == set(
        published.study.panelists.values_list("user", flat=True)
    )
    revision = amendment.item.decision.application.revision
    summary = Change.objects.get(revision=revision).summary
    assert f"Amendement n° {amendment.pk} à l’édition 1.0" in summary
    assert not Edition.objects.filter(referentiel=published.referentiel, minor=1).exists()

    edition = amendments.amendment_edition_publish(
        user=published.committee, referentiel=published.referentiel
    )

    assert (edition.version, edition.kind) == ("1.1", "minor")
    amendment.refresh_from_db()
    assert (amendment.status, amendment.published_edition) == ("published", edition)
    competency = {c.code: c for c in edition_snapshot(edition).competencies}[page.code]
    assert competency.title == amendment.title
    assert competency.statement == amendment.statement
    assert competency.learning_outcomes == (
        "Expliquer l'incertitude",
        "Documenter la vérification",
    )
    diff = editions_diff(edition_snapshot(published.edition), edition_snapshot(edition))
    assert [r.new.competency.code for r in diff.reworded] == [page.code]
    assert not diff.added and not diff.removed
    provenance = edition.provenance
    assert provenance["source"] == "amendment"
    assert [(a["id"], a["item"], a["edition"]) for a in provenance["amendments"]] == [
        (amendment.pk, page.code, "1.0")
    ]
    assert [(d["item"], d["choice"]) for d in provenance["decisions"]] == [(page.code, "reword")]
    assert proposer.username not in str(provenance)  # the journal is public: no person
    assert "1.0" in edition.changelog and page.code in edition.changelog
    # 1.0 did not change.
    assert {c.code: c for c in edition_snapshot(published.edition).competencies}[
        page.code
    ].statement == page.statement


def test_a_study_that_keeps_the_wording_rejects_the_amendment_and_publishes_nothing():
    published = published_referentiel()
    amendment = propose(published, UserFactory())
    amendments.amendment_decide(user=published.committee, amendment=amendment, accept=True)
    study = amendments.amendment_study_open(user=published.facilitator, amendments=[amendment])
    round_run_and_close(published, study, score=2)
    amendment.refresh_from_db()
    decision_record(
        user=published.committee, item=amendment.item, decision="keep", rationale="Pas d'accord."
    )
    lifecycle.decisions_apply(user=published.committee, referentiel=published.referentiel)

    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.REJECTED
    with pytest.raises(AmendmentRefused, match="Aucun amendement adopté"):
        amendments.amendment_edition_publish(
            user=published.committee, referentiel=published.referentiel
        )
    assert published.referentiel.editions.count() == 1


def test_a_studied_amendment_cannot_be_withdrawn_by_a_drop_decision():
    published = published_referentiel()
    amendment = propose(published, UserFactory())
    amendments.amendment_decide(user=published.referent, amendment=amendment, accept=True)
    study = amendments.amendment_study_open(user=published.facilitator, amendments=[amendment])
    round_run_and_close(published, study)
    amendment.refresh_from_db()
    with pytest.raises(Exception, match="révision majeure"):
        decision_record(
            user=published.committee, item=amendment.item, decision="drop", rationale="Non."
        )


def test_the_steering_committee_seat_holder_and_the_referent_decide_others_do_not():
    from consensus.models import Body
    from tests.consensus.lifecycle.helpers import seats

    published = published_referentiel()
    seat_holder = seats(Body.STEERING_COMMITTEE, ["cncem"])[0].holder
    deans_holder = seats(Body.DEANS_CONFERENCES, ["cdd"])[0].holder
    first, second, third = (propose(published, UserFactory(), index=i) for i in range(3))

    for user in (UserFactory(), deans_holder, published.facilitator, AnonymousUser()):
        with pytest.raises(AmendmentRefused, match="Seuls le référent"):
            amendments.amendment_decide(user=user, amendment=first, accept=True)
    first.refresh_from_db()
    assert first.status == "proposed" and first.decided_by is None

    amendments.amendment_decide(user=seat_holder, amendment=first, accept=True)
    amendments.amendment_decide(
        user=published.referent, amendment=second, accept=False, reasons="Hors sujet."
    )
    amendments.amendment_decide(user=published.committee, amendment=third, accept=True)
    assert [a.status for a in Amendment.objects.order_by("pk")] == [
        "accepted",
        "refused",
        "accepted",
    ]
    refused = Amendment.objects.get(pk=second.pk)
    assert (refused.decided_by, refused.decision_reasons) == (published.referent, "Hors sujet.")
    history = refused.history.first()
    assert (history.history_user, history.status) == (published.referent, "refused")


def test_deciding_twice_is_refused_and_keeps_the_first_decision():
    published = published_referentiel()
    amendment = propose(published, UserFactory())
    amendments.amendment_decide(user=published.referent, amendment=amendment, accept=True)
    with pytest.raises(AmendmentRefused, match="déjà été tranché"):
        amendments.amendment_decide(
            user=published.committee, amendment=amendment, accept=False, reasons="Non."
        )
    amendment.refresh_from_db()
    assert (amendment.status, amendment.decided_by) == ("accepted", published.referent)


def test_a_refusal_needs_reasons():
    published = published_referentiel()
    amendment = propose(published, UserFactory())
    with pytest.raises(AmendmentRefused, match="Les motifs"):
        amendments.amendment_decide(
            user=published.referent, amendment=amendment, accept=False, reasons="  "
        )
    amendment.refresh_from_db()
    assert amendment.status == "proposed"


@pytest.mark.parametrize(
    ("slug", "version", "code", "message"),
    [
        (None, "9.9", None, "L’édition 9.9 de « referentiel-test-\\d+ » n’existe pas.*1.0"),
        ("inexistant", "1.0", None, "L’édition 1.0 de « inexistant » n’existe pas"),
        (None, "1.x", None, "n’existe pas"),
        (None, "1.0", "ZZ-99", "La compétence ZZ-99 ne figure pas dans l’édition 1.0"),
    ],
)
def test_an_amendment_to_a_missing_edition_or_code_is_refused_and_stores_nothing(
    slug, version, code, message
):
    published = published_referentiel()
    with pytest.raises(AmendmentRefused, match=message):
        amendments.amendment_propose(
            user=UserFactory(),
            slug=slug or published.referentiel.slug,
            version=version,
            code=code or published.competency().code,
            title="Nouveau titre",
            statement="Nouvel énoncé",
            rationale="Parce que.",
        )
    assert not Amendment.objects.exists()


def test_an_anonymous_visitor_cannot_propose():
    published = published_referentiel()
    with pytest.raises(AmendmentRefused, match="Connectez-vous"):
        propose(published, AnonymousUser())
    assert not Amendment.objects.exists()


def test_an_amendment_to_an_edition_that_is_not_the_latest_names_the_latest():
    published = published_referentiel()
    edition_publish(referentiel=published.referentiel, kind="minor")
    with pytest.raises(AmendmentRefused, match="n’est pas la dernière.*l’édition 1.1"):
        propose(published, UserFactory())
    assert not Amendment.objects.exists()


def test_an_amendment_to_a_referentiel_the_reader_may_not_see_is_as_if_missing():
    published = published_referentiel()
    published.referentiel.unpublish()
    with pytest.raises(AmendmentRefused, match="n’existe pas"):
        propose(published, UserFactory())
    assert not Amendment.objects.exists()


def test_an_empty_or_unchanged_proposal_is_refused():
    published = published_referentiel()
    page = published.competency()
    with pytest.raises(AmendmentRefused, match="ne peut pas être vide"):
        propose(published, UserFactory(), statement="   ")
    with pytest.raises(AmendmentRefused, match="rien à amender"):
        propose(published, UserFactory(), title=page.title, statement=page.statement)
    assert not Amendment.objects.exists()


def test_one_open_amendment_per_proposer_edition_and_code():
    published = published_referentiel()
    proposer = UserFactory()
    first = propose(published, proposer)
    with pytest.raises(AmendmentRefused, match="déjà un amendement en cours"):
        propose(published, proposer, statement="Une autre formulation.")
    propose(published, UserFactory())  # someone else may
    amendments.amendment_decide(
        user=published.referent, amendment=first, accept=False, reasons="Non."
    )
    propose(published, proposer, statement="Une autre formulation.")  # the first is closed
    assert Amendment.objects.count() == 3


def test_the_short_cycle_needs_a_facilitator_accepted_amendments_and_a_panel():
    from django.core.exceptions import PermissionDenied

    published = published_referentiel()
    amendment = propose(published, UserFactory())
    with pytest.raises(AmendmentRefused, match="n’attend pas son étude"):
        amendments.amendment_study_open(user=published.facilitator, amendments=[amendment])
    amendments.amendment_decide(user=published.referent, amendment=amendment, accept=True)
    with pytest.raises(PermissionDenied):
        amendments.amendment_study_open(user=published.referent, amendments=[amendment])
    studies = Study.objects.count()
    with pytest.raises(AmendmentRefused, match="Aucun panel"):
        amendments.amendment_study_open(
            user=published.facilitator, amendments=[amendment], panel=[]
        )
    assert Study.objects.count() == studies
    amendment.refresh_from_db()
    assert amendment.status == "accepted"


def test_publishing_is_the_committees_and_needs_the_decision_still_applied():
    from django.core.exceptions import PermissionDenied

    published = published_referentiel()
    amendment = adopt(published, propose(published, UserFactory()))
    with pytest.raises(PermissionDenied):
        amendments.amendment_edition_publish(
            user=published.referent, referentiel=published.referentiel
        )
    decision_record(
        user=published.committee,
        item=amendment.item,
        decision="reword",
        rationale="Autre formulation.",
        wording="Une formulation retouchée par le comité.",
    )
    with pytest.raises(AmendmentRefused, match="appliquez à nouveau"):
        amendments.amendment_edition_publish(
            user=published.committee, referentiel=published.referentiel
        )
    assert published.referentiel.editions.count() == 1
    lifecycle.decisions_apply(user=published.committee, referentiel=published.referentiel)
    edition = amendments.amendment_edition_publish(
        user=published.committee, referentiel=published.referentiel
    )
    statement = {c.code: c for c in edition_snapshot(edition).competencies}[amendment.code]
    assert statement.statement == "Une formulation retouchée par le comité."


def test_a_newer_draft_of_the_page_stays_a_draft_when_the_minor_edition_is_published():
    published = published_referentiel()
    amendment = adopt(published, propose(published, UserFactory()))
    page = published.competency()
    draft = page.get_latest_revision_as_object()
    draft.statement = "Brouillon d'un éditeur, non validé."
    draft.save_revision()

    edition = amendments.amendment_edition_publish(
        user=published.committee, referentiel=published.referentiel
    )
    competency = {c.code: c for c in edition_snapshot(edition).competencies}[page.code]
    assert competency.statement == amendment.statement
    page.refresh_from_db()
    assert page.has_unpublished_changes
