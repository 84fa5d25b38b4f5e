"""`manage.py edition_publish SLUG --kind major|minor`: freeze the published pages of a
référentiel as its next edition (1.0 first), with a progress bar on the terminal."""

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from wiki import visibility
from wiki.models import CompetencyPage, EditionRefused, ReferentielPage
from wiki.services.editions import edition_publish


class Command(BaseCommand):
    help = "Publish the next edition of a référentiel from its published pages."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--kind", choices=["major", "minor"], default="major")
        parser.add_argument("--changelog", default="", help="a short note on this edition")
        parser.add_argument("--quiet-progress", action="store_true", help="No progress bar.")

    def handle(self, slug: str, kind: str, changelog: str, **options) -> None:
        referentiel = ReferentielPage.objects.filter(slug=slug).first()
        if referentiel is None:
            raise CommandError(f"No référentiel has the slug « {slug} ».", returncode=2)
        total = (
            visibility.published_pages(CompetencyPage.objects, visibility.PUBLIC)
            .descendant_of(referentiel)
            .filter(withdrawn=False)
            .count()
        )
        progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            disable=options["quiet_progress"],
            transient=False,
        )
        with progress:
            task = progress.add_task("Compétences", total=total)
            try:
                edition = edition_publish(
                    referentiel=referentiel,
                    kind=kind,
                    provenance={"source": "command"},
                    changelog=changelog,
                    progress=lambda n: progress.advance(task, n),
                )
            except EditionRefused as error:
                raise CommandError(str(error.message), returncode=2) from None
        self.stdout.write(
            f"Édition {edition.version} de « {referentiel.title} » publiée "
            f"({len(edition.snapshot['domains'])} domaines, {total} compétences)."
        )
