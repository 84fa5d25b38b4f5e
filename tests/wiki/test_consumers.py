"""A round trip through the Redis channel layer: one editor sees another open the same page."""

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import get_user_model

from config.asgi import application
from wiki.models import ReferentielPage

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def communicator(page_id: int, user) -> WebsocketCommunicator:
    comm = WebsocketCommunicator(
        application, f"/ws/pages/{page_id}/editors/", headers=[(b"origin", b"http://localhost")]
    )
    comm.scope["user"] = user
    return comm


async def test_presence_goes_through_redis(seeded, redis_url):
    from asgiref.sync import sync_to_async

    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    users = get_user_model().objects
    page = await ReferentielPage.objects.aget(slug="radiologie-3e-cycle")
    first = await users.aget(username="editeur.radiologie")
    second = await sync_to_async(_second_radiology_editor)(first)

    alice, bob = communicator(page.pk, first), communicator(page.pk, second)
    assert (await alice.connect())[0]
    assert (await bob.connect())[0]
    joined = await alice.receive_json_from(timeout=5)
    assert joined == {"type": "presence", "event": "joined", "name": second.get_full_name()}
    await bob.disconnect()
    left = await alice.receive_json_from(timeout=5)
    assert left["event"] == "left"
    await alice.disconnect()


async def test_anonymous_and_other_colleges_are_refused(seeded, redis_url):
    from django.contrib.auth.models import AnonymousUser

    page = await ReferentielPage.objects.aget(slug="radiologie-3e-cycle")
    other = await get_user_model().objects.aget(username="editeur.medecine-generale")
    for user in (AnonymousUser(), other):
        connected, _code = await communicator(page.pk, user).connect()
        assert not connected


def _second_radiology_editor(first):
    second = get_user_model().objects.create_user(
        "editeur2.radiologie", first_name="Second éditeur", last_name="CERF"
    )
    second.groups.set(first.groups.all())
    return second
