"""Rebuild the search index from the database into a new index, then swap the alias."""

import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from search.indexing import alias_name, documents_count, index_rebuild


class ProgressBar:
    """A one-line progress bar on a terminal; a line every 10 % otherwise (logs, CI)."""

    WIDTH = 40

    def __init__(self, total: int, stream) -> None:
        self.total, self.done, self.stream = max(total, 1), 0, stream
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.started = time.monotonic()
        self._last_decile = -1

    def advance(self, count: int) -> None:
        self.done += count
        ratio = min(1.0, self.done / self.total)
        if self.tty:
            filled = int(ratio * self.WIDTH)
            bar = "#" * filled + "." * (self.WIDTH - filled)
            self.stream.write(f"\r[{bar}] {self.done}/{self.total} ({ratio:4.0%})")
            self.stream.flush()
        elif int(ratio * 10) > self._last_decile:
            self._last_decile = int(ratio * 10)
            self.stream.write(f"{self.done}/{self.total} ({ratio:.0%})\n")

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")


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
