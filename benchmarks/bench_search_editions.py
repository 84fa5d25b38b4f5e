"""Benchmark: the public search once editions are indexed, and « Compétences proches ».

In one run, on the seed plus a 500-competency référentiel published as edition 1.0 (then
reworded in the wiki):
- public search p95 (in process, `search.queries.pages_search`), **before** (the index and
  the visibility filter as they were: live pages only) and **after** (the latest edition's
  documents, live pages of a référentiel with an edition left to readers of drafts);
- the database fallback's p95 after (PostgreSQL full-text over the editions' snapshots);
- the `more_like_this` query of « Compétences proches » p95, and its database fallback.

Run: `.venv/bin/python benchmarks/bench_search_editions.py` (test settings by default).
It works in a temporary PostgreSQL database and its own index prefix, both dropped at the end.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

from benchmarks.support import drop_database, p95, temporary_database_url  # noqa: E402

QUERIES = [
    "données de santé",
    "cybersécurité",
    "téléconsultation",
    "objets connectés",
    "identité numérique",
    "messagerie sécurisée",
    "dossier médical partagé",
    "intelligence artificielle",
    "protection des données",
    "outils numériques",
    "télésanté réglementation",
    "incident de sécurité",
]
ROUNDS = 10  # each query this many times, per variant
DOMAINS, PER_DOMAIN = 10, 50


def _visibility_filter_before(visibility):
    """search.queries.visibility_filter before editions were indexed (for the « before »)."""
    from elasticsearch.dsl import Q

    if visibility.all_drafts:
        return None
    if not visibility.authenticated:
        return (
            Q("term", live=True) & Q("term", restriction="none") & Q("term", login_required=False)
        )
    published = Q("term", live=True) & Q("terms", restriction=["none", "login"])
    if visibility.group_ids:
        return published | Q("terms", editor_groups=list(visibility.group_ids))
    return published


def build_referentiel():
    from wiki.models import CompetencyPage, DomainPage, HomePage, Institution, ReferentielPage

    home = HomePage.objects.get()
    referentiel = ReferentielPage(
        title="Référentiel de banc d'essai",
        slug="banc-essai",
        college=Institution.objects.get(slug="cerf"),
        cycle="3",
        intro="Banc d'essai de la recherche.",
    )
    home.add_child(instance=referentiel)
    referentiel.save_revision().publish()
    words = [q.split()[0] for q in QUERIES]
    for d in range(DOMAINS):
        domain = DomainPage(title=f"Domaine {d}", slug=f"d{d}", code=f"BE-D{d}")
        referentiel.add_child(instance=domain)
        domain.save_revision().publish()
        for c in range(PER_DOMAIN):
            page = CompetencyPage(
                title=f"Compétence {d}.{c} : {QUERIES[(d + c) % len(QUERIES)]}",
                slug=f"c{d}-{c}",
                code=f"BE-D{d}-C{c}",
                statement=(
                    f"Mobiliser les {words[c % len(words)]} et les "
                    f"{QUERIES[(c * 7) % len(QUERIES)]} dans la pratique {d}.{c}"
                ),
            )
            domain.add_child(instance=page)
            page.save_revision().publish()
    referentiel.refresh_from_db()
    return referentiel


def timed(function, arguments: list) -> list[float]:
    samples = []
    for _ in range(ROUNDS):
        for argument in arguments:
            start = time.perf_counter()
            function(argument)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> int:
    url, name = temporary_database_url("bench_search_editions")
    os.environ["DATABASE_URL"] = url
    os.environ["SEARCH_INDEX_PREFIX"] = f"benched{os.getpid()}"
    import django

    django.setup()
    from django.core.management import call_command

    from search import fallback, queries, sources
    from search.indexing import index_drop_all, index_rebuild
    from search.related import competencies_related, competency_text
    from search.results import SearchRequest
    from search.visibility import PUBLIC
    from wiki.models import CompetencyPage
    from wiki.services.editions import edition_publish

    try:
        call_command("migrate", verbosity=0)
        from wiki.services.seeding import initial_data_load

        initial_data_load(with_accounts=False)
        referentiel = build_referentiel()
        edition_publish(referentiel=referentiel, kind="major")
        requests = [SearchRequest(text=q) for q in QUERIES]

        def search(request):
            return queries.pages_search(request, PUBLIC)

        # Before: live pages only, the former visibility filter.
        after_sources, after_filter = dict(sources.SOURCES), queries.visibility_filter
        sources.SOURCES.pop("edition")
        queries.visibility_filter = _visibility_filter_before
        index_rebuild()
        for request in requests:
            search(request)  # warm-up
        before = timed(search, requests)
        # After: the editions' documents, the filter that leaves replaced pages out.
        sources.SOURCES.clear()
        sources.SOURCES.update(after_sources)
        queries.visibility_filter = after_filter
        report = index_rebuild()
        for request in requests:
            search(request)
        after = timed(search, requests)
        database = timed(lambda r: fallback.pages_search(r, PUBLIC), requests)

        pages = list(
            CompetencyPage.objects.live()
            .order_by("path")
            .prefetch_related("learning_outcomes")[:: max(1, CompetencyPage.objects.count() // 50)]
        )
        texts = [
            competency_text(p.title, p.statement, [o.text for o in p.learning_outcomes.all()])
            for p in pages
        ]
        for text in texts:
            competencies_related(text=text, visibility=PUBLIC)
        mlt = timed(lambda text: competencies_related(text=text, visibility=PUBLIC), texts)
        socle = timed(lambda page: fallback_related(page), pages)

        print(f"index: {report.documents} objects read in {report.seconds:.1f} s")
        print(f"public search p95 before (live pages only): {p95(before):.1f} ms")
        print(f"public search p95 after (editions indexed): {p95(after):.1f} ms")
        print(f"database fallback p95 after: {p95(database):.1f} ms")
        print(f"« Compétences proches » more_like_this p95: {p95(mlt):.1f} ms")
        print(f"« Compétences proches » database fallback (socle links) p95: {p95(socle):.1f} ms")
    finally:
        try:
            index_drop_all()
        finally:
            from django.db import connections

            connections.close_all()
            drop_database(name)
    return 0


def fallback_related(page):
    from search.related import _related_database
    from search.visibility import PUBLIC

    return _related_database(page, PUBLIC, None, 5)


if __name__ == "__main__":
    sys.exit(main())
