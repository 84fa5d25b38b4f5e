"""Live participation through the Redis channel layer, broadcast after commit."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from consensus.services.ratings import Answer, ballot_submit
from consensus.services.rounds import round_open
from tests.factories.consensus import facilitator, panelist_user, study_with_panel

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def communicator(study_id: int, user) -> WebsocketCommunicator:
    comm = WebsocketCommunicator(
        application,
        f"/ws/consensus/studies/{study_id}/participation/",
        headers=[(b"origin", b"http://localhost")],
    )
    comm.scope["user"] = user
    return comm


def _setup():
    study = study_with_panel(n_items=1, n_panelists=2)
    delphi_round = round_open(user=study.created_by, study=study)
    return study, delphi_round


def _submit(study, delphi_round):
    panelist = study.panelists.order_by("pk").first()
    item = delphi_round.round_items.get()
    ballot_submit(user=panelist.user, delphi_round=delphi_round, answers={item.pk: Answer(7)})


async def test_dashboard_sees_a_submission_live(seeded, redis_url):
    study, delphi_round = await sync_to_async(_setup)()
    facilitator = await sync_to_async(lambda: study.created_by)()
    comm = communicator(study.pk, facilitator)
    assert (await comm.connect())[0]
    first = await comm.receive_json_from(timeout=5)
    assert first["rounds"][0]["submitted"] == 0
    await sync_to_async(_submit)(study, delphi_round)
    update = await comm.receive_json_from(timeout=5)
    assert update["type"] == "participation"
    assert update["rounds"][0] == {
        "number": 1,
        "status": "open",
        "invited": 2,
        "submitted": 1,
        "pending": 1,
    }
    assert "Tour 1" in update["html"]
    await comm.disconnect()


async def test_panelists_cannot_follow_the_dashboard(seeded, redis_url):
    study, _round = await sync_to_async(_setup)()
    user = await sync_to_async(panelist_user)()
    connected, _code = await communicator(study.pk, user).connect()
    assert not connected


def _submit_all(study, delphi_round):
    item = delphi_round.round_items.get()
    for panelist in study.panelists.order_by("pk"):
        ballot_submit(user=panelist.user, delphi_round=delphi_round, answers={item.pk: Answer(5)})


async def test_a_burst_of_ballots_refreshes_the_dashboard_once_with_the_final_state(
    seeded, redis_url
):
    study = await sync_to_async(lambda: study_with_panel(n_items=1, n_panelists=12))()
    delphi_round = await sync_to_async(round_open)(user=study.created_by, study=study)
    facilitator = await sync_to_async(lambda: study.created_by)()
    comm = communicator(study.pk, facilitator)
    assert (await comm.connect())[0]
    assert (await comm.receive_json_from(timeout=5))["rounds"][0]["submitted"] == 0
    await sync_to_async(_submit_all)(study, delphi_round)  # 12 broadcasts
    updates = [await comm.receive_json_from(timeout=5)]
    while not await comm.receive_nothing(timeout=1):
        updates.append(await comm.receive_json_from(timeout=1))
    assert updates[-1]["rounds"][0]["submitted"] == 12
    assert len(updates) <= 3, [u["rounds"][0]["submitted"] for u in updates]
    await comm.disconnect()


async def test_a_dashboard_socket_for_an_unknown_study_is_closed_as_not_found(seeded, redis_url):
    facilitator_user = await sync_to_async(facilitator)()
    comm = communicator(987654, facilitator_user)
    connected, code = await comm.connect()
    assert (connected, code) == (False, 4404)
    await comm.wait()


async def test_a_dashboard_socket_for_an_unknown_study_tells_a_panelist_only_forbidden(
    seeded, redis_url
):
    user = await sync_to_async(panelist_user)()
    connected, code = await communicator(987654, user).connect()
    assert (connected, code) == (False, 4403)
