"""Wikilinks resolve by title through indexes, not by reading every page: what keeps a cold
render of a page with 50 wikilinks flat from 1 000 to 100 000 pages (benchmarks/bench_growth.py).

The seeded database is small, so the planner would rightly read the few rows; sequential scans
are switched off inside the test's transaction so that the plan shows which index the query can
use (none: it reads the table anyway)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wiki.selectors import wikilink_targets_resolved
from wiki.services.links import link_targets_resolve
from wiki.visibility import PUBLIC, reader_for

pytestmark = pytest.mark.django_db

TITLES = ["Cybersécurité", "Une page qui n'existe pas", "communication"]


def plans(run) -> list[str]:
    """The PostgreSQL plans of the queries `run` sends, sequential scans discouraged."""
    with CaptureQueriesContext(connection) as captured:
        run()
    found = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for query in captured.captured_queries:
            if query["sql"].upper().startswith(("SAVEPOINT", "RELEASE", "SET")):
                continue
            cursor.execute("EXPLAIN " + query["sql"])
            found.append("\n".join(row[0] for row in cursor.fetchall()))
    return found


def title_lookup_plans(found: list[str]) -> list[str]:
    return [plan for plan in found if "upper" in plan.lower()]


@pytest.mark.parametrize("reader", ["public", "editor"])
def test_rendering_resolves_titles_through_the_upper_title_indexes(reader, django_user_model):
    who = (
        PUBLIC
        if reader == "public"
        else reader_for(django_user_model.objects.get(username="editeur.radiologie"))
    )
    resolved = wikilink_targets_resolved(TITLES, reader=who)
    assert set(resolved) == {"Cybersécurité", "communication"}

    lookups = title_lookup_plans(plans(lambda: wikilink_targets_resolved(TITLES, reader=who)))

    assert len(lookups) == 1, lookups
    assert "wiki_page_title_upper" in lookups[0], lookups[0]
    assert "wiki_page_draft_title_upper" in lookups[0], lookups[0]


def test_the_link_graph_resolves_titles_through_the_upper_title_index():
    lookups = title_lookup_plans(plans(lambda: link_targets_resolve(TITLES)))

    assert len(lookups) == 1, lookups
    assert "wiki_page_title_upper" in lookups[0], lookups[0]
