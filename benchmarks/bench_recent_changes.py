"""Benchmark: « Modifications récentes » over 100 000 revisions in PostgreSQL.

Targets (issue 4): first page p95 < 100 ms, and filtered by college p95 < 100 ms, server time
through the real view (Django's test Client, full middleware stack), over 200 requests each.
Also printed, without a target: a patroller's first page (it adds the unpatrolled count per
college) and the second page. Then the PostgreSQL plans (index used) of the two target queries.

Run: DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python benchmarks/bench_recent_changes.py
It works in a temporary PostgreSQL database that it creates and drops (about 1 minute).
"""

import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

from benchmarks.support import drop_database, p95, temporary_database_url, timed  # noqa: E402

REVISIONS = 100_000
REQUESTS = 200
TARGET_P95_MS = 100.0
BATCH = 5_000


def populate(rng: random.Random) -> dict:
    """100 000 revisions and their Changes, bulk-inserted (no signals), spread over a year."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone
    from wagtail.models import Page, Revision

    from wiki.models import Change, ReferentielPage

    users = [
        get_user_model().objects.create_user(
            f"bench.editeur{i}", first_name="Éditeur", last_name=f"n°{i}"
        )
        for i in range(30)
    ]
    pages = []
    for referentiel in ReferentielPage.objects.all():
        for page in Page.objects.descendant_of(referentiel, inclusive=True).specific():
            pages.append((page, referentiel))
    now = timezone.now()
    base_ct = pages[0][0].get_base_content_type()
    offsets = sorted((rng.random() * 365 * 86400 for _ in range(REVISIONS)), reverse=True)
    for start in range(0, REVISIONS, BATCH):
        chunk = range(start, min(start + BATCH, REVISIONS))
        picks = [pages[rng.randrange(len(pages))] for _ in chunk]
        when = [now - timedelta(seconds=offsets[i]) for i in chunk]
        authors = [users[rng.randrange(len(users))] for _ in chunk]
        revisions = Revision.objects.bulk_create(
            [
                Revision(
                    content_type_id=page.content_type_id,
                    base_content_type=base_ct,
                    object_id=str(page.pk),
                    user=author,
                    created_at=created,
                    content={"title": page.title, "statement": f"Version {i}"},
                    object_str=page.title,
                )
                for i, (page, _ref), author, created in zip(
                    chunk, picks, authors, when, strict=True
                )
            ]
        )
        changes = []
        for revision, (page, referentiel), author, created in zip(
            revisions, picks, authors, when, strict=True
        ):
            patrolled = rng.random() < 0.7
            changes.append(
                Change(
                    revision=revision,
                    page_id=page.pk,
                    referentiel_id=referentiel.pk,
                    college_id=referentiel.college_id,
                    user=author,
                    created_at=created,
                    kind=Change.Kind.EDIT,
                    title=page.title,
                    summary="Reformulation de l'énoncé",
                    size=1000 + rng.randrange(500),
                    size_delta=rng.randrange(-200, 200),
                    patrolled_at=created if patrolled else None,
                    patrolled_by=users[0] if patrolled else None,
                    # Most edits of live pages are published at once (trusted editors); the
                    # rest stay drafts, which the public does not see.
                    published_at=created if page.live and rng.random() < 0.8 else None,
                )
            )
        Change.objects.bulk_create(changes)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    cerf = ReferentielPage.objects.get(slug="radiologie-3e-cycle").college_id
    socle_owner = ReferentielPage.objects.get(slug="socle-numerique-en-sante").college_id
    return {"cerf": cerf, "socle_owner": socle_owner, "pages": len(pages)}


def plan_summary(queryset) -> str:
    plan = queryset.explain()
    lines = [line.strip() for line in plan.splitlines() if "Index" in line or "Seq Scan" in line]
    return "\n".join(f"    {line}" for line in lines[:6]) or plan


def main() -> int:
    url, name = temporary_database_url("bench_rc")
    os.environ["DATABASE_URL"] = url
    os.environ["ELASTICSEARCH_URL"] = ""  # recent changes never touch the search index
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from wiki.models import Change
    from wiki.selectors import ChangeFilters, recent_changes
    from wiki.visibility import PUBLIC, reader_for

    started = time.perf_counter()
    try:
        call_command("migrate", verbosity=0)
        from wiki.services.seeding import initial_data_load

        initial_data_load()
        facts = populate(random.Random(4))
        built = time.perf_counter() - started
        total = Change.objects.count()
        base = reverse("wiki:recent-changes")
        by_college = f"{base}?college={facts['cerf']}"
        public = Client()
        patroller = Client()
        patroller.force_login(get_user_model().objects.get(username="patrouilleur"))
        for client, target in ((public, base), (patroller, by_college), (patroller, base)):
            timed(client, target, 20)  # warm-up: connections, templates, caches
        first = timed(public, base, REQUESTS)
        college = timed(patroller, by_college, REQUESTS)
        college_public = timed(public, f"{base}?college={facts['socle_owner']}", REQUESTS // 2)
        first_patroller = timed(patroller, base, REQUESTS // 2)
        second = timed(public, f"{base}?page=2", REQUESTS // 2)
        plan_first = plan_summary(recent_changes(reader=PUBLIC)[:51])
        plan_college = plan_summary(
            recent_changes(
                reader=reader_for(get_user_model().objects.get(username="patrouilleur")),
                filters=ChangeFilters(college_id=facts["cerf"]),
            )[:51]
        )
    finally:
        drop_database(name)

    def line(label: str, samples: list[float], target: bool) -> str:
        suffix = f"   (target p95 < {TARGET_P95_MS:.0f} ms)" if target else ""
        return (
            f"  {label:<38} p50 {statistics.median(samples):6.1f} ms   "
            f"p95 {p95(samples):6.1f} ms{suffix}"
        )

    print(
        f"recent changes over {total:,} changes ({facts['pages']} pages), "
        f"{REQUESTS} requests per target; data built in {built:.0f} s".replace(",", " ")
    )
    print(line("first page (public)", first, True))
    print(line("filtered by college (patroller)", college, True))
    print(line("filtered by college (public)", college_public, False))
    print(line("first page (patroller, counts shown)", first_patroller, False))
    print(line("second page (public)", second, False))
    print("  plan, first page:")
    print(plan_first)
    print("  plan, filtered by college:")
    print(plan_college)
    ok = p95(first) < TARGET_P95_MS and p95(college) < TARGET_P95_MS
    print("  result:", "OK" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
