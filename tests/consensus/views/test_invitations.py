"""Invitations and reminders by e-mail with a personal, expiring, single-use sign-in link."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from consensus.models import SignInLink
from consensus.services.ratings import Answer, ballot_submit
from consensus.services.rounds import round_open
from tests.factories.consensus import study_with_panel

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/consensus/connexion/[^/\s]+/)")


def _link(message) -> str:
    return LINK.search(message.body).group(1)


def _invite(client, django_capture_on_commit_callbacks, study):
    client.force_login(study.created_by)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("consensus:invitations-send", args=[study.pk]))
    assert response.status_code == 302
    return list(mail.outbox)


def test_invitations_go_one_per_panelist_with_a_personal_link(
    client, django_capture_on_commit_callbacks
):
    study = study_with_panel(n_items=1, n_panelists=3)
    sent = _invite(client, django_capture_on_commit_callbacks, study)
    emails = sorted(p.user.email for p in study.panelists.all())
    assert sorted(m.to[0] for m in sent) == emails
    names = [p.user.get_full_name() for p in study.panelists.all()]
    for message in sent:
        assert len(message.to) == 1 and message.cc == [] and message.bcc == []
        others = [e for e in emails if e != message.to[0]]
        own = study.panelists.get(user__email=message.to[0]).user.get_full_name()
        assert not any(e in message.body for e in others)
        assert not any(n in message.body for n in names if n != own)
        assert study.title in message.subject and "mot de passe" in message.body
    assert len({_link(m) for m in sent}) == 3
    # Sent once: a second click invites nobody again.
    mail.outbox.clear()
    _invite(client, django_capture_on_commit_callbacks, study)
    assert mail.outbox == []


def test_a_sign_in_link_logs_in_once(client, django_capture_on_commit_callbacks):
    study = study_with_panel(n_items=1, n_panelists=1)
    delphi_round = round_open(user=study.created_by, study=study)
    message = _invite(client, django_capture_on_commit_callbacks, study)[0]
    client.logout()
    url = _link(message)
    # Opening the link (or a mail scanner fetching it) does not spend it.
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("consensus:ballot", args=[delphi_round.pk])
    panelist_user = study.panelists.get().user
    assert int(client.session["_auth_user_id"]) == panelist_user.pk
    client.logout()
    again = client.post(url)
    assert again.status_code == 410 and "déjà servi" in again.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_expired_link_is_refused(client, django_capture_on_commit_callbacks):
    study = study_with_panel(n_items=1, n_panelists=1)
    message = _invite(client, django_capture_on_commit_callbacks, study)[0]
    client.logout()
    SignInLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(_link(message))
    assert response.status_code == 410 and "expiré" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_tampered_link_is_refused(client, django_capture_on_commit_callbacks):
    study = study_with_panel(n_items=1, n_panelists=1)
    url = _link(_invite(client, django_capture_on_commit_callbacks, study)[0])
    client.logout()
    token = url.rstrip("/").rsplit("/", 1)[1]
    tampered = url.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B"))
    response = client.post(tampered)
    assert response.status_code == 410 and "pas valide" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The database keeps only a hash: the token itself is nowhere in it.
    assert not SignInLink.objects.filter(token_hash__contains=token).exists()


def test_a_staff_account_gets_no_sign_in_link(client, django_capture_on_commit_callbacks):
    study = study_with_panel(n_items=1, n_panelists=1)
    user = study.panelists.get().user
    user.is_staff = True
    user.save()
    assert _invite(client, django_capture_on_commit_callbacks, study) == []


def test_reminders_go_only_to_who_has_not_submitted_in_one_click(
    client, django_capture_on_commit_callbacks
):
    study = study_with_panel(n_items=1, n_panelists=3)
    delphi_round = round_open(user=study.created_by, study=study)
    done = study.panelists.order_by("pk").first()
    ballot_submit(
        user=done.user,
        delphi_round=delphi_round,
        answers={delphi_round.round_items.get().pk: Answer(7)},
    )
    client.force_login(study.created_by)
    detail = client.get(reverse("consensus:study-detail", args=[study.pk])).content.decode()
    assert "Relancer les 2 panélistes qui n’ont pas soumis" in detail
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("consensus:reminders-send", args=[delphi_round.pk]))
    pending = sorted(p.user.email for p in study.panelists.exclude(pk=done.pk))
    assert sorted(m.to[0] for m in mail.outbox) == pending
    for message in mail.outbox:
        assert len(message.to) == 1 and not message.cc and not message.bcc
        assert done.user.email not in message.body
        assert done.user.get_full_name() not in message.body
        assert "tour 1" in message.subject
        assert _link(message)


def test_only_facilitators_send_invitations_and_reminders(client):
    study = study_with_panel(n_items=1, n_panelists=1)
    delphi_round = round_open(user=study.created_by, study=study)
    client.force_login(study.panelists.get().user)
    assert client.post(reverse("consensus:invitations-send", args=[study.pk])).status_code == 403
    assert (
        client.post(reverse("consensus:reminders-send", args=[delphi_round.pk])).status_code == 403
    )
    assert mail.outbox == []
