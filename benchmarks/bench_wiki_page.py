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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

from benchmarks.support import drop_database, p95, temporary_database_url, timed  # noqa: E402

REQUESTS = 200
TARGET_P95_MS = 50.0


def main() -> int:
    url, name = temporary_database_url("bench_page")
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
