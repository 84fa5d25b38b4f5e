"""Benchmark: this wiki against MediaWiki 1.39, same machine, same run, same client (issue 14).

It runs the MediaWiki peer harness (`../shared/peers/mediawiki/`: `setup.sh` is idempotent),
loads the same content into a temporary PostgreSQL database (the heavy page « Compétence de test
lourde », the 15 socle competencies, the filler pages, from `content.py jsonl`), starts this
project with its production settings (uvicorn, 2 workers, Redis cache, a pool of 8 connections
per worker), then measures both with the harness's `bench.py` (ApacheBench, one connection per
request, 200 requests after 20 warm-up requests) at 1 and 20 clients:

- MediaWiki's default setup (parser cache in APCu), anonymous view;
- this wiki, anonymous view of the published page;
- this wiki, the same page seen by a logged-in college editor (a session cookie);
- MediaWiki with its HTML file cache (`--file-cache`, or BENCH_MW_FILE_CACHE=1: re-runs setup.sh
  twice, about 10 s more).

It prints the JSON lines of bench.py, then the side-by-side table with the ratios against
MediaWiki's default setup, and the RSS of the production workers after the run.

Targets (issue 14): anonymous p95 <= 0.5x MediaWiki default at 1 and 20 clients, throughput at 20
clients >= 2x, and no worse than MediaWiki's file cache when it is measured; logged-in editor p95
no worse than MediaWiki default.

Run (as root: setup.sh installs Debian packages):
    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python benchmarks/bench_vs_mediawiki.py
Options: --file-cache, --requests N, --filler N, --wait-idle S, --retry-busy N, --keep-server.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
# Page serving does not touch the search index; loading 2 000 pages must not index them.
os.environ["ELASTICSEARCH_URL"] = ""

from benchmarks.support import drop_database, temporary_database_url  # noqa: E402

HARNESS = Path(os.environ.get("MW_HARNESS", ROOT.parent / "shared" / "peers" / "mediawiki"))
HEAVY_SLUG = "competence-de-test-lourde"
EDITOR = "bench-editeur"
# The production settings refuse to start without these; the loader (test settings) signs the
# editor's session with the same key, so the server accepts it.
SECRET_KEY = "test-only-insecure-key"


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


# --- content ---------------------------------------------------------------------------------


def pages_jsonl(filler: int) -> list[dict]:
    out = subprocess.run(
        [sys.executable, str(HARNESS / "content.py"), "jsonl", "--filler", str(filler)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def content_load(pages: list[dict]) -> tuple[str, str]:
    """Load the harness's pages; return the heavy page's URL and the editor's session key."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from wiki.models import CompetencyPage, DomainPage, ReferentielPage
    from wiki.models.pages import SOCLE_SLUG
    from wiki.services.seeding import initial_data_load

    call_command("migrate", verbosity=0)
    initial_data_load(with_accounts=False)
    socle = ReferentielPage.objects.get(slug=SOCLE_SLUG)
    domains = {d.title: d for d in DomainPage.objects.child_of(socle)}
    first_domain = next(iter(domains.values()))
    competencies = {c.title: c for c in CompetencyPage.objects.descendant_of(socle)}
    heavy_url = ""
    fillers = 0
    t0 = time.perf_counter()
    for item in pages:
        kind, title, body = item["kind"], item["title"], item["markdown"]
        if kind == "competency" and title in competencies:
            page = competencies[title]
            page.body = body
            page.save_revision().publish()
        elif kind == "heavy":
            page = CompetencyPage(
                title=title, slug=HEAVY_SLUG, code="BENCH-LOURDE", statement="", body=body
            )
            domains.get("Données de santé", first_domain).add_child(instance=page)
            page.save_revision().publish()
            heavy_url = page.url
        elif kind == "filler":
            # Live without a revision: 2 000 revisions would cost minutes and serve the same.
            fillers += 1
            domain = next((d for name, d in domains.items() if f"[[{name}]]" in body), first_domain)
            page = CompetencyPage(
                title=title,
                slug=f"complementaire-{fillers:05d}",
                code=f"BENCH-F{fillers:05d}",
                body=body,
                live=True,
            )
            domain.add_child(instance=page)
            if fillers % 500 == 0:
                log(f"[load] {fillers} filler pages ({time.perf_counter() - t0:.0f} s)")
    assert heavy_url, "no heavy page in the harness's content"
    editor = User.objects.create_user(
        EDITOR, password=None, first_name="Éditrice", last_name="Banc"
    )
    editor.groups.add(socle.college.editors_group)
    session = SessionStore()
    session[SESSION_KEY] = str(editor.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = editor.get_session_auth_hash()
    session.create()
    log(f"[load] done: {CompetencyPage.objects.count()} competency pages, heavy page {heavy_url}")
    return heavy_url, session.session_key


# --- the two servers --------------------------------------------------------------------------


def mediawiki_setup(file_cache: bool) -> None:
    env = dict(os.environ, MW_FILE_CACHE="1" if file_cache else "0")
    log(f"[mediawiki] setup.sh (file cache {'on' if file_cache else 'off'})")
    subprocess.run(["bash", str(HARNESS / "setup.sh")], env=env, check=True, stdout=sys.stderr)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(database_url: str, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_RUN_ID",))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=SECRET_KEY,
        PSEUDONYM_KEY="bench-pseudonym-key",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",  # plain HTTP here: TLS ends at the proxy in production
        DATABASE_URL=database_url,
        DATABASE_POOL_MAX="8",
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1"),
        CACHE_KEY_PREFIX=f"bench{os.getpid()}",
        ELASTICSEARCH_URL="",
        LOG_LEVEL="ERROR",
    )
    return env


def server_start(env: dict[str, str], port: int, pidfile: Path) -> subprocess.Popen:
    uvicorn = str(Path(sys.executable).parent / "uvicorn")
    cmd = [uvicorn, "config.asgi:application", "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--workers", "2", "--no-access-log", "--timeout-keep-alive", "5"]
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=sys.stderr, stderr=sys.stderr)
    pidfile.write_text(str(process.pid))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return process
        except OSError:
            pass
        if process.poll() is not None:
            raise SystemExit("uvicorn stopped before answering")
        time.sleep(0.3)
    process.terminate()
    raise SystemExit("uvicorn did not answer /healthz within 60 s")


