"""`manage.py case_import`: a CASE 1.1 package becomes a draft référentiel; published and
exported again, nothing of it is lost (items' text, hierarchy, order, associations,
identifiers), and the export validates against the official schema. Tested with public
packages of OpenSALT (tests/wiki/data/case/README.md) and with our own exports."""

from __future__ import annotations

import copy
import io
import json
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from wiki.exports.case import case_errors
from wiki.models import CaseImport, CompetencyPage, DomainPage, ReferentielPage
from wiki.services.editions import edition_publish

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "case"


def _load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _act() -> dict:
    """The ACT excerpt without the CASE 1.0 link fields (see the data README)."""
    package = _load("opensalt-act-holistic-math.json")
    package["CFDocument"].pop("CFPackageURI")
    for record in package["CFItems"] + package["CFAssociations"]:
        record.pop("CFDocumentURI", None)
    return package


def _write(tmp_path: Path, package: dict | bytes, name: str = "package.json") -> Path:
    path = tmp_path / name
    path.write_bytes(package if isinstance(package, bytes) else json.dumps(package).encode())
    return path


def _import(path: Path, *args: str) -> tuple[str, list[str]]:
    out = io.StringIO()
    call_command("case_import", str(path), *args, stdout=out)
    lines = out.getvalue().strip().splitlines()
    return lines[-1], lines


def _publish(referentiel: ReferentielPage) -> None:
    for page in [referentiel, *referentiel.get_descendants().order_by("path")]:
        page.specific.get_latest_revision().publish()


def _export(tmp_path: Path, slug: str, *args: str) -> dict:
    out = tmp_path / f"{slug}-export.json"
    call_command("case_export", slug, *args, "-o", str(out), stdout=io.StringIO())
    return json.loads(out.read_text(encoding="utf-8"))


def _by_id(records: list[dict]) -> dict[str, dict]:
    return {r["identifier"]: r for r in records}


def _roundtrip(tmp_path: Path, package: dict) -> tuple[ReferentielPage, dict]:
    slug, _lines = _import(_write(tmp_path, package))
    referentiel = ReferentielPage.objects.get(slug=slug)
    _publish(referentiel)
    exported = _export(tmp_path, slug)
    assert case_errors(exported) == []
    return referentiel, exported


def _assert_lossless(original: dict, exported: dict) -> None:
    assert exported["CFDocument"] == original["CFDocument"]
    assert _by_id(exported["CFItems"]) == _by_id(original["CFItems"])
    assert _by_id(exported["CFAssociations"]) == _by_id(original["CFAssociations"])
    assert len(exported["CFAssociations"]) == len(original["CFAssociations"])
    for key in ("CFDefinitions", "CFRubrics", "extensions"):
        assert exported.get(key) == original.get(key)


def test_a_public_package_becomes_a_draft_referentiel_whose_slug_is_printed_last(tmp_path):
    package = _load("opensalt-sequence-number.json")
    slug, lines = _import(DATA / "opensalt-sequence-number.json")
    assert len(lines) == 2
    referentiel = ReferentielPage.objects.get(slug=slug)
    assert referentiel.title == "Sequence Number Test"
    assert referentiel.get_parent().specific_class.__name__ == "HomePage"
    assert referentiel.college.slug == "cncem" and referentiel.specialty is None
    pages = [referentiel, *referentiel.get_descendants()]
    assert not any(page.live for page in pages)
    assert all(page.get_latest_revision() is not None for page in pages)
    # A flat package: its items are competencies of one domain named after the document;
    # sequenceNumber orders them, not the package's order.
    (domain,) = DomainPage.objects.child_of(referentiel)
    assert (domain.code, domain.title) == ("D1", "Sequence Number Test")
    competencies = CompetencyPage.objects.child_of(domain).order_by("path")
    assert [c.code for c in competencies] == ["SNT.2", "SNT.1"]
    assert [c.title for c in competencies] == [
        "Second added item, but should be first",
        "First Added Item",
    ]
    assert CaseImport.objects.get(referentiel=referentiel).document_identifier == uuid.UUID(
        package["CFDocument"]["identifier"]
    )


@pytest.mark.parametrize(
    "name",
    ["opensalt-sequence-number.json", "opensalt-markdown.json", "opensalt-item-type.json"],
)
def test_a_public_package_comes_back_unchanged_from_import_publish_and_export(tmp_path, name):
    original = _load(name)
    _referentiel, exported = _roundtrip(tmp_path, original)
    _assert_lossless(original, exported)


