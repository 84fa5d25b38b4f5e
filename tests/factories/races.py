"""Running calls at the same instant, each in its own thread and database connection (tests
marked ``django_db(transaction=True)``): what a constraint or a row lock must settle."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def race(calls: list[Callable[[], object]], refused: type[Exception]) -> list[Exception]:
    """Start every call together; the ``refused`` errors they raised (others propagate to the
    thread and fail the assertions on what was stored)."""
    barrier = threading.Barrier(len(calls))
    errors: list[Exception] = []

    def run(call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            call()
        except refused as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
