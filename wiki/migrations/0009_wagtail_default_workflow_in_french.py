"""Wagtail's default workflow and task are data, created in English by its migration 0048
(« Moderators approval »): they show as such in Wagtail's French admin. Renamed in French, only
while they still carry Wagtail's default name."""

from django.db import migrations

DEFAULT_NAME = "Moderators approval"
FRENCH_NAME = "Validation par les modérateurs"


def default_workflow_in_french(apps, schema_editor):
    for model in ("Workflow", "Task"):
        apps.get_model("wagtailcore", model).objects.filter(name=DEFAULT_NAME).update(
            name=FRENCH_NAME
        )


def default_workflow_in_english(apps, schema_editor):
    for model in ("Workflow", "Task"):
        apps.get_model("wagtailcore", model).objects.filter(name=FRENCH_NAME).update(
            name=DEFAULT_NAME
        )


class Migration(migrations.Migration):
    dependencies = [
        ("wagtailcore", "0098_apitoken"),
        ("wiki", "0008_line_endings_lf"),
    ]

    operations = [
        migrations.RunPython(default_workflow_in_french, default_workflow_in_english),
    ]