def test_a_flat_framework_imports_as_competencies_of_one_domain_named_after_it(tmp_path):
    original = _load("opensalt-item-type.json")
    referentiel, exported = _roundtrip(tmp_path, original)
    (domain,) = DomainPage.objects.child_of(referentiel)
    assert (domain.code, domain.title) == ("D1", "Item Type Test")
    (competency,) = CompetencyPage.objects.child_of(domain)
    assert (competency.title, competency.statement) == ("Item 1", "Item 1")
    # The domain is the wiki's own: the export has the one item, child of the document.
    assert [i["identifier"] for i in exported["CFItems"]] == [original["CFItems"][0]["identifier"]]
    (association,) = exported["CFAssociations"]
    assert association["destinationNodeURI"]["identifier"] == original["CFDocument"]["identifier"]


def test_markdown_with_crlf_is_kept_as_the_wiki_shows_it_and_exported_as_it_came(tmp_path):
    original = _load("opensalt-markdown.json")
    referentiel, exported = _roundtrip(tmp_path, original)
    table = next(i for i in original["CFItems"] if i["humanCodingScheme"] == "MD.Table")
    competency = CompetencyPage.objects.descendant_of(referentiel).get(code="MD.Table")
    assert competency.statement == table["fullStatement"].replace("\r\n", "\n")
    assert "\r" not in competency.statement
    assert (
        _by_id(exported["CFItems"])[table["identifier"]]["fullStatement"]
        == (table["fullStatement"])
    )


def test_a_deeper_tree_is_flattened_in_reading_order_and_keeps_its_parents(tmp_path):
    original = _act()
    referentiel, exported = _roundtrip(tmp_path, original)
    _assert_lossless(original, exported)
    parent = {
        a["originNodeURI"]["identifier"]: a["destinationNodeURI"]["identifier"]
        for a in original["CFAssociations"]
        if a["associationType"] == "isChildOf"
    }
    items = _by_id(original["CFItems"])
    top = [i for i in items if parent[i] == original["CFDocument"]["identifier"]]
    domains = list(DomainPage.objects.child_of(referentiel).order_by("path"))
    assert [d.code for d in domains] == [items[i]["humanCodingScheme"] for i in top]
    competencies = CompetencyPage.objects.descendant_of(referentiel).order_by("path")
    assert competencies.count() == len(items) - len(top)
    # Reading order: each item comes after its parent.
    seen = {d.code for d in domains}
    for competency in competencies:
        item = next(i for i in items.values() if i["humanCodingScheme"] == competency.code)
        assert items[parent[item["identifier"]]]["humanCodingScheme"] in seen
        seen.add(competency.code)


def test_other_association_types_second_parents_and_any_utf8_text_are_kept(tmp_path):
    original = _load("opensalt-sequence-number.json")
    original["CFDocument"]["identifier"] = str(uuid.uuid4())
    first, second = (i["identifier"] for i in original["CFItems"])
    original["CFItems"][0]["fullStatement"] = (
        "Ünïcödé 𝑑 😀 中文 עברית\u200b « guillemets » \\ $x^2$"
    )
    # Spaces and line breaks at the ends, and a domain whose statement is its title.
    original["CFItems"][1]["fullStatement"] = "Second added item, but should be first  \r\n"
    original["CFItems"][0]["notes"] = "- une liste\n- **gras**\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    child = {
        "identifier": str(uuid.uuid4()),
        "uri": "https://example.org/items/child",
        "lastChangeDateTime": "2020-01-02T03:04:05+01:00",
        "fullStatement": "Sous-élément",
        "CFItemType": "Standard",
        "educationLevel": ["09", "10"],
        "extensions": {"vendor": {"x": 1}},
    }
    original["CFItems"].append(child)

    def association(kind: str, origin: str, destination: str, **extra) -> dict:
        identifier = str(uuid.uuid4())
        return {
            "identifier": identifier,
            "uri": f"https://example.org/associations/{identifier}",
            "associationType": kind,
            "lastChangeDateTime": "2020-01-02T03:04:05Z",
            "originNodeURI": {"title": "o", "identifier": origin, "uri": "https://e.org/o"},
            "destinationNodeURI": {"title": "d", "identifier": destination, "uri": "https://e/d"},
            **extra,
        }

    original["CFAssociations"] += [
        association("isChildOf", child["identifier"], first, sequenceNumber=1),
        association("isChildOf", child["identifier"], second),  # a second parent
        association("precedes", first, second),
        association("exactMatchOf", second, str(uuid.uuid4())),  # another framework's item
        association("ext:isAlignedWith", child["identifier"], first, notes="extension type"),
    ]
    _referentiel, exported = _roundtrip(tmp_path, original)
    _assert_lossless(original, exported)


def test_our_own_export_comes_back_with_its_identifiers_and_socle_links(tmp_path):
    socle = _export(tmp_path, "socle-numerique-en-sante", "--version", "1.0")
    # As another server would serve it under another identifier.
    socle["CFDocument"]["identifier"] = str(uuid.uuid4())
    _referentiel, exported = _roundtrip(tmp_path, socle)
    _assert_lossless(socle, exported)


