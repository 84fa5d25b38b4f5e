import pytest
from django.core.exceptions import PermissionDenied
from wagtail.models import WorkflowState

from consensus.models import Referent
from consensus.services import lifecycle
from consensus.services.decisions import decision_record
from tests.consensus.lifecycle.helpers import (
    closed_study,
    college_editor,
    committee,
    inventory_add,
    new_referentiel,
)
from tests.factories.accounts import UserFactory
from wiki.models import DomainPage, ReferentielPage

pytestmark = pytest.mark.django_db


def _current_task(referentiel):
    return lifecycle.lifecycle_state(referentiel).current_task_state.task.specific


def test_a_new_referentiel_starts_in_phase_1_and_its_phase_is_derived():
    referentiel = new_referentiel()
    state = lifecycle.lifecycle_state(referentiel)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert _current_task(referentiel).phase == 1
    assert (referentiel.phase, referentiel.status) == (1, ReferentielPage.Status.DRAFT)


def test_phase_and_status_are_in_no_editing_form():
    form_class = ReferentielPage.get_edit_handler().get_form_class()
    assert not {"phase", "status"} & set(form_class.base_fields)


def test_phase_1_gate_names_every_missing_condition_with_a_link():
    referentiel = new_referentiel()
    report = lifecycle.gate_report(referentiel, _current_task(referentiel))
    messages = " ".join(m.message for m in report.missing)
    assert "référent" in messages
    assert "état des lieux" in messages
    assert "domaine" in messages
    assert all(m.url.startswith("/") for m in report.missing)
    with pytest.raises(lifecycle.GateBlocked):
        lifecycle.gate_pass(user=committee(), referentiel=referentiel)
    referentiel.refresh_from_db()
    assert referentiel.phase == 1


def test_an_incomplete_inventory_names_the_empty_sections():
    referentiel = new_referentiel()
    inventory_add(referentiel, methodology="")
    report = lifecycle.gate_report(referentiel, _current_task(referentiel))
    assert any("incomplet" in m.message and "méthodologie" in m.message for m in report.missing)


def test_phase_1_gate_passes_once_the_conditions_hold():
    referentiel = new_referentiel()
    member = committee()
    lifecycle.referent_name(
        user=member, referentiel=referentiel, account=college_editor(referentiel.college)
    )
    inventory_add(referentiel)
    domain = DomainPage(title="Domaine", slug="domaine", code="D1")
    referentiel.add_child(instance=domain)
    lifecycle.gate_pass(user=member, referentiel=referentiel)
    referentiel.refresh_from_db()
    assert (referentiel.phase, referentiel.status) == (2, ReferentielPage.Status.CONSENSUS)
    assert _current_task(referentiel).phase == 2


def test_only_the_committee_moves_a_phase():
    referentiel = new_referentiel()
    with pytest.raises(PermissionDenied):
        lifecycle.gate_pass(user=college_editor(referentiel.college), referentiel=referentiel)


def test_the_referent_is_an_account_of_the_college_and_naming_is_audited():
    referentiel = new_referentiel()
    member = committee()
    with pytest.raises(lifecycle.ConsensusError):
        lifecycle.referent_name(user=member, referentiel=referentiel, account=UserFactory())
    editor = college_editor(referentiel.college)
    lifecycle.referent_name(user=member, referentiel=referentiel, account=editor)
    lifecycle.referent_remove(user=member, referentiel=referentiel)
    history = Referent.history.filter(referentiel_id=referentiel.pk).order_by("history_date")
    assert [(h.history_type, h.history_user) for h in history] == [("+", member), ("-", member)]


def test_a_gate_cannot_be_approved_through_wagtail_itself():
    referentiel = new_referentiel()
    task_state = lifecycle.lifecycle_state(referentiel).current_task_state.specific
    admin = UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(PermissionDenied):
        task_state.approve(user=admin)
    with pytest.raises(PermissionDenied):
        task_state.reject(user=admin)
    referentiel.refresh_from_db()
    assert referentiel.phase == 1


def test_publishing_an_old_revision_keeps_the_derived_phase():
    referentiel = new_referentiel(phase=2)
    old = referentiel.get_latest_revision()
    assert old.content["phase"] == 2
    ReferentielPage.objects.filter(pk=referentiel.pk).update(phase=3)  # as the lifecycle would
    assert ReferentielPage.objects.get(pk=referentiel.pk).with_content_json(old.content).phase == 3


def test_publishing_the_referentiel_during_a_vote_keeps_the_vote():
    referentiel = new_referentiel(phase=4)
    task_state = lifecycle.lifecycle_state(referentiel).current_task_state
    referentiel.save_revision().publish()
    assert lifecycle.lifecycle_state(referentiel).current_task_state == task_state


def test_cancelling_the_lifecycle_in_wagtail_restarts_the_same_phase():
    referentiel = new_referentiel(phase=2)
    lifecycle.lifecycle_state(referentiel).cancel(user=UserFactory(is_superuser=True))
    referentiel.refresh_from_db()
    assert referentiel.phase == 2
    assert _current_task(referentiel).phase == 2


def test_phase_2_gate_wants_a_classified_study_and_evaluation_methods():
    referentiel = new_referentiel(phase=2, n_competencies=2, methods=False)
    report = lifecycle.gate_report(referentiel, _current_task(referentiel))
    messages = [m.message for m in report.missing]
    assert any("Delphi" in m for m in messages)
    assert sum("méthode d’évaluation" in m or "méthode d'évaluation" in m for m in messages) == 2
    closed_study(referentiel)
    report = lifecycle.gate_report(referentiel, _current_task(referentiel))
    assert not any("Delphi" in m.message for m in report.missing)


def test_phase_3_gate_wants_every_decision_recorded_and_applied():
    referentiel = new_referentiel(phase=3, n_competencies=2)
    study = closed_study(referentiel)
    task = _current_task(referentiel)
    report = lifecycle.gate_report(referentiel, task)
    assert sum("aucune décision" in m.message for m in report.missing) == 2
    member = committee()
    for item in study.items.all():
        decision_record(user=member, item=item, decision="keep", rationale="Consensus.")
    report = lifecycle.gate_report(referentiel, task)
    assert sum("pas appliquée" in m.message for m in report.missing) == 2
    lifecycle.decisions_apply(user=member, referentiel=referentiel)
    assert lifecycle.gate_report(referentiel, task).passes
    lifecycle.gate_pass(user=member, referentiel=referentiel)
    assert _current_task(referentiel).body == "steering_committee"
