"""The dashboards' notifications of a burst of ballots: coalesced per study on the server's
event loop, never one channel-layer round trip per ballot in the requests."""

import asyncio
import time

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from consensus import groups
from consensus.consumers import StudyParticipationConsumer
from consensus.services.ratings import Answer, ballot_submit
from consensus.services.rounds import round_open
from tests.factories.consensus import study_with_panel

pytestmark = pytest.mark.django_db(transaction=True)

# The notifications' window is the dashboard consumer's own.
WINDOW = StudyParticipationConsumer.COALESCE_SECONDS


def _open_round(n_panelists: int):
    study = study_with_panel(n_items=1, n_panelists=n_panelists)
    return study, round_open(user=study.created_by, study=study)


def _submit_all(study, delphi_round) -> float:
    """Submit every panelist's ballot; return the seconds it took."""
    item = delphi_round.round_items.get()
    panelists = list(study.panelists.order_by("pk").select_related("user"))
    started = time.perf_counter()
    for panelist in panelists:
        ballot_submit(user=panelist.user, delphi_round=delphi_round, answers={item.pk: Answer(5)})
    return time.perf_counter() - started


async def _listening(study):
    """A channel in the study's group, once the round's opening was notified (a window ago)."""
    await asyncio.sleep(WINDOW * 2)
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(groups.study_participation_group(study.pk), channel)
    return layer, channel


async def _received(layer, channel: str, quiet: float) -> int:
    count = 0
    while True:
        try:
            await asyncio.wait_for(layer.receive(channel), quiet)
        except TimeoutError:
            return count
        count += 1


@pytest.mark.asyncio
async def test_a_burst_of_ballots_notifies_the_dashboards_at_once_then_once_per_window(
    seeded, redis_url
):
    study, delphi_round = await sync_to_async(_open_round)(12)
    layer, channel = await _listening(study)
    elapsed = await sync_to_async(_submit_all)(study, delphi_round)  # 12 commits
    sent = await _received(layer, channel, quiet=WINDOW + 1)
    # One at the first ballot, then at most one per window while the ballots kept coming.
    windows = int(elapsed / WINDOW) + 1
    assert 2 <= sent <= windows + 1 < 12, (sent, elapsed)


@pytest.mark.asyncio
async def test_the_first_ballot_of_a_quiet_study_notifies_at_once(seeded, redis_url):
    study, delphi_round = await sync_to_async(_open_round)(1)
    layer, channel = await _listening(study)
    await sync_to_async(_submit_all)(study, delphi_round)
    message = await asyncio.wait_for(layer.receive(channel), WINDOW / 2)
    assert message == {"type": "participation.changed"}
    assert await _received(layer, channel, quiet=WINDOW + 0.5) == 0


def test_outside_a_server_loop_the_notification_is_sent_at_once(seeded, redis_url):
    from asgiref.sync import async_to_sync

    study, delphi_round = _open_round(2)
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(groups.study_participation_group(study.pk), channel)
    _submit_all(study, delphi_round)

    async def drain() -> int:
        return await _received(layer, channel, quiet=0.5)

    assert async_to_sync(drain)() == 2
