"""Discussions: threads, nested replies, resolve and reopen, who may do what."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories.accounts import UserFactory
from tests.wiki.history_support import account, radiology_competency, socle_competency
from wiki.selectors import page_threads
from wiki.services.discussions import (
    BODY_MAX_LENGTH,
    message_post,
    thread_create,
    thread_reopen,
    thread_resolve,
)

pytestmark = pytest.mark.django_db


def test_a_member_opens_a_thread_and_replies_nest():
    page = socle_competency()
    member, other = UserFactory(), UserFactory()
    thread = thread_create(user=member, page=page, title="  Une   question ", body="Pourquoi ?")
    first = thread.messages.get()
    reply = message_post(user=other, thread=thread, body="Parce que.", parent=first)
    message_post(user=member, thread=thread, body="Merci.", parent=reply)
    message_post(user=other, thread=thread, body="Autre point.")

    assert thread.title == "Une question"
    [loaded] = [t for t in page_threads(page) if t.pk == thread.pk]
    (root, children), (second_root, no_children) = loaded.message_tree
    assert root == first and second_root.body == "Autre point." and no_children == []
    [(child, grandchildren)] = children
    assert child == reply and grandchildren[0][0].body == "Merci."


def test_bodies_are_required_and_limited_with_a_clear_message():
    page = socle_competency()
    member = UserFactory()
    with pytest.raises(ValidationError) as error:
        thread_create(user=member, page=page, title="", body="   ")
    assert set(error.value.message_dict) == {"title", "body"}
    thread = thread_create(user=member, page=page, title="Sujet", body="x")
    message_post(user=member, thread=thread, body="x" * BODY_MAX_LENGTH)
    with pytest.raises(ValidationError) as error:
        message_post(user=member, thread=thread, body="x" * (BODY_MAX_LENGTH + 1))
    assert "20001" in error.value.message_dict["body"][0].replace("\u202f", "").replace(" ", "")


def test_anonymous_users_and_outsiders_of_a_draft_cannot_post():
    with pytest.raises(PermissionDenied):
        thread_create(user=AnonymousUser(), page=socle_competency(), title="x", body="y")
    with pytest.raises(PermissionDenied):
        thread_create(user=UserFactory(), page=radiology_competency(), title="x", body="y")
    thread = thread_create(
        user=account("editeur.radiologie"), page=radiology_competency(), title="x", body="y"
    )
    with pytest.raises(PermissionDenied):
        message_post(user=UserFactory(), thread=thread, body="z")


def test_a_reply_must_answer_a_message_of_the_same_thread():
    page = socle_competency()
    member = UserFactory()
    one = thread_create(user=member, page=page, title="Un", body="a")
    two = thread_create(user=member, page=page, title="Deux", body="b")
    with pytest.raises(ValidationError):
        message_post(user=member, thread=two, body="c", parent=one.messages.get())


@pytest.mark.parametrize("resolver", ["author", "patrouilleur", "copil"])
def test_author_patrollers_and_committee_resolve_and_reopen(resolver):
    author = UserFactory()
    thread = thread_create(user=author, page=socle_competency(), title="Sujet", body="a")
    user = author if resolver == "author" else account(resolver)

    thread = thread_resolve(user=user, thread=thread)
    assert thread.is_resolved and thread.resolved_by == user
    with pytest.raises(ValidationError):
        message_post(user=author, thread=thread, body="encore")
    thread = thread_reopen(user=user, thread=thread)
    assert not thread.is_resolved and thread.resolved_by is None


def test_page_editors_may_resolve_other_members_may_not():
    page = radiology_competency()
    thread = thread_create(user=account("patrouilleur"), page=page, title="Sujet", body="a")
    with pytest.raises(PermissionDenied):
        thread_resolve(user=UserFactory(), thread=thread)
    with pytest.raises(PermissionDenied):
        thread_resolve(user=account("editeur.medecine-generale"), thread=thread)
    assert thread_resolve(user=account("editeur.radiologie"), thread=thread).is_resolved
