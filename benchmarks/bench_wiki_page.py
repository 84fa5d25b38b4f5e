"""Benchmark: serving a competency page with 50 wikilinks and 2 000 words.

Target (issue 4): server time p95 < 50 ms with a warm cache, over 200 requests. Baselines in the
same run: the same page with the rendering cache cleared before each request (cold), and
/healthz (the floor of a request through the full middleware stack).

Run: DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python benchmarks/bench_wiki_page.py
It works in a temporary PostgreSQL database that it creates and drops.
"""

import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

REQUESTS = 200
TARGET_P95_MS = 50.0


def temporary_database_url() -> tuple[str, str]:
    import dj_database_url

    base = os.environ.get("DATABASE_URL", "postgres://wiki:wiki@127.0.0.1:5432/wiki")
    name = f"bench_{uuid.uuid4().hex[:8]}"
    config = dj_database_url.parse(base)
    url = base.rsplit("/", 1)[0] + "/" + name
    import psycopg

    with psycopg.connect(
        host=config["HOST"],
        port=config["PORT"],
        user=config["USER"],
        password=config["PASSWORD"],
        dbname=config["NAME"],
        autocommit=True,
    ) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url, name


def drop_database(name: str) -> None:
    from django.db import connections

    connections.close_all()
    with connections["default"]._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[94]


def timed(client, url: str, n: int, before=None) -> list[float]:
    samples = []
    for _ in range(n):
        if before:
            before()
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return samples


def main() -> int:
    url, name = temporary_database_url()
    os.environ["DATABASE_URL"] = url
    os.environ["ELASTICSEARCH_URL"] = ""  # page serving does not touch the search index
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    try:
        call_command("migrate", verbosity=0)
        from wiki.services.seeding import initial_data_load

        initial_data_load(with_accounts=False)
        page_url = build_page()
        client = Client()
        for _ in range(20):
            client.get(page_url)  # warm-up: caches, connections, template loading
        warm = timed(client, page_url, REQUESTS)
        cold = timed(client, page_url, REQUESTS // 4, before=cache.clear)
        floor = timed(client, "/healthz", REQUESTS)
    finally:
        drop_database(name)

    print(f"competency page, 50 wikilinks, 2 000 words, {REQUESTS} requests")
    print(
        f"  warm cache  p50 {statistics.median(warm):6.1f} ms   p95 {p95(warm):6.1f} ms"
        f"   (target p95 < {TARGET_P95_MS:.0f} ms)"
    )
    print(
        f"  cold render p50 {statistics.median(cold):6.1f} ms   p95 {p95(cold):6.1f} ms"
        f"   (cache cleared before each request)"
    )
    print(
        f"  /healthz    p50 {statistics.median(floor):6.1f} ms   p95 {p95(floor):6.1f} ms"
        f"   (request floor)"
    )
    ok = p95(warm) < TARGET_P95_MS
    print("  result:", "OK" if ok else "TARGET MISSED")
    return 0 if ok else 1


def build_page() -> str:
    from wiki.models import CompetencyPage, DomainPage

    rng = random.Random(42)
    socle = list(CompetencyPage.objects.live().values_list("code", "title"))
    words = (
        "donnée santé patient imagerie algorithme sécurité consentement interopérabilité "
        "traçabilité évaluation radiologue compte-rendu pseudonymisation réseau"
    ).split()
    links = []
    for i in range(50):
        code, title = socle[i % len(socle)]
        links.append(f"[[{code}|{title}]]" if i % 3 else f"[[Page inexistante {i}]]")
    paragraphs = []
    for i in range(40):
        text = " ".join(rng.choice(words) for _ in range(50))
        paragraphs.append(f"{text} {links[i]}" + (f" {links[40 + i]}" if i < 10 else ""))
    body = "## Contexte\n\n" + "\n\n".join(paragraphs)
    domain = DomainPage.objects.live().first()
    page = CompetencyPage(
        title="Page de référence du benchmark",
        slug="bench-page",
        code="BENCH-C01",
        statement="Énoncé.",
        body=body,
    )
    domain.add_child(instance=page)
    page.save_revision().publish()
    assert len(body.split()) >= 2000, len(body.split())
    return page.url


if __name__ == "__main__":
    sys.exit(main())
