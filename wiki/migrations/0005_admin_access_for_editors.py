from django.db import migrations

# Roles that do not edit pages lose the Wagtail admin (wiki.roles.ADMIN_ROLES).
NON_EDITING_GROUPS = ("Patrouilleurs", "Animateurs Delphi", "Panélistes", "Éditeurs de confiance")


def admin_access_removed(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    access = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    if access is None:
        return
    for group in Group.objects.filter(name__in=NON_EDITING_GROUPS):
        group.permissions.remove(access)


class Migration(migrations.Migration):
    dependencies = [("wiki", "0004_visibility"), ("wagtailadmin", "0001_create_admin_access_permissions")]

    operations = [migrations.RunPython(admin_access_removed, migrations.RunPython.noop)]
