"""Memory of the demo server: RSS after 10 000 requests (issue 14: under 300 MB).

The demo as `make demo` runs it (config.settings.dev: SQLite, in-memory channel layer and cache,
database search, daphne), in a temporary directory with the initial data loaded, then 10 000
anonymous GETs over a mix of pages (home, a référentiel, recent changes, search, a static file,
/healthz; 4 at a time, aiohttp). RSS is read from /proc before the first request (the baseline),
after 1 000 and after all, so that growth (a leak) shows apart from the resident size.

    .venv/bin/python benchmarks/bench_memory.py [--requests 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_consensus import _free_port, _wait_http  # noqa: E402

TARGET_MB = 300.0
URLS = [
    "/",
    "/socle-numerique-en-sante/",
    "/wiki/modifications-recentes/",
    "/recherche/?q=donn%C3%A9es",
    "/static/css/site.css",
    "/healthz",
]


def rss_mb(pid: int) -> float:
    """Resident memory of `pid` and its children (daphne runs in one process)."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for one in pids:
        for line in Path(f"/proc/{one}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


async def hammer(port: int, n: int, concurrency: int) -> dict[int, int]:
    import aiohttp

    statuses: dict[int, int] = {}
    queue = iter(range(n))
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:

        async def worker() -> None:
            for i in queue:
                url = f"http://127.0.0.1:{port}{URLS[i % len(URLS)]}"
                async with session.get(url, allow_redirects=False) as response:
                    await response.read()
                    statuses[response.status] = statuses.get(response.status, 0) + 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return statuses


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench_memory_"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp / 'demo.sqlite3'}",
        "REDIS_URL": "",
        "ELASTICSEARCH_URL": "",
    }
    started = time.perf_counter()
    for command in (["migrate", "--noinput", "-v", "0"], ["load_initial_data"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    print(f"demo database in {tmp} ready in {time.perf_counter() - started:.0f} s")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port)]
        + ["config.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_http(port, 120)
        idle = rss_mb(server.pid)
        warm = min(1000, args.requests)
        statuses = asyncio.run(hammer(port, warm, args.concurrency))
        after_warm = rss_mb(server.pid)
        started = time.perf_counter()
        more = asyncio.run(hammer(port, args.requests - warm, args.concurrency))
        wall = time.perf_counter() - started
        for status, count in more.items():
            statuses[status] = statuses.get(status, 0) + count
        final = rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(20)
    ok = final < TARGET_MB and set(statuses) <= {200, 302}
    print(
        f"demo server (daphne, DEBUG on, SQLite): RSS {idle:.0f} MB after start, "
        f"{after_warm:.0f} MB after {warm} requests, {final:.0f} MB after {args.requests} "
        f"({(args.requests - warm) / wall:.0f} req/s); statuses {statuses}"
    )
    print(
        f"  [target < {TARGET_MB:.0f} MB after {args.requests} requests]: "
        f"{'PASS' if ok else 'MISS'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
