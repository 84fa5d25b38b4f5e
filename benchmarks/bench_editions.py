"""Benchmark: editions of a 500-competency référentiel.

Targets (issue 10): publishing an edition < 5 s; serving the edition page p95 no higher than
the live référentiel page in the same run; a diff between two 500-competency editions p95
< 300 ms (cold: the cached rendering is dropped before each request; warm figures printed too).

Run: DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python benchmarks/bench_editions.py
It works in a temporary PostgreSQL database that it creates and drops.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

from benchmarks.support import drop_database, p95, temporary_database_url, timed  # noqa: E402

REQUESTS = 100
DOMAINS, PER_DOMAIN = 10, 50
PUBLISH_TARGET_S = 5.0
DIFF_TARGET_MS = 300.0


def main() -> int:
    url, name = temporary_database_url("bench_editions")
    os.environ["DATABASE_URL"] = url
    os.environ["ELASTICSEARCH_URL"] = ""
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    try:
        call_command("migrate", verbosity=0)
        from wiki.services.editions import edition_publish
        from wiki.services.seeding import initial_data_load

        initial_data_load(with_accounts=False)
        referentiel = build_referentiel()
        start = time.perf_counter()
        first = edition_publish(referentiel=referentiel, kind="major")
        publish_s = time.perf_counter() - start
        reword_some(referentiel)
        second = edition_publish(referentiel=referentiel, kind="minor")
        client = Client()
        live_url = referentiel.url
        edition_url = f"/referentiels/{referentiel.slug}/v{first.version}/"
        diff_url = f"/referentiels/{referentiel.slug}/v{first.version}/diff/v{second.version}/"
        for _ in range(10):  # warm-up: caches, connections, templates
            client.get(live_url)
            client.get(edition_url)
            client.get(diff_url)
        live = timed(client, live_url, REQUESTS)
        edition = timed(client, edition_url, REQUESTS)
        diff_warm = timed(client, diff_url, REQUESTS)
        key_prefix = "wiki:edition:"

        def drop_diff() -> None:
            cache.delete_many(
                [f"{key_prefix}v1:{lang}:diff:{first.pk}:{second.pk}" for lang in ("fr", "en")]
            )

        diff_cold = timed(client, diff_url, REQUESTS // 4, before=drop_diff)
    finally:
        drop_database(name)

    print(f"editions: {DOMAINS * PER_DOMAIN} competencies, {REQUESTS} requests")
    print(f"  publish edition 1.0     {publish_s:6.2f} s   (target < {PUBLISH_TARGET_S:.0f} s)")
    for label, samples in (
        ("live référentiel page", live),
        ("edition page         ", edition),
        ("diff, warm           ", diff_warm),
        ("diff, cold           ", diff_cold),
    ):
        print(f"  {label} p50 {statistics.median(samples):6.1f} ms   p95 {p95(samples):6.1f} ms")
    ok = (
        publish_s < PUBLISH_TARGET_S
        and p95(edition) <= p95(live)
        and p95(diff_cold) < DIFF_TARGET_MS
    )
    print("  result:", "OK" if ok else "TARGET MISSED")
    return 0 if ok else 1


def build_referentiel():
    from wiki.models import (
        CompetencyPage,
        DomainPage,
        EvaluationMethod,
        HomePage,
        Institution,
        LearningOutcome,
        ReferentielPage,
    )

    home = HomePage.objects.get()
    referentiel = ReferentielPage(
        title="Référentiel de 500 compétences",
        slug="bench-editions",
        college=Institution.objects.filter(kind="college").first(),
        cycle="3",
        intro="Référentiel du benchmark des éditions.",
    )
    home.add_child(instance=referentiel)
    referentiel.save_revision().publish()
    method = EvaluationMethod.objects.first()
    for d in range(DOMAINS):
        domain = DomainPage(title=f"Domaine {d}", slug=f"domaine-{d}", code=f"BE{d}")
        referentiel.add_child(instance=domain)
        domain.save_revision().publish()
        for c in range(PER_DOMAIN):
            page = CompetencyPage(
                title=f"Compétence {d}.{c}",
                slug=f"competence-{d}-{c}",
                code=f"BE{d}-{c:03d}",
                statement=(
                    f"Utiliser de façon critique un outil d'intelligence artificielle pour la "
                    f"tâche clinique {d}.{c}, en expliquant ses limites au patient."
                ),
                body="Texte de la compétence avec un [[lien]] et du *Markdown*. " * 5,
                learning_outcomes=[
                    LearningOutcome(text=f"Acquis {d}.{c}.{i}", sort_order=i) for i in range(3)
                ],
            )
            page.evaluation_methods = [method]
            domain.add_child(instance=page)
            page.save_revision().publish()
    referentiel.refresh_from_db()
    return referentiel


def reword_some(referentiel) -> None:
    """Between the two editions: 50 competencies reworded, 10 moved."""
    from wiki.models import CompetencyPage, DomainPage

    pages = list(CompetencyPage.objects.descendant_of(referentiel).order_by("path"))
    for page in pages[::10]:
        draft = page.get_latest_revision_as_object()
        draft.statement = draft.statement.replace("de façon critique", "avec discernement")
        draft.save_revision().publish()
    last = DomainPage.objects.child_of(referentiel).order_by("path").last()
    for page in pages[5:55:5]:
        page.refresh_from_db()
        if page.get_parent().pk != last.pk:
            page.move(last, pos="last-child")


if __name__ == "__main__":
    sys.exit(main())