def worker_rss_mb(master_pid: int) -> list[float]:
    rss = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            if ppid != master_pid:
                continue
            with open(f"/proc/{d}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss.append(round(int(line.split()[1]) / 1024, 1))
        except (OSError, IndexError, ValueError):
            continue
    return sorted(rss)


# --- measuring ---------------------------------------------------------------------------------


def bench(args: argparse.Namespace, extra: list[str], env: dict | None = None) -> list[dict]:
    cmd = [sys.executable, str(HARNESS / "bench.py"), "--requests", str(args.requests)]
    cmd += ["--concurrency", "1,20", "--wait-idle", str(args.wait_idle)]
    cmd += ["--retry-busy", str(args.retry_busy), "--client", "ab", *extra]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env or os.environ, check=False)
    sys.stderr.write(out.stderr)
    if out.returncode:
        raise SystemExit(f"bench.py failed ({out.returncode})")
    records = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    for record in records:
        print(json.dumps(record, ensure_ascii=False), flush=True)
    return records


def with_cookie_env(cookie: str, tmp: Path) -> dict:
    """bench.py has no cookie option: an `ab` first on PATH adds the session cookie."""
    wrapper = tmp / "ab"
    wrapper.write_text(f'#!/bin/sh\nexec {shutil.which("ab")} -C "$BENCH_COOKIE" "$@"\n')
    wrapper.chmod(0o755)
    return dict(os.environ, PATH=f"{tmp}:{os.environ['PATH']}", BENCH_COOKIE=cookie)


def warm(url: str, cookie: str, n: int = 20) -> str:
    body = b""
    for _ in range(n):
        request = urllib.request.Request(url, headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=30) as r:
            body = r.read()
    return body.decode()


