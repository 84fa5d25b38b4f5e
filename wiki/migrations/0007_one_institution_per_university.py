"""One institution per university in existing databases.

Before 0006 the seed created an institution per spelling found in the sources (« Université
Franche-Comté » and « Université de Franche-Comté » were two) and one for a joint label
(« Université de Rennes 1 + Antilles »). This merges the spellings into the canonical institution
of fixtures/universities.json (references moved, duplicates deleted) and splits joint leads into
lead + co-leads. The table is copied here: a migration must not change when the fixture does."""

import re
import unicodedata

from django.db import migrations

CANONICAL = [
    ("universite-de-franche-comte", "Université de Franche-Comté",
     ["Université Franche-Comté", "Université de Besançon Franche-Comté"]),
    ("universite-jean-monnet-saint-etienne", "Université Jean Monnet Saint-Étienne",
     ["Université Jean Monnet", "Université Saint Etienne"]),
    ("universite-de-reims-champagne-ardenne", "Université de Reims Champagne-Ardenne",
     ["Université Reims Champagne Ardenne", "Université de Reims Champagne Ardenne"]),
    ("universite-de-versailles-saint-quentin-en-yvelines",
     "Université de Versailles Saint-Quentin-en-Yvelines",
     ["Université de Versailles-Saint Quentin en Yvelines", "Université de Versailles-St Quentin"]),
    ("universite-cote-d-azur", "Université Côte d'Azur",
     ["Université de Nice Côte d'Azur", "Nice côte d'azur"]),
    ("ehesp", "École des hautes études en santé publique",
     ["Ecole des hautes études en santé publique (EHESP)"]),
    ("imt", "Institut Mines-Télécom", ["Institut Mines-Télécom (IMT)"]),
]  # fmt: skip
JOINT = {
    "Université de Rennes 1 + Antilles": [
        ("universite-de-rennes-1", "Université de Rennes 1"),
        ("universite-des-antilles", "Université des Antilles"),
    ],
    "Université de Rouen Normandie + Nice côte d'azur": [
        ("universite-de-rouen-normandie", "Université de Rouen Normandie"),
        ("universite-cote-d-azur", "Université Côte d'Azur"),
    ],
}


def _fold(label):
    text = unicodedata.normalize("NFKD", label.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.findall(r"[a-z0-9]+", text))


def _references(Institution):
    """(model, field name) of every non-historical foreign key to Institution, the foreign keys
    of many-to-many tables included (hidden relations too: `related_name="+"`)."""
    for rel in Institution._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        if rel.related_model.__name__.startswith("Historical"):
            continue
        yield rel.related_model, rel.field.name


def _move(Institution, old, new):
    for model, field in _references(Institution):
        for row in model.objects.filter(**{field: old}):
            # In a many-to-many table the same link may already exist to the canonical one.
            if model._meta.auto_created:
                others = {
                    f.name: getattr(row, f.name)
                    for f in model._meta.fields
                    if f.is_relation and f.name != field
                }
                if model.objects.filter(**{field: new}, **others).exists():
                    row.delete()
                    continue
            setattr(row, field, new)
            row.save(update_fields=[field])
    old.delete()


def _canonical(Institution, slug, name):
    institution, _created = Institution.objects.get_or_create(
        slug=slug, defaults={"name": name, "kind": "university"}
    )
    if institution.name != name:
        institution.name = name
        institution.save(update_fields=["name"])
    return institution


def forwards(apps, schema_editor):
    Institution = apps.get_model("wiki", "Institution")
    AmiCmaProject = apps.get_model("wiki", "AmiCmaProject")
    universities = list(Institution.objects.filter(kind="university"))
    for label, parts in JOINT.items():
        for joint in [u for u in universities if _fold(u.name) == _fold(label)]:
            lead, *others = [_canonical(Institution, slug, name) for slug, name in parts]
            for project in AmiCmaProject.objects.filter(lead=joint):
                project.lead = lead
                project.save(update_fields=["lead"])
                project.co_leads.add(*others)
            _move(Institution, joint, lead)
    universities = list(Institution.objects.filter(kind="university"))
    for slug, name, aliases in CANONICAL:
        labels = {_fold(name), *map(_fold, aliases)}
        found = [u for u in universities if _fold(u.name) in labels and u.slug != slug]
        if not found:
            continue
        keep = _canonical(Institution, slug, name)
        for duplicate in found:
            _move(Institution, duplicate, keep)


class Migration(migrations.Migration):
    dependencies = [("wiki", "0006_programme_institutions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
