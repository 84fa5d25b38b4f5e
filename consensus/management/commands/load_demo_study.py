from django.core.management.base import BaseCommand

from consensus.services.amendment_seeding import demo_amendment_load
from consensus.services.seeding import demo_lifecycle_load, demo_study_load


class Command(BaseCommand):
    help = (
        "Load the demo Delphi study on the radiology pilot (idempotent; after load_initial_data)."
    )

    def handle(self, *args, **options):
        study = demo_study_load()
        if study is None:
            self.stderr.write("The seed data is missing: run load_initial_data first.")
            return
        self.stdout.write(f"Demo Delphi study: {study.title}")
        demo_lifecycle_load()
        self.stdout.write("Demo lifecycle: committee seats and the radiology pilot's référent.")
        self.stdout.write(demo_amendment_load())
