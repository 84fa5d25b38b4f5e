import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from wiki.roles import ROLE_LABELS


class Command(BaseCommand):
    help = "Print the demo URL and accounts (demo settings only)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, **options):
        accounts = json.loads((Path(settings.FIXTURES_DIR) / "accounts.json").read_text("utf-8"))
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS(f"Wiki IA_SaNSeS : {options['url']}"))
        out.write(f"Administration : {options['url']}admin/")
        if not settings.DEMO_PASSWORD:
            out.write("Demo accounts have no password outside the demo settings.")
            return
        out.write(f"Comptes de démonstration (mot de passe : {settings.DEMO_PASSWORD}) :")
        for account in accounts:
            role = str(ROLE_LABELS.get(account["role"], account["role"]))
            college = f" — {account['college']}" if account.get("college") else ""
            out.write(f"  {account['username']:<28} {role}{college}")
        out.write("")
