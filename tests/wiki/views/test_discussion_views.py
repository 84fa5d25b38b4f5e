"""Discussion pages: forms, errors that keep what was typed, permissions."""

import pytest
from django.urls import reverse

from tests.factories.accounts import UserFactory
from tests.wiki.history_support import account, radiology_competency, socle_competency
from wiki.models import Message, Thread
from wiki.services.discussions import BODY_MAX_LENGTH, thread_create

pytestmark = pytest.mark.django_db


def test_open_a_thread_reply_and_resolve(client):
    page = socle_competency()
    user = UserFactory()
    client.force_login(user)
    url = reverse("wiki:discussion", args=[page.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, {"title": "Question", "body": "Un **avis** ?"})
    thread = Thread.objects.get(page=page, title="Question")
    assert response.status_code == 302 and response["Location"].endswith(f"#discussion-{thread.pk}")
    first = thread.messages.get()
    client.post(
        reverse("wiki:thread-reply", args=[thread.pk]), {"body": "Réponse", "parent": first.pk}
    )
    assert Message.objects.get(thread=thread, parent=first).body == "Réponse"

    html = client.get(url).content.decode()
    assert "<strong>avis</strong>" in html
    assert 'class="message__replies"' in html

    client.post(reverse("wiki:thread-resolve", args=[thread.pk]), {"action": "resolve"})
    thread.refresh_from_db()
    assert thread.is_resolved
    client.post(reverse("wiki:thread-resolve", args=[thread.pk]), {"action": "reopen"})
    thread.refresh_from_db()
    assert not thread.is_resolved


def test_a_too_long_message_is_refused_and_kept(client):
    page = socle_competency()
    client.force_login(UserFactory())
    body = "mot " * (BODY_MAX_LENGTH // 4) + "fin"
    response = client.post(
        reverse("wiki:discussion", args=[page.pk]), {"title": "Sujet long", "body": body}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "trop long" in html
    assert body in html and 'value="Sujet long"' in html
    assert 'aria-describedby="new-thread-body-help new-thread-body-error"' in html
    assert not Thread.objects.filter(title="Sujet long").exists()


def test_an_empty_reply_is_refused_with_the_error_linked(client):
    thread = thread_create(user=UserFactory(), page=socle_competency(), title="Sujet", body="a")
    parent = thread.messages.get()
    client.force_login(UserFactory())
    response = client.post(
        reverse("wiki:thread-reply", args=[thread.pk]), {"body": "  ", "parent": parent.pk}
    )
    html = response.content.decode()
    assert response.status_code == 400
    field = f"reply-{thread.pk}-{parent.pk}"
    assert f'aria-describedby="{field}-help {field}-error"' in html
    assert f'id="{field}-error"' in html


def test_permissions(client):
    draft = radiology_competency()
    url = reverse("wiki:discussion", args=[draft.pk])
    assert client.get(url).status_code == 302  # login first
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404  # a draft they may not view
    thread = thread_create(
        user=account("editeur.radiologie"), page=socle_competency(), title="S", body="a"
    )
    response = client.post(reverse("wiki:thread-resolve", args=[thread.pk]))
    assert response.status_code == 403
    client.force_login(account("patrouilleur"))
    client.post(reverse("wiki:thread-resolve", args=[thread.pk]))
    thread.refresh_from_db()
    assert thread.is_resolved