def table(rows: dict[str, dict[int, dict]]) -> tuple[str, dict[str, dict[str, float]]]:
    base = rows["MediaWiki default"]
    lines = [
        "| system | p95 ms, 1 client | p95 ms, 20 clients | req/s, 20 clients "
        "| p95 ratio 1 / 20 vs MW | req/s ratio vs MW |",
        "|---|---|---|---|---|---|",
    ]
    ratios = {}
    for name, by_c in rows.items():
        r1 = by_c[1]["p95_ms"] / base[1]["p95_ms"]
        r20 = by_c[20]["p95_ms"] / base[20]["p95_ms"]
        rps = by_c[20]["rps"] / base[20]["rps"]
        ratios[name] = {"p95_1": r1, "p95_20": r20, "rps_20": rps}
        lines.append(
            f"| {name} | {by_c[1]['p95_ms']:.1f} | {by_c[20]['p95_ms']:.1f} "
            f"| {by_c[20]['rps']:.0f} | {r1:.2f} / {r20:.2f} | {rps:.2f} |"
        )
    return "\n".join(lines), ratios


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--file-cache", action="store_true", default=os.environ.get("BENCH_MW_FILE_CACHE") == "1"
    )
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--filler", type=int, default=int(os.environ.get("MW_FILLER_PAGES", 2000)))
    parser.add_argument("--wait-idle", type=float, default=60)
    parser.add_argument("--retry-busy", type=int, default=2)
    parser.add_argument("--keep-server", action="store_true", help="leave uvicorn running")
    args = parser.parse_args()

    mediawiki_setup(file_cache=False)
    url, name = temporary_database_url("bench_vs_mw")
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    tmp = Path(tempfile.mkdtemp(prefix="bench_vs_mw_"))
    process = None
    rows: dict[str, dict[int, dict]] = {}
    try:
        heavy_path, session_key = content_load(pages_jsonl(args.filler))
        from django.db import connections

        connections.close_all()
        port = free_port()
        env = production_env(url, port)
        pidfile = tmp / "uvicorn.pid"
        process = server_start(env, port, pidfile)
        page = f"http://127.0.0.1:{port}{heavy_path}"
        cookie = f"sessionid={session_key}"
        shown = warm(page, cookie)
        assert EDITOR in shown or "Banc" in shown, "the editor's session is not accepted"
        assert "Compétence de test lourde" in warm(page, "")

        mw = bench(args, ["--targets", "view"])
        rows["MediaWiki default"] = {r["concurrency"]: r for r in mw}
        ours = ["--system", "wagtail", "--server-pidfile", str(pidfile)]
        anon = bench(args, [*ours, "--url", f"view={page}"])
        rows["this wiki, anonymous"] = {r["concurrency"]: r for r in anon}
        editor = bench(
            args, [*ours, "--url", f"view-editor={page}"], env=with_cookie_env(cookie, tmp)
        )
        rows["this wiki, editor"] = {r["concurrency"]: r for r in editor}
        rss = worker_rss_mb(process.pid)
        if args.file_cache:
            try:
                mediawiki_setup(file_cache=True)
                fc = bench(args, ["--targets", "view", "--system", "mediawiki-file-cache"])
                rows["MediaWiki file cache"] = {r["concurrency"]: r for r in fc}
            finally:
                mediawiki_setup(file_cache=False)
    finally:
        if process is not None and not args.keep_server:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(tmp, ignore_errors=True)
        drop_database(name)
        redis_forget(f"bench{os.getpid()}")

    text, ratios = table(rows)
    print()
    print(f"heavy page, {args.requests} requests per line, ab (one connection per request)")
    print(text)
    print(f"production workers' RSS after the run: {', '.join(f'{r} MB' for r in rss)}")
    anon_r = ratios["this wiki, anonymous"]
    checks = {
        "anonymous p95 <= 0.5x MW (1 client)": anon_r["p95_1"] <= 0.5,
        "anonymous p95 <= 0.5x MW (20 clients)": anon_r["p95_20"] <= 0.5,
        "anonymous throughput >= 2x MW": anon_r["rps_20"] >= 2.0,
        "editor p95 <= MW (1 and 20 clients)": ratios["this wiki, editor"]["p95_1"] <= 1.0
        and ratios["this wiki, editor"]["p95_20"] <= 1.0,
    }
    if "MediaWiki file cache" in rows:
        fc, an = rows["MediaWiki file cache"], rows["this wiki, anonymous"]
        checks["anonymous no worse than MW file cache"] = (
            an[1]["p95_ms"] <= fc[1]["p95_ms"]
            and an[20]["p95_ms"] <= fc[20]["p95_ms"]
            and an[20]["rps"] >= fc[20]["rps"]
        )
    for label, ok in checks.items():
        print(f"  {'OK    ' if ok else 'MISSED'} {label}")
    return 0 if all(checks.values()) else 1


def redis_forget(prefix: str) -> None:
    """Drop the server's cache keys (its own prefix) once the run is over."""
    import redis

    client = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1"))
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    for i in range(0, len(keys), 500):
        client.delete(*keys[i : i + 500])


if __name__ == "__main__":
    sys.exit(main())
