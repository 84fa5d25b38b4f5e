import time

from django.core.management.base import BaseCommand

from consensus.services.amendment_seeding import demo_amendment_load
from consensus.services.seeding import demo_cycle_load, demo_lifecycle_load, demo_study_load


class Command(BaseCommand):
    help = (
        "Load the demo Delphi studies and take the radiology pilot through its whole cycle to "
        "edition 1.0 (idempotent; after load_initial_data)."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        study = demo_study_load()
        if study is None:
            self.stderr.write("The seed data is missing: run load_initial_data first.")
            return
        self.stdout.write(f"Demo Delphi study: {study.title}")
        demo_lifecycle_load()
        self.stdout.write("Demo lifecycle: committee seats and the radiology pilot's référent.")
        for slug, where in demo_cycle_load().items():
            self.stdout.write(f"Demo cycle: {slug} — {where}")
        self.stdout.write(demo_amendment_load())
        self.stdout.write(f"Demo loaded in {time.perf_counter() - started:.1f} s.")
