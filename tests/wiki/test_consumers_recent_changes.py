"""« Modifications récentes » live, through the Redis channel layer: each viewer receives the
rendered row of a saved change only when they may see it and it matches their filters."""

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from config.asgi import application
from wiki.models import CompetencyPage, Institution

pytestmark = pytest.mark.django_db(transaction=True)


def run_in_own_loop(coroutine_function):
    """Run the test body on a fresh event loop in its own thread: in a whole-suite run the
    browser tests' Playwright loop may already be running in the main thread."""

    @functools.wraps(coroutine_function)  # pytest reads the fixtures from the wrapped body
    def test(*args, **kwargs):
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, coroutine_function(*args, **kwargs)).result()

    return test


async def connect(user, query: str = "") -> WebsocketCommunicator:
    comm = WebsocketCommunicator(
        application, f"/ws/recent-changes/?{query}", headers=[(b"origin", b"http://localhost")]
    )
    comm.scope["user"] = user
    connected, _code = await comm.connect()
    assert connected
    return comm


def _edit(code: str, username: str, statement: str, publish: bool = False) -> int:
    user = get_user_model().objects.get(username=username)
    page = CompetencyPage.objects.get(code=code).get_latest_revision_as_object()
    page.statement = statement
    revision = page.save_revision(user=user)
    if publish:
        revision.publish(user=user)
    return revision.wiki_change.pk


def _publish_latest(code: str) -> None:
    CompetencyPage.objects.get(code=code).get_latest_revision().publish()


edit = sync_to_async(_edit)
publish_latest = sync_to_async(_publish_latest)


async def next_change(comm) -> dict:
    message = await comm.receive_json_from(timeout=5)
    assert message["type"] == "change"
    return message


@run_in_own_loop
async def test_rows_arrive_live_with_visibility_and_filters(seeded, redis_url):
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    users = get_user_model().objects
    patroller = await users.aget(username="patrouilleur")
    cnge = await Institution.objects.aget(acronym="CNGE")

    watcher = await connect(patroller, "lang=fr")
    public = await connect(AnonymousUser())
    cnge_only = await connect(patroller, f"college={cnge.pk}&unpatrolled=on")

    rad_change = await edit("RAD-D1-C01", "editeur.radiologie", "Modification en direct")
    message = await next_change(watcher)
    assert message["change_id"] == rad_change
    html = message["html"]
    assert html.startswith(f'<tr id="change-{rad_change}"')
    assert "non patrouillée" in html and "Marquer comme patrouillée" in html
    assert "Modification en direct" not in html  # a row, not the text
    # Negatives without waiting: each group delivers in order, so the next row a consumer
    # receives being a later change proves the earlier ones never reached it.
    mg_change = await edit("MG-D1-C01", "editeur.medecine-generale", "Autre collège")
    assert (await next_change(watcher))["change_id"] == mg_change
    # rad_change (another college) did not reach cnge_only: mg_change is its first row.
    assert (await next_change(cnge_only))["change_id"] == mg_change

    socle_draft = await edit("SOCLE-D1-C01", "copil", "Brouillon du socle")
    assert (await next_change(watcher))["change_id"] == socle_draft
    # A draft on a live page is not for the public; once published, it is announced to them.
    await publish_latest("SOCLE-D1-C01")
    # The drafts rad_change and mg_change never reached the public: this is its first row.
    assert (await next_change(public))["change_id"] == socle_draft

    socle_change = await edit("SOCLE-D1-C01", "copil", "Socle en direct", publish=True)
    assert (await next_change(watcher))["change_id"] == socle_change
    public_row = (await next_change(public))["html"]
    assert "Marquer comme patrouillée" not in public_row
    # socle_change (no college, patrolled) does not reach cnge_only: its next row is this one.
    sentinel = await edit("MG-D1-C01", "editeur.medecine-generale", "Témoin")
    assert (await next_change(cnge_only))["change_id"] == sentinel

    for comm in (watcher, public, cnge_only):
        await comm.disconnect()


@run_in_own_loop
async def test_rows_are_rendered_in_the_viewers_language(seeded, redis_url):
    patroller = await get_user_model().objects.aget(username="patrouilleur")
    english = await connect(patroller, "lang=en")
    await edit("RAD-D1-C02", "editeur.radiologie", "In English")
    html = (await next_change(english))["html"]
    assert "Mark as patrolled" in html and "unpatrolled" in html
    await english.send_json_to({"type": "nonsense"})
    assert (await english.receive_json_from(timeout=5))["type"] == "error"
    await english.disconnect()
