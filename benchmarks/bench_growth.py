"""Benchmark: growth from 1 000 to 100 000 pages, and recent changes over 1 000 000 revisions
(issue 14, « Growth »).

One database grows through the sizes (1 000 and 10 000 pages by default, 100 000 for the full
table). At each size:

- page view p95 of the heavy competency page « Compétence de test lourde » (2 000 words, 50
  wikilinks, from `../shared/peers/mediawiki/content.py`), through the real middleware stack
  (Django's test Client, anonymous), three ways: cold (the cache cleared before each request:
  Markdown parsed, every wikilink resolved), rendered (full-page cache off, the rendered-Markdown
  cache warm: what a page costs to build) and through the anonymous full-page cache;
- public search p95: a fixed set of French queries on `/recherche/?q=…` (Elasticsearch);
- the full reindex (`search.indexing.index_rebuild`, what `manage.py search_reindex` runs): time
  and microseconds per page.

Then revisions are added until « Modifications récentes » holds `--revisions` changes, and its
first page (public) is measured. Targets: page view and search p95 at the largest size at most
1.5x those at the smallest; reindex time per page roughly constant (at most 1.5x too); recent
changes first page p95 < 100 ms.

Pages, revisions and the wiki's own rows (Change, PageLink, LearningOutcome, the specific
tables) are written with PostgreSQL COPY: treebeard paths are computed here, numchild fixed, the
locale set, the référentiels themselves created through Wagtail. A sample of generated pages is
then checked: it renders, and the search finds it by its code.

Run: DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python benchmarks/bench_growth.py
Options: --sizes (default 1000,10000: what fits in about 20 minutes on the shared 2-core machine;
the full table is --sizes 1000,10000,100000, 42 minutes there, 17 of them the reindex of
100 000 pages), --revisions (default 1000000), --requests (default 100 per measure), --keep
(leave the database to study it). A quick run: --sizes 1000,3000 --revisions 50000. It creates a
temporary PostgreSQL database, its own index prefix and cache prefix, and drops them at the end.
Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

from benchmarks.bench_search import CONTEXTS, OBJECTS, SENTENCES, VERBS  # noqa: E402
from benchmarks.support import drop_database, p95, temporary_database_url, timed  # noqa: E402

HARNESS = Path(os.environ.get("MW_HARNESS", ROOT.parent / "shared" / "peers" / "mediawiki"))
HEAVY_SLUG = "competence-de-test-lourde"
DOMAINS_PER_REFERENTIEL = 40
COMPETENCIES_PER_DOMAIN = 125
FLUSH_PAGES = 5_000
REVISION_BATCH = 50_000
# What `make bench` runs: 100 000 pages cost a 17-minute reindex on the shared 2-core machine
# (notes/growth.md), so the full table is asked for with --sizes 1000,10000,100000.
DEFAULT_SIZES = "1000,10000"
TARGET_RATIO = 1.5
TARGET_RC_P95_MS = 100.0
SEARCH_QUERIES = [
    "cybersecurite",
    "objets connectés",
    "identite numerique",
    "TELESANTE reglementation",
    "réagir aux incidents",
    "donnee a caractere personnel",
    "logiciels métiers",
    "information probante",
    "fiabilité des applications mobiles",
    "exploiter les données pour la recherche",
    "aidants et accompagnants",
    "dossiers partagés",
    "téléconsultation en EHPAD",
    "algorithme d'IA à l'hôpital",
    "messagerie sécurisée de santé",
    "consentement du patient",
    "incident de cybersécurité au bloc opératoire",
    "ordonnance numérique en officine",
    "entrepôt de données recherche clinique",
    "SOCLE-D2-C02",
]


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- COPY


def copy_rows(model, rows: list[dict]) -> None:
    """Insert `rows` (attname → value) into `model`'s own table with COPY. Concrete fields a row
    leaves out take their default (computed per row when the default is callable); the primary
    key is written only when the rows give it."""
    from django.db import connection
    from django.db.models import JSONField
    from psycopg.types.json import Jsonb

    if not rows:
        return
    given = set(rows[0])
    fields = [
        f
        for f in model._meta.local_concrete_fields
        if f.attname in given or not (f.primary_key or f.attname.endswith("_ptr_id"))
    ]
    fixed = {
        f.attname: f.get_default()
        for f in fields
        if f.attname not in given and not callable(getattr(f, "default", None))
    }
    per_row = [f for f in fields if f.attname not in given and f.attname not in fixed]
    json_fields = {f.attname for f in fields if isinstance(f, JSONField)}
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            values = {**fixed, **{f.attname: f.get_default() for f in per_row}, **row}
            copy.write_row(
                [
                    Jsonb(values[f.attname]) if f.attname in json_fields else values[f.attname]
                    for f in fields
                ]
            )


def next_ids(model, count: int) -> list[int]:
    """`count` ids taken from `model`'s sequence (rows COPY'd with them never collide with rows
    saved later through the ORM)."""
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


# ---------------------------------------------------------------- content


def heavy_markdown() -> str:
    """The heavy page of the MediaWiki harness (same content as bench_vs_mediawiki.py); without
    the harness, a page of the same shape (2 000 words, 50 wikilinks to socle titles)."""
    script = HARNESS / "content.py"
    if script.exists():
        out = subprocess.run(
            [sys.executable, str(script), "jsonl", "--filler", "0"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for line in out.splitlines():
            item = json.loads(line)
            if item["kind"] == "heavy":
                return item["markdown"]
    from wiki.models import CompetencyPage

    rng = random.Random(14)
    titles = list(
        CompetencyPage.objects.filter(code__startswith="SOCLE-").values_list("title", flat=True)
    )
    words = " ".join(SENTENCES).split()
    paragraphs = [
        " ".join(rng.choice(words) for _ in range(40)) + f" [[{titles[i % len(titles)]}]]"
        for i in range(50)
    ]
    return "## Contexte\n\n" + "\n\n".join(paragraphs)


def heavy_page_create() -> str:
    from wiki.models import CompetencyPage, DomainPage, ReferentielPage
    from wiki.models.pages import SOCLE_SLUG

    socle = ReferentielPage.objects.get(slug=SOCLE_SLUG)
    domain = DomainPage.objects.child_of(socle).filter(title="Données de santé").first()
    domain = domain or DomainPage.objects.child_of(socle).first()
    page = CompetencyPage(
        title="Compétence de test lourde",
        slug=HEAVY_SLUG,
        code="BENCH-LOURDE",
        statement="",
        body=heavy_markdown(),
    )
    domain.add_child(instance=page)
    page.save_revision().publish()
    return page.url


# ---------------------------------------------------------------- growth


@dataclass
class Grower:
    """Adds generated référentiels → domains → competencies until the tree has N pages."""

    rng: random.Random
    user_id: int
    now: datetime
    referentiels: int = 0
    referentiel: object = None
    domain: dict | None = None
    domains_in_referentiel: int = 0
    pending: list[dict] = field(default_factory=list)
    generated_codes: list[str] = field(default_factory=list)
    socle_titles: list[str] = field(default_factory=list)
    free_ids: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        from django.contrib.contenttypes.models import ContentType

        from wiki.models import CompetencyPage, DomainPage

        self.types = ContentType.objects.get_for_models(CompetencyPage, DomainPage)
        self.page_type = ContentType.objects.get(app_label="wagtailcore", model="page")
        self.socle_titles = list(
            CompetencyPage.objects.filter(code__startswith="SOCLE-", live=True).values_list(
                "title", flat=True
            )
        )

    def when(self) -> datetime:
        return self.now - timedelta(seconds=self.rng.random() * 365 * 86400)

    def grow_to(self, target: int) -> None:
        from wagtail.models import Page

        from wiki.rendering import links_version_bump

        missing = target - Page.objects.count()
        while missing > 0:
            if self.referentiel is None or self.domains_in_referentiel >= DOMAINS_PER_REFERENTIEL:
                self.flush()
                self.referentiel_create()
                missing -= 1
                continue
            if self.domain is None or self.domain["children"] >= COMPETENCIES_PER_DOMAIN:
                self.domain = self.plan_page(self.referentiel_row(), kind="domain")
                self.domains_in_referentiel += 1
                missing -= 1
                continue
            self.plan_page(self.domain, kind="competency")
            missing -= 1
            if len(self.pending) >= FLUSH_PAGES:
                self.flush()
        self.flush()
        links_version_bump()  # as every page creation does (wiki/receivers.py)

    def referentiel_create(self) -> None:
        from wiki.models import HomePage, Institution, Profession, ReferentielPage, Specialty

        self.referentiels += 1
        n = self.referentiels
        referentiel = ReferentielPage(
            title=f"Référentiel de croissance n° {n} — santé numérique",
            slug=f"referentiel-croissance-{n:03d}",
            college=Institution.objects.get(slug="cerf"),
            specialty=Specialty.objects.get(slug="radiologie-et-imagerie-medicale"),
            cycle="3",
            intro="Référentiel généré pour mesurer la croissance du wiki.",
        )
        referentiel.professions = list(Profession.objects.filter(in_socle=True)[:4])
        HomePage.objects.get().add_child(instance=referentiel)
        referentiel.save_revision().publish()
        self.referentiel = ReferentielPage.objects.get(pk=referentiel.pk)
        self.domains_in_referentiel = 0
        self.domain = None
        self.ref_row = {
            "id": self.referentiel.pk,
            "path": self.referentiel.path,
            "depth": self.referentiel.depth,
            "url_path": self.referentiel.url_path,
            "children": 0,
            "referentiel_id": self.referentiel.pk,
            "college_id": self.referentiel.college_id,
            "locale_id": self.referentiel.locale_id,
            "code": f"G{n:03d}",
        }

    def referentiel_row(self) -> dict:
        return self.ref_row

    def plan_page(self, parent: dict, *, kind: str) -> dict:
        from wagtail.models import Page

        parent["children"] += 1
        index = parent["children"]
        if kind == "domain":
            code = f"{parent['code']}-D{index:02d}"
            title = f"{OBJECTS[index % len(OBJECTS)].capitalize()} — {CONTEXTS[index % 12]} {code}"
            slug = f"domaine-{code.lower()}"
        else:
            code = f"{parent['code']}-C{index:03d}"
            title = (
                f"{self.rng.choice(VERBS)} {self.rng.choice(OBJECTS)} "
                f"{self.rng.choice(CONTEXTS)} ({code})"
            )
            slug = f"competence-{code.lower()}"
        if not self.free_ids:
            self.free_ids = next_ids(Page, FLUSH_PAGES)[::-1]
        row = {
            "id": self.free_ids.pop(),
            "kind": kind,
            "path": Page._get_path(parent["path"], parent["depth"] + 1, index),
            "depth": parent["depth"] + 1,
            "url_path": f"{parent['url_path']}{slug}/",
            "slug": slug,
            "title": title,
            "code": code,
            "children": 0,
            "parent_id": parent["id"],
            "referentiel_id": parent["referentiel_id"],
            "college_id": parent["college_id"],
            "locale_id": parent["locale_id"],
            "created_at": self.when(),
        }
        self.pending.append(row)
        return row

    def flush(self) -> None:
        """Write the planned pages: revisions, pages, specific rows, learning outcomes, links
        and changes, in one transaction; then fix the parents' numchild."""
        from django.db import connection, transaction
        from wagtail.models import Page, Revision

        from wiki.models import Change, CompetencyPage, DomainPage, LearningOutcome, PageLink

        rows, self.pending = self.pending, []
        if not rows:
            return
        revision_ids = next_ids(Revision, len(rows))
        socle = self.socle_titles
        for row, revision_id in zip(rows, revision_ids, strict=True):
            row["revision_id"] = revision_id
            if row["kind"] == "competency":
                row["statement"] = " ".join(self.rng.sample(SENTENCES, 2))
                targets = [self.rng.choice(socle)] if socle else []
                if self.generated_codes:
                    targets.append(self.rng.choice(self.generated_codes))
                row["targets"] = targets
                row["body"] = " ".join(self.rng.sample(SENTENCES, 5)) + "".join(
                    f" Voir [[{t}]]." for t in targets
                )
                row["outcome"] = self.rng.choice(SENTENCES)
                self.generated_codes.append(row["code"])
            else:
                row["intro"] = f"Compétences relatives à {row['title'].split(' — ')[0].lower()}."
        by_code = dict(
            CompetencyPage.objects.filter(
                code__in={t for r in rows for t in r.get("targets", [])}
            ).values_list("code", "pk")
        )
        by_code.update({r["code"]: r["id"] for r in rows if r["kind"] == "competency"})
        by_title = dict(
            CompetencyPage.objects.filter(title__in=socle, live=True).values_list("title", "pk")
        )
        with transaction.atomic():
            copy_rows(
                Revision,
                [
                    {
                        "id": r["revision_id"],
                        "content_type_id": self.types[
                            CompetencyPage if r["kind"] == "competency" else DomainPage
                        ].pk,
                        "base_content_type_id": self.page_type.pk,
                        "object_id": str(r["id"]),
                        "created_at": r["created_at"],
                        "user_id": self.user_id,
                        "object_str": r["title"],
                        "content": revision_content(r),
                    }
                    for r in rows
                ],
            )
            copy_rows(
                Page,
                [
                    {
                        "id": r["id"],
                        "path": r["path"],
                        "depth": r["depth"],
                        "numchild": 0,
                        "translation_key": uuid.uuid4(),
                        "locale_id": r["locale_id"],
                        "latest_revision_id": r["revision_id"],
                        "live_revision_id": r["revision_id"],
                        "live": True,
                        "has_unpublished_changes": False,
                        "first_published_at": r["created_at"],
                        "last_published_at": r["created_at"],
                        "latest_revision_created_at": r["created_at"],
                        "owner_id": self.user_id,
                        "title": r["title"],
                        "draft_title": r["title"],
                        "slug": r["slug"],
                        "url_path": r["url_path"],
                        "content_type_id": self.types[
                            CompetencyPage if r["kind"] == "competency" else DomainPage
                        ].pk,
                    }
                    for r in rows
                ],
            )
            competencies = [r for r in rows if r["kind"] == "competency"]
            copy_rows(
                DomainPage,
                [
                    {"page_ptr_id": r["id"], "code": r["code"], "intro": r["intro"]}
                    for r in rows
                    if r["kind"] == "domain"
                ],
            )
            copy_rows(
                CompetencyPage,
                [
                    {
                        "page_ptr_id": r["id"],
                        "code": r["code"],
                        "statement": r["statement"],
                        "body": r["body"],
                    }
                    for r in competencies
                ],
            )
            copy_rows(
                LearningOutcome,
                [{"page_id": r["id"], "sort_order": 0, "text": r["outcome"]} for r in competencies],
            )
            copy_rows(
                PageLink,
                [
                    {
                        "source_id": r["id"],
                        "target_id": by_code.get(t) or by_title.get(t),
                        "target_text": t,
                        "in_live": True,
                        "in_latest": True,
                    }
                    for r in competencies
                    for t in dict.fromkeys(r["targets"])
                ],
            )
            copy_rows(
                Change,
                [
                    {
                        "revision_id": r["revision_id"],
                        "page_id": r["id"],
                        "referentiel_id": r["referentiel_id"],
                        "college_id": r["college_id"],
                        "user_id": self.user_id,
                        "created_at": r["created_at"],
                        "kind": Change.Kind.CREATE,
                        "title": r["title"],
                        "summary": "Création",
                        "size": len(r.get("body") or r.get("intro") or ""),
                        "size_delta": len(r.get("body") or r.get("intro") or ""),
                        "patrolled_at": r["created_at"],
                        "patrolled_by_id": self.user_id,
                        "autopatrolled": True,
                        "published_at": r["created_at"],
                    }
                    for r in rows
                ],
            )
            parents = {r["parent_id"] for r in rows}
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE wagtailcore_page AS p SET numchild = ("
                    " SELECT count(*) FROM wagtailcore_page AS c"
                    " WHERE c.path LIKE p.path || '%%' AND c.depth = p.depth + 1)"
                    " WHERE p.id = ANY(%s)",
                    [list(parents)],
                )


