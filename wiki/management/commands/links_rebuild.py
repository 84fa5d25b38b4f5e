from django.core.management.base import BaseCommand

from wiki.services.links import page_links_rebuild


class Command(BaseCommand):
    help = "Recompute the wiki's link graph (« Pages liées », « Pages demandées »)."

    def handle(self, *args, **options) -> None:
        total = page_links_rebuild()
        self.stdout.write(self.style.SUCCESS(f"{total} links recorded."))
