"""The live preview renders Markdown for editors only: each call costs parsing time."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _client_for(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.mark.parametrize("username", ["editeur.radiologie", "copil", "admin"])
def test_editors_get_the_preview(client, username):
    response = _client_for(client, username).post(reverse("wiki:preview"), {"text": "**gras**"})
    assert response.status_code == 200
    assert "<strong>gras</strong>" in response.content.decode()


@pytest.mark.parametrize("username", ["panel.expert", "animateur.delphi"])
def test_members_who_edit_no_page_are_refused_the_preview(client, username):
    response = _client_for(client, username).post(reverse("wiki:preview"), {"text": "**gras**"})
    assert response.status_code == 403


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.post(reverse("wiki:preview"), {"text": "**gras**"})
    assert response.status_code == 302


def test_a_pathological_preview_answers_within_a_second(client):
    client = _client_for(client, "editeur.radiologie")
    start = time.perf_counter()
    response = client.post(reverse("wiki:preview"), {"text": "[" * 50_000})
    assert time.perf_counter() - start < 1.0
    assert response.status_code == 200
