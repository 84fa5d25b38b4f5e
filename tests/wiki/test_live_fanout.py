"""« Modifications récentes » fans out per audience class: a saved change is rendered once for
all the sockets that would receive the same row, whatever their number, and the visibility rule
still holds for each class (through the real Redis channel layer)."""

import threading

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test.signals import template_rendered

from tests.wiki.test_consumers_recent_changes import connect, edit, next_change, run_in_own_loop
from wiki.broadcast import ROW_TEMPLATE, LiveClasses

pytestmark = pytest.mark.django_db(transaction=True)


class RowRenders:
    """Counts the renders of the row template in every thread (consumers render in threads)."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def __call__(self, sender, template, context, **kwargs) -> None:
        if template.name == ROW_TEMPLATE:
            with self._lock:
                self.count += 1


@pytest.fixture
def row_renders():
    LiveClasses().forget_all()  # sockets left open by earlier tests of this run
    renders = RowRenders()
    template_rendered.connect(renders)
    yield renders
    template_rendered.disconnect(renders)


@run_in_own_loop
async def test_a_change_is_rendered_once_per_audience_class(seeded, redis_url, row_renders):
    editor = await get_user_model().objects.aget(username="editeur.radiologie")
    public = [await connect(AnonymousUser(), "lang=fr") for _ in range(12)]
    member = await connect(editor, "lang=fr")

    # A draft of the radiology référentiel: its editor sees it, the public does not.
    draft = await edit("RAD-D1-C01", "editeur.radiologie", "Brouillon en direct")
    member_row = await next_change(member)
    assert member_row["change_id"] == draft and "Brouillon en direct" not in member_row["html"]
    renders_for_draft = row_renders.count

    published = await edit("SOCLE-D1-C01", "copil", "Publié en direct", publish=True)
    rows = [await next_change(comm) for comm in public]
    # The draft never reached a public socket: the published change is the first row each got.
    assert {row["change_id"] for row in rows} == {published}
    assert len({row["html"] for row in rows}) == 1
    assert (await next_change(member))["change_id"] == published
    # Two classes (the public and the member): one render each, not one per socket.
    assert renders_for_draft == 1
    assert row_renders.count == 3

    for comm in (*public, member):
        await comm.disconnect()
    assert await sync_to_async(LiveClasses().active)() == []
