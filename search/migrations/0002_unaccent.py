"""PostgreSQL's unaccent extension, for the database fallback search (a no-op on SQLite)."""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("wikisearch", "0001_initial")]

    operations = [UnaccentExtension()]
