"""The bound on the HTTP requests a process works on at once: the others wait in line, none
fails, and a request leaves the bound as soon as its response is complete."""

import asyncio

import pytest

from config.concurrency import BoundedHTTP

pytestmark = pytest.mark.asyncio


class App:
    """An ASGI app that records how many requests it works on at once."""

    def __init__(self, work: float = 0.02, after_response: float = 0.0) -> None:
        self.work, self.after_response = work, after_response
        self.running = self.most = 0
        self.order: list[int] = []

    async def __call__(self, scope, receive, send) -> None:
        self.running += 1
        self.most = max(self.most, self.running)
        await asyncio.sleep(self.work)
        self.order.append(scope.get("n", -1))
        self.running -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})
        if scope.get("n") == 0:
            await asyncio.sleep(self.after_response)  # e.g. closing the response, signals


async def _request(app, n: int, kind: str = "http") -> list[dict]:
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    await app({"type": kind, "n": n}, receive, send)
    return sent


async def test_a_burst_waits_in_line_and_every_request_is_answered():
    inner = App()
    bounded = BoundedHTTP(inner, limit=3)
    answers = await asyncio.gather(*(_request(bounded, n) for n in range(20)))
    assert inner.most == 3
    assert all(sent[0]["status"] == 200 for sent in answers)
    assert inner.order == list(range(20))  # in arrival order


async def test_a_request_leaves_the_bound_once_its_response_is_complete():
    inner = App(work=0.01, after_response=1.0)
    bounded = BoundedHTTP(inner, limit=1)
    started = asyncio.get_running_loop().time()
    first = asyncio.create_task(_request(bounded, 0))
    await _request(bounded, 1)  # not behind the first one's second after its response
    assert asyncio.get_running_loop().time() - started < 0.9
    await first


async def test_websockets_and_a_zero_limit_are_not_bounded():
    inner = App()
    await asyncio.gather(*(_request(BoundedHTTP(inner, limit=1), n, "websocket") for n in range(5)))
    assert inner.most == 5
    inner = App()
    await asyncio.gather(*(_request(BoundedHTTP(inner, limit=0), n) for n in range(5)))
    assert inner.most == 5
