"""Give every existing référentiel a lifecycle workflow state matching its phase (today's data).

It calls the lifecycle service (real models) on purpose: building Wagtail workflow and task
states from historical models would duplicate Wagtail's own logic. On a fresh database there
is no référentiel and nothing runs; on an existing one the schema is the one of this release.
"""

from django.db import migrations


def backfill(apps, schema_editor):
    if not apps.get_model("wiki", "ReferentielPage").objects.exists():
        return
    from consensus.services.lifecycle import lifecycle_start
    from wiki.models import ReferentielPage

    for referentiel in ReferentielPage.objects.order_by("path"):
        lifecycle_start(
            referentiel=referentiel,
            phase=referentiel.phase,
            validated=referentiel.status == ReferentielPage.Status.VALIDATED,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("consensus", "0005_lifecycle"),
        ("wiki", "0010_lifecycle_fields"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
