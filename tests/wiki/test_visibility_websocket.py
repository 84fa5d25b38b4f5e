"""The visibility matrix on the live « Modifications récentes » socket: each role, connected
before the page states are built, receives the rows of exactly the changes it may see
(test_visibility_matrix.LEVELS), through the real Redis channel layer."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from tests.factories.accounts import UserFactory
from tests.wiki.history_support import socle_competency
from tests.wiki.test_consumers_recent_changes import connect, run_in_own_loop
from tests.wiki.visibility_support import ROLES, build_world, level

pytestmark = pytest.mark.django_db(transaction=True)


def _world_then_sentinel():
    author = UserFactory(username="auteur.matrice")
    # Rows are rendered when their change commits, with the visibility of that moment: the
    # states (published then restricted, published then unpublished) commit at once.
    with transaction.atomic():
        world, _target = build_world(author)
    # A published edit of a public page: every socket receives it, after all the others.
    page = socle_competency().get_latest_revision_as_object()
    page.statement = "Fin de la matrice"
    revision = page.save_revision(user=author)
    revision.publish(user=author, skip_permission_checks=True)
    return world, revision.wiki_change.pk


async def _received_until(comm, sentinel: int) -> set[int]:
    seen: set[int] = set()
    while True:
        message = await comm.receive_json_from(timeout=20)
        assert message["type"] == "change"
        if message["change_id"] == sentinel:
            return seen
        seen.add(message["change_id"])


@run_in_own_loop
async def test_each_role_receives_the_rows_it_may_see(seeded, redis_url):
    users = get_user_model().objects
    sockets = {}
    for role, username in ROLES.items():
        user = AnonymousUser() if username is None else await users.aget(username=username)
        sockets[role] = await connect(user, "lang=fr")
    world, sentinel = await sync_to_async(_world_then_sentinel)()
    received = dict(
        zip(
            sockets,
            await asyncio.gather(*(_received_until(c, sentinel) for c in sockets.values())),
            strict=True,
        )
    )
    for role, seen in received.items():
        for state, entry in world.items():
            lvl = level(role, state)
            if entry.published_change_id:
                assert (entry.published_change_id in seen) is (lvl != "-"), (role, state)
            if entry.draft_change_id:
                assert (entry.draft_change_id in seen) is (lvl == "D"), (role, state)
    for comm in sockets.values():
        await comm.disconnect()
