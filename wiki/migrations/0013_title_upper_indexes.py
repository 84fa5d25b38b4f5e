"""Case-insensitive title lookups without a scan of the page table: wikilinks resolve by
UPPER(title) / UPPER(draft_title) (wiki.selectors.links, wiki.services.links). Wagtail's page
table is not ours to declare indexes on, so these are plain SQL (PostgreSQL and SQLite both
accept it)."""

from django.db import migrations

PAGE_INDEXES = {
    "wiki_page_title_upper": "title",
    "wiki_page_draft_title_upper": "draft_title",
}


class Migration(migrations.Migration):
    dependencies = [
        ("wiki", "0012_case_imports"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        *(
            migrations.RunSQL(
                f"CREATE INDEX IF NOT EXISTS {name} ON wagtailcore_page (UPPER({column}))",
                f"DROP INDEX IF EXISTS {name}",
            )
            for name, column in PAGE_INDEXES.items()
        ),
        # Expression indexes get their statistics from ANALYZE: without them, the planner
        # guesses and may keep reading a large table until autovacuum gets to it.
        migrations.RunSQL("ANALYZE wagtailcore_page", migrations.RunSQL.noop),
    ]