def revision_content(row: dict) -> dict:
    """What Wagtail's serialisation of the page holds (enough for with_content_json)."""
    content = {
        "pk": row["id"],
        "path": row["path"],
        "depth": row["depth"],
        "title": row["title"],
        "draft_title": row["title"],
        "slug": row["slug"],
        "url_path": row["url_path"],
        "live": True,
        "code": row["code"],
        "locale": row["locale_id"],
    }
    if row["kind"] == "competency":
        content.update(
            statement=row["statement"],
            body=row["body"],
            rank="",
            references="",
            learning_outcomes=[{"pk": None, "page": row["id"], "text": row["outcome"]}],
        )
    else:
        content["intro"] = row["intro"]
    return content


def revisions_add(target: int, rng: random.Random, user_ids: list[int]) -> float:
    """Edits of generated competencies until there are `target` changes; returns seconds."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Revision

    from wiki.models import Change, CompetencyPage, ReferentielPage

    started = time.perf_counter()
    missing = target - Change.objects.count()
    if missing <= 0:
        return 0.0
    pages = list(
        CompetencyPage.objects.filter(code__startswith="G").values_list(
            "pk", "title", "path", "url_path"
        )
    )
    referentiels = {
        path: (pk, college_id)
        for pk, path, college_id in ReferentielPage.objects.values_list("pk", "path", "college_id")
    }
    prefix = len(next(iter(referentiels)))  # every référentiel is a child of the home page
    competency_type = ContentType.objects.get_for_model(CompetencyPage).pk
    page_type = ContentType.objects.get(app_label="wagtailcore", model="page").pk
    now = timezone.now()
    while missing > 0:
        n = min(REVISION_BATCH, missing)
        revision_ids = next_ids(Revision, n)
        picks = [pages[rng.randrange(len(pages))] for _ in range(n)]
        when = [now - timedelta(seconds=rng.random() * 365 * 86400) for _ in range(n)]
        authors = [user_ids[rng.randrange(len(user_ids))] for _ in range(n)]
        with transaction.atomic():
            copy_rows(
                Revision,
                [
                    {
                        "id": rid,
                        "content_type_id": competency_type,
                        "base_content_type_id": page_type,
                        "object_id": str(pk),
                        "created_at": created,
                        "user_id": author,
                        "object_str": title,
                        "content": {"pk": pk, "title": title, "statement": f"Version {rid}"},
                    }
                    for rid, (pk, title, _path, _url), created, author in zip(
                        revision_ids, picks, when, authors, strict=True
                    )
                ],
            )
            rows = []
            for rid, (pk, title, path, _url), created, author in zip(
                revision_ids, picks, when, authors, strict=True
            ):
                referentiel_id, college_id = referentiels[path[:prefix]]
                patrolled = rng.random() < 0.7
                rows.append(
                    {
                        "revision_id": rid,
                        "page_id": pk,
                        "referentiel_id": referentiel_id,
                        "college_id": college_id,
                        "user_id": author,
                        "created_at": created,
                        "kind": Change.Kind.EDIT,
                        "title": title,
                        "summary": "Reformulation de l'énoncé",
                        "size": 1000 + rng.randrange(500),
                        "size_delta": rng.randrange(-200, 200),
                        "patrolled_at": created if patrolled else None,
                        "patrolled_by_id": author if patrolled else None,
                        "autopatrolled": False,
                        # Most edits are published at once; the rest stay drafts.
                        "published_at": created if rng.random() < 0.8 else None,
                    }
                )
            copy_rows(Change, rows)
        missing -= n
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


# ---------------------------------------------------------------- checks and measurements


def sample_check(rng: random.Random, client) -> int:
    """A few generated pages render (200, their title shown) and the search finds each by its
    code. Returns how many were checked."""
    from django.utils.html import escape

    from wiki.models import CompetencyPage

    sample = list(CompetencyPage.objects.filter(code__startswith="G").order_by("?")[:5])
    for page in sample:
        code, title, url = page.code, page.title, page.url
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert escape(title) in response.content.decode(), url
        found = client.get("/api/search/?" + urllib.parse.urlencode({"q": code})).json()
        codes = [item.get("code") for item in found["results"]]
        assert code in codes, (code, codes[:5])
    return len(sample)


@dataclass
class Figures:
    pages: int
    built_s: float
    cold: list[float]
    rendered: list[float]
    cached: list[float]
    search: list[float]
    reindex_s: float
    reindexed: int
    load: float


def measure(pages: int, built_s: float, heavy_url: str, requests: int) -> Figures:
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    from search.indexing import index_rebuild

    report = index_rebuild()
    client = Client()
    sample_check(random.Random(pages), client)
    settings.WIKI_PAGE_CACHE_SECONDS = 0
    cold = timed(client, heavy_url, max(10, requests // 4), before=cache.clear)
    timed(client, heavy_url, 10)  # warm the rendered-Markdown cache again
    rendered = timed(client, heavy_url, requests)
    settings.WIKI_PAGE_CACHE_SECONDS = 300
    response = client.get(heavy_url)
    assert client.get(heavy_url).get("X-Page-Cache") == "hit", response.headers
    cached = timed(client, heavy_url, requests)
    urls = ["/recherche/?" + urllib.parse.urlencode({"q": q}) for q in SEARCH_QUERIES]
    for url in urls:  # warm-up: connections, caches
        client.get(url)
    search = []
    for i in range(requests):
        search += timed(client, urls[i % len(urls)], 1)
    return Figures(
        pages=pages,
        built_s=built_s,
        cold=cold,
        rendered=rendered,
        cached=cached,
        search=search,
        reindex_s=report.seconds,
        reindexed=report.documents,
        load=os.getloadavg()[0],
    )


def recent_changes_first_page(requests: int) -> list[float]:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    url = reverse("wiki:recent-changes")
    timed(client, url, 20)  # warm-up
    return timed(client, url, requests)


# ---------------------------------------------------------------- report


def thousands(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def report(figures: list[Figures], rc: list[float] | None, changes: int, rc_built: float) -> bool:
    """Print the growth table; True when every target is met."""
    header = (
        f"{'pages':>8} {'built':>7} {'view cold':>10} {'view render':>12} {'view cached':>12} "
        f"{'search':>8} {'reindex':>9} {'µs/page':>8} {'load':>5}"
    )
    print("growth table (p95 in ms; reindex: full rebuild, documents of every kind)")
    print(header)
    for f in figures:
        print(
            f"{f.pages:>8,} {f.built_s:>6.0f}s {p95(f.cold):>10.1f} {p95(f.rendered):>12.1f} "
            f"{p95(f.cached):>12.2f} {p95(f.search):>8.1f} {f.reindex_s:>8.1f}s "
            f"{f.reindex_s / f.reindexed * 1e6:>8.0f} {f.load:>5.1f}".replace(",", " ")
        )
    ok = True
    if len(figures) >= 2:
        first, last = figures[0], figures[-1]
        print(
            f"ratios {last.pages:,}/{first.pages:,} pages (target ≤ {TARGET_RATIO}x)".replace(
                ",", " "
            )
        )
        rows = [
            ("page view, cold render", p95(last.cold) / p95(first.cold)),
            ("page view, rendered", p95(last.rendered) / p95(first.rendered)),
            ("page view, page cache", p95(last.cached) / p95(first.cached)),
            ("public search", p95(last.search) / p95(first.search)),
            (
                "reindex time per page",
                (last.reindex_s / last.reindexed) / (first.reindex_s / first.reindexed),
            ),
        ]
        for label, ratio in rows:
            passed = ratio <= TARGET_RATIO
            ok &= passed
            print(f"  {label:<26} {ratio:5.2f}x  {verdict(passed)}")
    if rc is not None:
        passed = p95(rc) < TARGET_RC_P95_MS
        ok &= passed
        print(
            f"recent changes over {thousands(changes)} changes (added in {rc_built:.0f} s), "
            "first page "
            f"(public): p50 {statistics.median(rc):.1f} ms, p95 {p95(rc):.1f} ms "
            f"(target < {TARGET_RC_P95_MS:.0f} ms)  {verdict(passed)}"
        )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} CPUs, load average {load} at the end")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default=DEFAULT_SIZES,
        help="pages at each step; the full table is 1000,10000,100000 (see the docstring)",
    )
    parser.add_argument("--revisions", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the database (its URL is printed) to study it; with --requests 0, only build",
    )
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())

    url, name = temporary_database_url("bench_growth")
    os.environ["DATABASE_URL"] = url
    os.environ["SEARCH_INDEX_PREFIX"] = f"benchgrowth{os.getpid()}"
    os.environ["CACHE_KEY_PREFIX"] = f"benchgrowth{os.getpid()}"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from search.connection import elasticsearch_available
    from wiki.models import Change
    from wiki.services.seeding import initial_data_load

    if not elasticsearch_available():
        print("Elasticsearch is not reachable: run `make services`.", file=sys.stderr)
        return 1
    figures: list[Figures] = []
    rc, changes, rc_built = None, 0, 0.0
    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        initial_data_load(with_accounts=False)
        heavy_url = heavy_page_create()
        users = [get_user_model().objects.create_user(f"bench.croissance{i}").pk for i in range(30)]
        rng = random.Random(14)
        grower = Grower(rng=rng, user_id=users[0], now=timezone.now())
        log(f"setup in {time.perf_counter() - started:.0f} s")
        for size in sizes:
            t0 = time.perf_counter()
            grower.grow_to(size)
            with django.db.connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            built = time.perf_counter() - t0
            log(f"{size} pages built in {built:.0f} s; measuring")
            if not args.requests:
                continue
            figures.append(measure(size, built, heavy_url, args.requests))
            f = figures[-1]
            log(
                f"  cold {p95(f.cold):.1f} render {p95(f.rendered):.1f} cached "
                f"{p95(f.cached):.2f} search {p95(f.search):.1f} reindex {f.reindex_s:.1f} s"
            )
        if args.revisions:
            rc_built = revisions_add(args.revisions, rng, users)
            changes = Change.objects.count()
            log(f"{changes} changes in {rc_built:.0f} s; measuring recent changes")
            if args.requests:
                rc = recent_changes_first_page(args.requests * 2)
    finally:
        if args.keep:
            prefix = os.environ["SEARCH_INDEX_PREFIX"]
            log(f"kept: DATABASE_URL={url} SEARCH_INDEX_PREFIX={prefix}")
        else:
            cleanup(name)
    ok = report(figures, rc, changes, rc_built)
    print("all growth targets met" if ok else "MISSED: see the MISS lines above")
    return 0 if ok else 1


def cleanup(name: str) -> None:
    """Drop this run's cache entries, indices and database."""
    from django.core.cache import cache

    from search.connection import client
    from search.indexing import index_drop_all

    try:
        cache.clear()
        index_drop_all()
        client().indices.delete(
            index=f"{os.environ['SEARCH_INDEX_PREFIX']}*",
            ignore_unavailable=True,
            allow_no_indices=True,
        )
    finally:
        drop_database(name)


if __name__ == "__main__":
    sys.exit(main())
