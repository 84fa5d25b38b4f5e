"""Index the changes queued while Elasticsearch was unreachable (run it from cron, or after an
outage; web processes also do it by themselves once they reach the node again)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from search.indexing import pending_flush
from search.models import PendingIndexing


class Command(BaseCommand):
    help = "Index the changes queued while Elasticsearch was unreachable."

    def handle(self, *args, **options):
        if not settings.ELASTICSEARCH_URL:
            raise CommandError("ELASTICSEARCH_URL is not set: there is no index to update.")
        try:
            done = pending_flush()
        except Exception as error:
            left = PendingIndexing.objects.count()
            raise CommandError(
                f"Elasticsearch did not accept the changes ({left} queued): {error}"
            ) from error
        self.stdout.write(f"{done} queued changes indexed.")
