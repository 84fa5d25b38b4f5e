"""`manage.py case_export SLUG [--version V] -o OUT.json`: a référentiel as a CASE 1.1 CFPackage.

Without --version: the published pages of today; with it, that edition (its snapshot)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wiki.exports.case import LIVE, case_bytes, case_errors, case_package
from wiki.services.editions import edition_get, edition_snapshot
from wiki.snapshots import public_referentiel, referentiel_snapshot_live


class Command(BaseCommand):
    help = "Export a published référentiel as a CASE 1.1 CFPackage (JSON)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs):
        # --version names the edition to export here, not Django's version: ours wins.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--version", dest="edition", help="edition to export (e.g. 1.0)")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, slug: str, edition: str | None, output: str | None, **options) -> None:
        referentiel = public_referentiel(slug)
        if referentiel is None:
            raise CommandError(f"No published référentiel has the slug « {slug} ».", returncode=2)
        if edition is not None:
            found = edition_get(slug, edition)
            if found is None:
                raise CommandError(f"« {slug} » has no edition {edition}.", returncode=2)
            package = case_package(
                edition_snapshot(found), key=found.version, socle_key=found.socle_version or LIVE
            )
        else:
            package = case_package(referentiel_snapshot_live(referentiel))
        errors = case_errors(package)
        if errors:  # a defect of ours, never of the user's input
            raise CommandError("The package does not validate: " + errors[0])
        data = case_bytes(package)
        if output:
            Path(output).write_bytes(data)
            self.stdout.write(f"{len(package['CFItems'])} items written to {output}")
        else:
            sys.stdout.buffer.write(data)
