"""Delphi consensus under load, against PostgreSQL (and daphne on loopback).

1. Results for 500 items x 300 panelists x 3 rounds (450 000 ratings, bulk-loaded with COPY)
   read through ``consensus.selectors.study_results`` (one values_list query -> numpy ->
   ``compute_all``), against the plain-numpy baseline of ``bench_stats_pure`` on the same arrays.
   Targets: end to end < 2 s; compute_all <= 3x the numpy baseline.
2. 200 panelists submitting their ballots at once: an httpx.AsyncClient posts the HTML ballot
   form to daphne processes started here on 127.0.0.1 (bounded: 200 requests, at most
   --in-flight at a time, 60 s).
   Targets: p95 < 200 ms; then exactly one rating per panelist, item and round in the database.

Everything runs in a temporary database (``<db>_bench_<pid>``, created and dropped here).

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python benchmarks/bench_consensus.py
    options: --workers N (daphne processes, default: CPU count), --skip-load
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

N_ITEMS, N_PANELISTS, N_ROUNDS = 500, 300, 3
LOAD_PANELISTS, LOAD_ITEMS = 200, 10
E2E_TARGET_S, RATIO_TARGET, P95_TARGET_MS = 2.0, 3.0, 200.0


def _temporary_database() -> tuple[str, str]:
    """Create an empty database next to the configured one; return (name, url)."""
    import psycopg

    base = os.environ.get("DATABASE_URL", "postgres://wiki:wiki@127.0.0.1:5432/wiki")
    parsed = urlparse(base)
    name = f"{parsed.path.lstrip('/')}_bench_{os.getpid()}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, parsed._replace(path=f"/{name}").geturl()


def _drop_database(name: str) -> None:
    import psycopg

    base = os.environ.get("BENCH_ADMIN_URL", "postgres://wiki:wiki@127.0.0.1:5432/wiki")
    try:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    except psycopg.Error as error:
        print(f"warning: could not drop the temporary database {name}: {error}")


def _users(prefix: str, count: int, group_name: str):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    model = get_user_model()
    model.objects.bulk_create(
        [model(username=f"{prefix}{i:04d}", password="!") for i in range(count)]
    )
    users = list(model.objects.filter(username__startswith=prefix).order_by("username"))
    group, _created = Group.objects.get_or_create(name=group_name)
    group.user_set.add(*users)
    return users


def _study(facilitator, users, n_items: int, title: str):
    from consensus.models import Item, ItemVersion, Panelist, Study

    study = Study.objects.create(title=title, created_by=facilitator, max_rounds=3)
    items = Item.objects.bulk_create(
        [Item(study=study, code=f"IT-{i:04d}", position=i) for i in range(n_items)]
    )
    ItemVersion.objects.bulk_create(
        [ItemVersion(item=item, number=1, text=f"Item {item.code}") for item in items]
    )
    Panelist.objects.bulk_create(
        [Panelist(study=study, user=u, category=Panelist.Category.COLLEGE_EXPERT) for u in users]
    )
    return study


def load_results_study(facilitator):
    """450 000 ratings in three closed rounds, COPY-loaded."""
    import numpy as np
    from django.db import connection
    from django.utils import timezone

    from consensus.models import Item, Panelist, Round, RoundItem

    users = _users("bench-r-", N_PANELISTS, "Panélistes")
    study = _study(facilitator, users, N_ITEMS, "Bench results")
    items = list(Item.objects.filter(study=study).order_by("code").prefetch_related("versions"))
    panelists = list(
        Panelist.objects.filter(study=study).order_by("pk").values_list("pk", flat=True)
    )
    rounds = Round.objects.bulk_create(
        [
            Round(study=study, number=n, status=Round.Status.CLOSED, closed_at=timezone.now())
            for n in range(1, N_ROUNDS + 1)
        ]
    )
    round_items = RoundItem.objects.bulk_create(
        [
            RoundItem(round=r, item=item, version=item.versions.all()[0])
            for r in rounds
            for item in items
        ]
    )
    rng = np.random.default_rng(0)
    scores = rng.integers(1, 10, size=len(round_items) * len(panelists))
    now = timezone.now()
    start = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(
            "COPY consensus_rating (round_item_id, panelist_id, score, comment, updated_at) "
            "FROM STDIN"
        ) as copy:
            k = 0
            for ri in round_items:
                for pid in panelists:
                    copy.write_row((ri.pk, pid, int(scores[k]), "", now))
                    k += 1
        cursor.execute("ANALYZE consensus_rating")
    print(f"loaded {k} ratings with COPY in {time.perf_counter() - start:.1f} s")
    return study


def bench_results(study, repeat: int) -> bool:
    import numpy as np
    from bench_stats_pure import baseline

    from consensus import selectors
    from consensus.stats import compute_all

    def timed(fn):
        times, value = [], None
        for _ in range(repeat):
            start = time.perf_counter()
            value = fn()
            times.append(time.perf_counter() - start)
        return min(times), statistics.median(times), value

    e2e_best, e2e_median, results = timed(lambda: selectors.study_results(study))
    read_best, _m, arrays = timed(lambda: selectors.ratings_arrays(study))
    stats_best, _m, report = timed(lambda: compute_all(arrays, study.scale, study.rule))
    base_best, _m, base = timed(lambda: baseline(arrays))
    assert len(arrays) == N_ITEMS * N_PANELISTS * N_ROUNDS
    medians = np.array([row.stats.median for row in report.items]).reshape(N_ITEMS, N_ROUNDS)
    assert np.allclose(medians, base["median"]), "compute_all and numpy disagree"
    assert len(results.items) == N_ITEMS
    ratio = stats_best / base_best
    print(f"ratings: {len(arrays)} ({N_ITEMS} items x {N_PANELISTS} panelists x {N_ROUNDS} rounds)")
    print(
        "study_results end to end (PG -> numpy -> compute_all -> rows): "
        f"best {e2e_best * 1e3:.0f} ms, median {e2e_median * 1e3:.0f} ms  "
        f"[target < {E2E_TARGET_S * 1e3:.0f} ms]"
    )
    print(f"  of which the values_list read into numpy: best {read_best * 1e3:.0f} ms")
    print(f"compute_all on the arrays read: best {stats_best * 1e3:.0f} ms")
    print(f"plain numpy baseline on the same arrays: best {base_best * 1e3:.0f} ms")
    print(f"ratio compute_all / numpy: {ratio:.2f}x  [target <= {RATIO_TARGET:.0f}x]")
    print(f"ratio end to end / numpy: {e2e_best / base_best:.2f}x (informative)")
    return e2e_best < E2E_TARGET_S and ratio <= RATIO_TARGET


# --- concurrent ballots ---------------------------------------------------------------------


def _session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"daphne did not listen on {port}")


async def _submit_all(ports, jobs, timeout: float, in_flight: int) -> list[tuple[int, float]]:
    import httpx

    limits = httpx.Limits(max_connections=len(jobs), max_keepalive_connections=len(jobs))
    async with httpx.AsyncClient(timeout=timeout, limits=limits) as client:
        # Warm each worker (imports, first connection) before the measured burst.
        await asyncio.gather(*(client.get(f"http://127.0.0.1:{p}/healthz") for p in ports))
        start_gate = asyncio.Event()
        # Django under ASGI runs each request in its own thread with its own database
        # connection: the number in flight must stay below PostgreSQL's max_connections.
        slots = asyncio.Semaphore(in_flight)

        async def one(index: int, job) -> tuple[int, float]:
            port = ports[index % len(ports)]
            session, csrf, url, data = job
            await start_gate.wait()
            async with slots:
                started = time.perf_counter()
                response = await client.post(
                    f"http://127.0.0.1:{port}{url}",
                    data=data,
                    cookies={"sessionid": session, "csrftoken": csrf},
                    headers={"X-CSRFToken": csrf},
                )
                return response.status_code, time.perf_counter() - started

        tasks = [asyncio.create_task(one(i, job)) for i, job in enumerate(jobs)]
        await asyncio.sleep(0)
        start_gate.set()
        return await asyncio.wait_for(asyncio.gather(*tasks), timeout)


def bench_ballots(facilitator, db_url: str, workers: int, in_flight: int) -> bool:
    from consensus.models import Ballot, Rating, RoundItem
    from consensus.services.rounds import round_open

    users = _users("bench-b-", LOAD_PANELISTS, "Panélistes")
    study = _study(facilitator, users, LOAD_ITEMS, "Bench ballots")
    delphi_round = round_open(user=facilitator, study=study)
    round_items = list(RoundItem.objects.filter(round=delphi_round).values_list("pk", flat=True))
    url = f"/consensus/tours/{delphi_round.pk}/bulletin/"
    jobs = []
    for n, user in enumerate(users):
        data = {f"score-{pk}": str(1 + (n + i) % 9) for i, pk in enumerate(round_items)}
        data["submit"] = ""
        jobs.append((_session_cookie(user), secrets.token_hex(16), url, data))

    # No persistent connections: under ASGI each request runs in its own thread, and kept
    # connections would pile up past PostgreSQL's max_connections.
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DATABASE_CONN_MAX_AGE": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    ports = [_free_port() for _ in range(workers)]
    log_path = Path(tempfile.gettempdir()) / f"bench_consensus_daphne_{os.getpid()}.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed after the servers
    servers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(port),
                "config.asgi:application",
            ],  # noqa: E501
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        for port in ports
    ]
    try:
        for port in ports:
            _wait_port(port, 30)
        started = time.perf_counter()
        results = asyncio.run(_submit_all(ports, jobs, timeout=60, in_flight=in_flight))
        wall = time.perf_counter() - started
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
        log.close()
    latencies = sorted(t for _status, t in results)
    statuses = sorted({s for s, _t in results})
    p95 = latencies[int(0.95 * len(latencies)) - 1] * 1e3
    ratings = Rating.objects.filter(round_item__round=delphi_round)
    distinct = ratings.values("round_item", "panelist").distinct().count()
    submitted = Ballot.objects.filter(round=delphi_round, submitted_at__isnull=False).count()
    expected = LOAD_PANELISTS * LOAD_ITEMS
    print(
        f"{len(jobs)} ballots of {LOAD_ITEMS} items released at once, at most {in_flight} in "
        f"flight, to {workers} daphne process(es); {len(jobs) / wall:.0f} ballots/s"
    )
    print(f"HTTP statuses: {statuses} (302 = accepted); wall time {wall * 1e3:.0f} ms")
    print(f"daphne log: {log_path}")
    print(
        f"latency p50 {statistics.median(latencies) * 1e3:.0f} ms, p95 {p95:.0f} ms, "
        f"max {latencies[-1] * 1e3:.0f} ms  [target p95 < {P95_TARGET_MS:.0f} ms]"
    )
    print(
        f"database: {ratings.count()} ratings, {distinct} distinct (panelist, item), "
        f"{submitted} submitted ballots; expected {expected} and {LOAD_PANELISTS}"
    )
    counts_ok = ratings.count() == distinct == expected and submitted == LOAD_PANELISTS
    return counts_ok and statuses == [302] and p95 < P95_TARGET_MS


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--in-flight", type=int, default=40, help="concurrent requests cap")
    parser.add_argument("--skip-load", action="store_true")
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", "postgres://wiki:wiki@127.0.0.1:5432/wiki")
    os.environ["BENCH_ADMIN_URL"] = os.environ["DATABASE_URL"]
    name, url = _temporary_database()
    os.environ["DATABASE_URL"] = url
    try:
        import django

        django.setup()
        from django.core.management import call_command

        start = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        print(f"temporary database {name} migrated in {time.perf_counter() - start:.1f} s")
        from django.contrib.auth import get_user_model

        facilitator = get_user_model().objects.create_superuser("bench-admin", password=None)
        ok_results = bench_results(load_results_study(facilitator), args.repeat)
        ok_load = args.skip_load or bench_ballots(facilitator, url, args.workers, args.in_flight)
    finally:
        from django.db import connections

        connections.close_all()
        _drop_database(name)
    print(f"results targets: {'met' if ok_results else 'MISSED'}")
    if not args.skip_load:
        print(f"ballot targets: {'met' if ok_load else 'MISSED'}")
    return 0 if ok_results and ok_load else 1


if __name__ == "__main__":
    sys.exit(main())
