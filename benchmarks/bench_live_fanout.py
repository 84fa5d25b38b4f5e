"""Live « Modifications récentes » to 500 WebSocket clients, through the Redis channel layer.

Target (issue 14): a published change reaches each of 500 sockets within 1 s, p95 over every
(change, socket) pair. ASGI processes are started here on loopback (uvicorn, one per port, the
test settings: Redis channel layer with this run's own prefix, a temporary PostgreSQL database);
an aiohttp client opens the sockets as anonymous readers (spread over the ports), then a
published edit of a public page is saved every --interval seconds from this process and each
socket's arrival time is compared with the instant the edit's transaction committed.

Baseline in the same run: one socket, the same edits (the floor of this path on this machine).
`--app-dir DIR` runs the servers from another checkout (e.g. the code before the change, from
`git archive`) to compare before/after in one run.

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python benchmarks/bench_live_fanout.py
    options: --sockets 500 --changes 20 --interval 0.5 --workers 2 --app-dir DIR
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
# Our own channel-layer, cache and index prefixes, shared with the servers started here.
os.environ["TEST_RUN_ID"] = f"fanout{uuid.uuid4().hex[:8]}"

from bench_consensus import _free_port, _wait_http  # noqa: E402
from support import drop_database, p95, temporary_database_url  # noqa: E402

TARGET_P95_S = 1.0
PAGE_CODE = "SOCLE-D1-C01"


def _edit(n: int) -> tuple[int, float]:
    """A published edit of a public page, in one transaction: (change id, wall time of its
    commit, taken by the first on-commit callback, before the broadcast's)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from wiki.models import CompetencyPage

    user = get_user_model().objects.get(username="copil")
    committed = []
    with transaction.atomic():
        transaction.on_commit(lambda: committed.append(time.time()))
        page = CompetencyPage.objects.get(code=PAGE_CODE).get_latest_revision_as_object()
        page.statement = f"Énoncé révisé n° {n} pour le banc d'essai"
        revision = page.save_revision(user=user)
        revision.publish(user=user, skip_permission_checks=True)
    return revision.wiki_change.pk, committed[0]


async def _run(ports: list[int], sockets: int, changes: int, interval: float, offset: int):
    import aiohttp

    arrivals: dict[int, list[float]] = {}
    ready = 0

    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0), timeout=aiohttp.ClientTimeout(total=None)
    ) as session:

        async def listen(index: int, opened: asyncio.Event, done: asyncio.Event) -> None:
            nonlocal ready
            port = ports[index % len(ports)]
            async with session.ws_connect(
                f"ws://127.0.0.1:{port}/ws/recent-changes/?lang=fr",
                headers={"Origin": f"http://127.0.0.1:{port}"},
                heartbeat=None,
                max_msg_size=0,
            ) as ws:
                ready += 1
                if ready == sockets:
                    opened.set()
                while not done.is_set():
                    try:
                        message = await ws.receive(timeout=0.5)
                    except TimeoutError:
                        continue
                    if message.type != aiohttp.WSMsgType.TEXT:
                        break
                    now = time.time()
                    data = message.json()
                    if data.get("type") == "change":
                        arrivals.setdefault(data["change_id"], []).append(now)

        opened, done = asyncio.Event(), asyncio.Event()
        listeners = [asyncio.create_task(listen(i, opened, done)) for i in range(sockets)]
        started = time.perf_counter()
        await asyncio.wait_for(opened.wait(), 120)
        connect_s = time.perf_counter() - started
        await asyncio.sleep(1)  # the group_add of the last sockets
        await asyncio.to_thread(_edit, offset + changes)  # warm-up: templates, connections
        sent = []
        for n in range(changes):
            sent.append(await asyncio.to_thread(_edit, offset + n))
            await asyncio.sleep(interval)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(
            len(arrivals.get(cid, ())) < sockets for cid, _t in sent
        ):
            await asyncio.sleep(0.1)
        done.set()
        await asyncio.gather(*listeners, return_exceptions=True)
    latencies, missing = [], 0
    for change_id, t0 in sent:
        got = arrivals.get(change_id, [])
        missing += sockets - len(got)
        latencies.extend(t - t0 for t in got)
    return latencies, missing, connect_s


def _measure(label: str, ports, sockets: int, changes: int, interval: float, offset: int):
    latencies, missing, connect_s = asyncio.run(_run(ports, sockets, changes, interval, offset))
    value = p95([x * 1e3 for x in latencies]) if len(latencies) > 1 else float("inf")
    print(
        f"  {label}: {sockets} socket(s) open in {connect_s:.1f} s; {changes} changes; "
        f"{len(latencies)} rows delivered, {missing} missing; p50 "
        f"{statistics.median(latencies) * 1e3:.0f} ms, p95 {value:.0f} ms, "
        f"max {max(latencies) * 1e3:.0f} ms"
    )
    return value, missing


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sockets", type=int, default=500)
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--workers", type=int, default=2, help="ASGI processes, one per port")
    parser.add_argument("--app-dir", default=str(ROOT), help="checkout the servers run from")
    args = parser.parse_args()
    # The edits too run the code of --app-dir (its broadcast), as its servers do.
    sys.path.insert(0, str(Path(args.app_dir).resolve()))

    url, name = temporary_database_url("bench_fanout")
    os.environ["DATABASE_URL"] = url
    os.environ["ELASTICSEARCH_URL"] = ""
    servers, log = [], None
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from wiki.services.seeding import initial_data_load

        call_command("migrate", verbosity=0, interactive=False)
        initial_data_load()
        env = {**os.environ, "DATABASE_POOL_MAX": "8", "DATABASE_CONN_MAX_AGE": "0"}
        log_path = Path(tempfile.gettempdir()) / f"bench_fanout_asgi_{os.getpid()}.log"
        log = open(log_path, "w")  # noqa: SIM115 - closed after the servers
        ports = [_free_port() for _ in range(args.workers)]
        for port in ports:
            argv = [
                sys.executable, "-m", "uvicorn", "config.asgi:application", "--host",
                "127.0.0.1", "--port", str(port), "--no-access-log", "--lifespan", "off",
                "--log-level", "warning", "--ws-max-queue", "64",
            ]  # fmt: skip
            servers.append(
                subprocess.Popen(
                    argv, cwd=args.app_dir, env=env, stdout=subprocess.DEVNULL, stderr=log
                )
            )
        for port in ports:
            _wait_http(port, 60)
        print(
            f"uvicorn x {args.workers} (own ports) from {args.app_dir}, Redis channel layer "
            f"(prefix test{os.environ['TEST_RUN_ID']}); a published edit every "
            f"{args.interval:g} s; server log {log_path}"
        )
        floor, _ = _measure("baseline, 1 socket", ports, 1, args.changes, args.interval, 0)
        value, missing = _measure("fan-out", ports, args.sockets, args.changes, args.interval, 1000)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
        if log:
            log.close()
        drop_database(name)
    ok = value < TARGET_P95_S * 1e3 and missing == 0
    print(
        f"live fan-out p95 {value:.0f} ms to {args.sockets} sockets ({value / floor:.1f}x one "
        f"socket's {floor:.0f} ms)  [target p95 < {TARGET_P95_S * 1e3:.0f} ms, none missing]: "
        f"{'PASS' if ok else 'MISS'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
