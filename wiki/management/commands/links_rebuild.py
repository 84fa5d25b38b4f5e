import sys

from django.core.management.base import BaseCommand

from wiki.progress import ProgressBar
from wiki.services.links import page_links_rebuild, page_links_rebuild_count


class Command(BaseCommand):
    help = "Recompute the wiki's link graph (« Pages liées », « Pages demandées »)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options) -> None:
        bar = None
        if not options["quiet_progress"]:
            bar = ProgressBar(page_links_rebuild_count(), sys.stderr)
        try:
            total = page_links_rebuild(progress=bar.advance if bar else None)
        finally:
            if bar:
                bar.finish()
        self.stdout.write(self.style.SUCCESS(f"{total} links recorded."))
