"""A bound on the HTTP requests each ASGI process works on at once; the others wait in line.

Django's ASGI handler runs each request's sync part in a thread of its own: 100 ballots
reaching a process together made 100 threads, each opening its own Redis connection for the
session and then waiting for one of the pool's ``DATABASE_POOL_MAX`` connections — the last ones
failed after ``DATABASE_POOL_TIMEOUT``. Here the requests beyond the bound wait on the event loop,
in arrival order, costing nothing; a request leaves the bound once its response is complete
(its last body message), so a slow client reading a long download does not keep a place.
WebSockets are not counted (their consumers are async and hold no thread)."""

from __future__ import annotations

import asyncio


class BoundedHTTP:
    def __init__(self, app, limit: int) -> None:
        self.app = app
        self.limit = limit
        self._semaphores: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}

    def _semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        semaphore = self._semaphores.get(loop)
        if semaphore is None:
            semaphore = self._semaphores[loop] = asyncio.Semaphore(self.limit)
        return semaphore

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or self.limit <= 0:
            await self.app(scope, receive, send)
            return
        semaphore = self._semaphore()
        await semaphore.acquire()
        held = True

        def release() -> None:
            nonlocal held
            if held:
                held = False
                semaphore.release()

        async def send_then_release(message) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                release()

        try:
            await self.app(scope, receive, send_then_release)
        finally:
            release()
