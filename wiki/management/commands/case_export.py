"""`manage.py case_export SLUG [--version V] -o OUT.json`: a référentiel as a CASE 1.1 CFPackage.

Without --version: the latest edition, or the published pages of a référentiel that has none;
with it, that edition. An edition's package is the one `/referentiels/<slug>/v<version>/
export.json` serves (same bytes)."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wiki.case_catalogue import edition_case_bytes, referentiel_case_bytes
from wiki.exports.case import case_errors
from wiki.services.editions import edition_get
from wiki.snapshots import public_referentiel


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
            data = edition_case_bytes(found)
        else:
            data = referentiel_case_bytes(referentiel)
        package = json.loads(data)
        errors = case_errors(package)
        if errors:  # a defect of ours, never of the user's input
            raise CommandError("The package does not validate: " + errors[0])
        if output:
            Path(output).write_bytes(data)
            self.stdout.write(f"{len(package['CFItems'])} items written to {output}")
        else:
            sys.stdout.buffer.write(data)
