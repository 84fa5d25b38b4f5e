"""Rebuild the search index from the database into a new index, then swap the alias."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from search.indexing import alias_name, documents_count, index_rebuild
from wiki.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Rebuild the search index into a new index and swap the alias atomically: searches "
        "keep working during the rebuild."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        if not settings.ELASTICSEARCH_URL:
            raise CommandError("ELASTICSEARCH_URL is not set: there is no index to rebuild.")
        total = documents_count()
        bar = None if options["quiet_progress"] else ProgressBar(total, sys.stderr)
        try:
            report = index_rebuild(progress=bar.advance if bar else None)
        except Exception as error:
            raise CommandError(
                f"Rebuild failed, the previous index is still in use: {error}"
            ) from error
        finally:
            if bar:
                bar.finish()
        self.stdout.write(
            f"{report.documents} objects indexed into {report.index} in {report.seconds:.1f} s; "
            f"alias {alias_name()} now points to it; {report.pending} queued changes indexed."
        )
