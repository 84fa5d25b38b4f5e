from django.core.management.base import BaseCommand

from wiki.services.seeding import initial_data_load


class Command(BaseCommand):
    help = (
        "Load the référentiel socle, institutions, pilot référentiels and demo accounts "
        "(idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-accounts", action="store_true", help="Skip the demo accounts.")

    def handle(self, *args, **options):
        report = initial_data_load(with_accounts=not options["no_accounts"])
        if report.total:
            details = ", ".join(f"{k}: {v}" for k, v in sorted(report.created.items()))
            self.stdout.write(self.style.SUCCESS(f"Created {details}."))
        else:
            self.stdout.write("Nothing to do: the initial data is already there.")
