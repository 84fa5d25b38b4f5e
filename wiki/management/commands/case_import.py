"""`manage.py case_import FILE.json [--college SLUG] [--specialty SLUG] [--cycle 2|3]`: a CASE
1.1 CFPackage as a new draft référentiel; the last line printed is its slug.

An invalid package exits with status 2 and names the JSON path of its first error."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wiki.models import Institution, Specialty
from wiki.models.pages import Cycle
from wiki.services.case_import import CaseImportRefused, case_import

DEFAULT_COLLEGE = "cncem"


class Command(BaseCommand):
    help = "Import a CASE 1.1 CFPackage (JSON) as a new draft référentiel."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--college",
            default=DEFAULT_COLLEGE,
            help=f"slug of the owning institution (default: {DEFAULT_COLLEGE})",
        )
        parser.add_argument("--specialty", help="slug of the specialty (default: none)")
        parser.add_argument("--cycle", default=Cycle.THIRD, choices=Cycle.values)

    def handle(self, file: str, college: str, specialty: str | None, cycle: str, **options):
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}", returncode=2) from None
        owner = Institution.objects.filter(slug=college).first()
        if owner is None:
            raise CommandError(f"No institution has the slug « {college} ».", returncode=2)
        chosen = None
        if specialty:
            chosen = Specialty.objects.filter(slug=specialty).first()
            if chosen is None:
                raise CommandError(f"No specialty has the slug « {specialty} ».", returncode=2)
        try:
            result = case_import(data=data, college=owner, specialty=chosen, cycle=cycle)
        except CaseImportRefused as refused:
            raise CommandError(str(refused.message), returncode=2) from None
        referentiel = result.referentiel
        if result.created:
            count = referentiel.get_descendants().count()
            self.stdout.write(f"{count} pages imported as drafts under « {referentiel.title} ».")
        else:
            self.stdout.write("This package was already imported: nothing created.")
        self.stdout.write(referentiel.slug)