def test_an_edited_item_is_exported_with_its_edit_under_its_identifier(tmp_path):
    original = _load("opensalt-markdown.json")
    referentiel, _exported = _roundtrip(tmp_path, original)
    competency = CompetencyPage.objects.descendant_of(referentiel).get(code="MD.Math")
    draft = competency.get_latest_revision_as_object()
    draft.statement = "Nouvelle formulation : $y^3$"
    draft.save_revision().publish()
    exported = _export(tmp_path, referentiel.slug)
    item = next(i for i in exported["CFItems"] if i.get("humanCodingScheme") == "MD.Math")
    source = next(i for i in original["CFItems"] if i["humanCodingScheme"] == "MD.Math")
    assert item["identifier"] == source["identifier"]
    assert item["fullStatement"] == "Nouvelle formulation : $y^3$"
    assert item["lastChangeDateTime"] != source["lastChangeDateTime"]
    assert case_errors(exported) == []


def test_an_edition_of_an_imported_referentiel_keeps_the_items_identifiers(tmp_path):
    original = _act()
    referentiel, _exported = _roundtrip(tmp_path, original)
    edition_publish(referentiel=referentiel, kind="major")
    exported = _export(tmp_path, referentiel.slug)  # the latest edition, by default
    assert exported["CFDocument"]["version"] == "1.0"
    assert exported["CFDocument"]["identifier"] != original["CFDocument"]["identifier"]
    assert _by_id(exported["CFItems"]).keys() == _by_id(original["CFItems"]).keys()
    assert case_errors(exported) == []


def test_the_same_file_twice_creates_no_second_referentiel(tmp_path):
    path = DATA / "opensalt-markdown.json"
    slug, _lines = _import(path)
    count = ReferentielPage.objects.count()
    again, lines = _import(path)
    assert again == slug
    assert "already imported" in lines[0]
    assert ReferentielPage.objects.count() == count
    changed = _load("opensalt-markdown.json")
    changed["CFItems"][0]["fullStatement"] = "Autre texte"
    with pytest.raises(CommandError, match=r"^\$\.CFDocument\.identifier ?: .*" + slug) as refused:
        _import(_write(tmp_path, changed))
    assert refused.value.returncode == 2
    assert ReferentielPage.objects.count() == count


def test_deleting_the_imported_draft_allows_a_new_import(tmp_path):
    path = DATA / "opensalt-sequence-number.json"
    slug, _lines = _import(path)
    ReferentielPage.objects.get(slug=slug).delete()
    again, _lines = _import(path)
    assert ReferentielPage.objects.filter(slug=again).exists()


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda p: p["CFItems"][1].update(identifier="pas-un-uuid"), r"$.CFItems[1].identifier"),
        (lambda p: p["CFDocument"].pop("creator"), r"$.CFDocument: 'creator'"),
        (
            lambda p: p["CFAssociations"][1].update(associationType="isFriendOf"),
            r"$.CFAssociations[1].associationType",
        ),
        (lambda p: p["CFItems"].append(copy.deepcopy(p["CFItems"][0])), r"$.CFItems[2].identifier"),
    ],
)
def test_an_invalid_package_exits_with_status_2_naming_the_json_path(tmp_path, change, path):
    package = _load("opensalt-sequence-number.json")
    change(package)
    count = ReferentielPage.objects.count()
    with pytest.raises(CommandError) as refused:
        _import(_write(tmp_path, package))
    assert refused.value.returncode == 2
    assert str(refused.value).startswith(path), str(refused.value)
    assert ReferentielPage.objects.count() == count


def test_a_case_1_0_export_and_a_file_that_is_not_json_are_refused(tmp_path):
    with pytest.raises(CommandError, match=r"^\$\.CFDocument: .*CFPackageURI") as old:
        _import(DATA / "opensalt-act-holistic-math.json")
    assert old.value.returncode == 2
    with pytest.raises(CommandError, match=r"^\$ : ce n’est pas un fichier JSON") as garbage:
        _import(_write(tmp_path, b"\xff{not json"))
    assert garbage.value.returncode == 2


def test_a_date_without_time_zone_is_refused_with_its_field(tmp_path):
    package = _load("opensalt-sequence-number.json")
    package["CFItems"][1]["lastChangeDateTime"] = "2017-11-03T23:02:07"
    with pytest.raises(CommandError) as refused:
        _import(_write(tmp_path, package))
    assert refused.value.returncode == 2
    message = str(refused.value)
    # The service's messages are in French (gettext), its JSON paths as they are.
    assert message.startswith("$.CFItems[1].lastChangeDateTime : « 2017-11-03T23:02:07 »")
    assert "fuseau horaire" in message
