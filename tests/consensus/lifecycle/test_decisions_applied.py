import pytest
from django.urls import reverse

from consensus.exceptions import ConsensusError
from consensus.models import DecisionApplication
from consensus.services import lifecycle
from consensus.services.decisions import decision_record
from consensus.services.rounds import round_open
from tests.consensus.lifecycle.helpers import closed_study, committee, new_referentiel
from tests.factories.consensus import decisions_recorded
from wiki.models import Change, CompetencyPage

pytestmark = pytest.mark.django_db


def _decided(referentiel):
    study = closed_study(referentiel)
    member = committee()
    keep, reword, drop = decisions_recorded(study=study, member=member)
    return study, member, keep, reword, drop


def test_applying_decisions_makes_one_draft_revision_per_changed_page_and_cites_them():
    referentiel = new_referentiel(phase=3, n_competencies=3)
    study, member, keep, reword, drop = _decided(referentiel)
    live = CompetencyPage.objects.get(pk=reword.page_id)
    live.save_revision().publish()  # one of them is published: it must not change
    before = {p.pk: p.latest_revision_id for p in CompetencyPage.objects.descendant_of(referentiel)}

    report = lifecycle.decisions_apply(user=member, referentiel=referentiel)

    assert report.revisions == 2
    after = {p.pk: p for p in CompetencyPage.objects.descendant_of(referentiel)}
    assert after[keep.page_id].latest_revision_id == before[keep.page_id]
    reworded = after[reword.page_id]
    assert reworded.get_latest_revision_as_object().statement == (
        "Interpréter un compte rendu d'IA en imagerie."
    )
    assert reworded.statement == live.statement  # the published version is untouched
    assert reworded.has_unpublished_changes
    assert after[drop.page_id].get_latest_revision_as_object().withdrawn
    assert not after[drop.page_id].withdrawn
    summary = Change.objects.get(revision_id=reworded.latest_revision_id).summary
    assert reword.code in summary and study.title in summary and "Ambigu." in summary


def test_applying_twice_changes_nothing():
    referentiel = new_referentiel(phase=3, n_competencies=3)
    _study, member, *_items = _decided(referentiel)
    lifecycle.decisions_apply(user=member, referentiel=referentiel)
    revisions = {
        p.pk: p.latest_revision_id for p in CompetencyPage.objects.descendant_of(referentiel)
    }
    report = lifecycle.decisions_apply(user=member, referentiel=referentiel)
    assert (report.revisions, report.already) == (0, 3)
    assert revisions == {
        p.pk: p.latest_revision_id for p in CompetencyPage.objects.descendant_of(referentiel)
    }
    assert DecisionApplication.objects.filter(decision__item__study=_study).count() == 3


def test_a_changed_decision_is_applied_again():
    referentiel = new_referentiel(phase=3, n_competencies=3)
    _study, member, keep, _reword, _drop = _decided(referentiel)
    lifecycle.decisions_apply(user=member, referentiel=referentiel)
    decision_record(
        user=member, item=keep, decision="reword", rationale="Revu.", wording="Nouvel énoncé"
    )
    assert lifecycle.decisions_apply(user=member, referentiel=referentiel).revisions == 1


def test_decisions_are_refused_while_a_round_is_open():
    referentiel = new_referentiel(phase=3, n_competencies=1)
    study = closed_study(referentiel)
    round_open(user=study.created_by, study=study)
    with pytest.raises(ConsensusError, match="encore ouvert"):
        decision_record(
            user=committee(), item=study.items.get(), decision="keep", rationale="Trop tôt."
        )
    assert not hasattr(study.items.get(), "decision") or study.items.get().decision is None


def test_a_reword_needs_its_wording():
    referentiel = new_referentiel(phase=3, n_competencies=1)
    study = closed_study(referentiel)
    with pytest.raises(ConsensusError):
        decision_record(
            user=committee(), item=study.items.get(), decision="reword", rationale="Ambigu."
        )


def test_saving_a_decision_returns_to_its_row_and_the_table_says_who_decided(client):
    referentiel = new_referentiel(phase=3, n_competencies=2)
    study = closed_study(referentiel)
    member = committee()
    client.force_login(member)
    item = study.items.order_by("position").first()
    url = reverse("consensus:decisions", args=[study.pk])
    response = client.post(
        url,
        {
            "item": item.pk,
            f"item{item.pk}-decision": "keep",
            f"item{item.pk}-rationale": "Net.",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{item.pk}")
    html = client.get(url).content.decode()
    assert html.count("<table") == 1
    assert f'id="item-{item.pk}"' in html
    assert member.username in html or member.get_full_name() in html
