"""A référentiel as a 1EdTech CASE 1.1 CFPackage (Competencies and Academic Standards Exchange).

Mapping:
- the référentiel is the CFDocument; each domain, competency and learning outcome is a CFItem
  (`CFItemType` « Domaine », « Compétence », « Acquis d'apprentissage »), its code in
  `humanCodingScheme`;
- the tree is `isChildOf` associations with `sequenceNumber` (the wiki's order);
- a competency that refines a socle competency points to it with `isRelatedTo`; the destination
  is the socle item's identifier in the socle's own package;
- what CASE has no field for (rank, evaluation methods, Markdown body and references) goes in
  the item's `extensions` under `wikiIaSanses`.

Identifiers are uuid5 from the référentiel's slug, the export key (« live » for the published
pages, the version for an edition) and the code, so exporting the same content twice gives the
same bytes, and the same item keeps its identifier from one export to the next.

A référentiel imported from a CASE package (wiki.services.case_import) is exported from what
the import kept (the snapshot's `case` data): each imported item is its record as it came,
identifier included, with what the wiki edits laid over it (statement, notes, title, code; a
changed item gets the date of its change); its `isChildOf` association and the other
associations come back as imported. The live export reuses the imported CFDocument too; an
edition is a CFDocument of its own (uuid5 by version) whose imported items keep their
identifiers."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from django.conf import settings
from jsonschema import Draft201909Validator, FormatChecker

from wiki.snapshots import CompetencySnapshot, DomainSnapshot, ReferentielSnapshot
from wiki.text import newlines_normalised

SCHEMA_PATH = Path(__file__).with_name("case-v1p1-cfpackage.schema.json")
NAMESPACE = uuid.UUID("6f1c3b0e-5a1d-5b8e-9c1e-1a5a2e5e0001")
LIVE = "live"
EXTENSION = "wikiIaSanses"
SOCLE_SLUG = "socle-numerique-en-sante"


def case_identifier(slug: str, key: str, code: str = "") -> str:
    """Deterministic: the same référentiel, export key and code always give the same UUID."""
    return str(uuid.uuid5(NAMESPACE, f"{slug}/{key}/{code}"))


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _base() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/ims/case/v1p1"


def _uri(kind: str, identifier: str) -> str:
    return f"{_base()}/{kind}/{identifier}"


def _link(kind: str, identifier: str, title: str) -> dict:
    return {"title": title, "identifier": identifier, "uri": _uri(kind, identifier)}


def _same_text(imported: str, wiki: str) -> bool:
    """Whether the wiki still holds the imported text: the wiki stores LF line endings and
    forms strip the ends, so those differences are not edits."""
    return newlines_normalised(imported or "").strip() == newlines_normalised(wiki or "").strip()


def _holds_a_flat_list(domain: DomainSnapshot) -> bool:
    """A domain the import made to hold a flat package's items: none of its own in CASE, and
    each of its competencies an item imported from directly under the CFDocument."""
    return (
        not domain.case
        and bool(domain.competencies)
        and all(c.case and c.case.get("depth") == 1 for c in domain.competencies)
    )


class _Builder:
    def __init__(self, snapshot: ReferentielSnapshot, key: str, socle_key: str) -> None:
        self.snapshot, self.key, self.socle_key = snapshot, key, socle_key
        self.items: list[dict] = []
        self.associations: list[dict] = []
        self.imported = snapshot.case if key == LIVE else {}
        self.document_id = (
            self.imported["document"]["identifier"]
            if self.imported
            else case_identifier(snapshot.slug, key)
        )
        self.document_link = _link("CFDocuments", self.document_id, snapshot.title)
        # Identifiers of the imported items this export holds (their stored parents).
        self.present = {
            node.case["identifier"]
            for node in (*snapshot.domains, *snapshot.competencies)
            if node.case
        }

    def _id(self, code: str) -> str:
        return case_identifier(self.snapshot.slug, self.key, code)

    def _item(self, code: str, item_type: str, statement: str, changed: datetime, **extra) -> dict:
        identifier = self._id(code)
        item = {
            "identifier": identifier,
            "fullStatement": statement,
            "CFItemType": item_type,
            "uri": _uri("CFItems", identifier),
            "language": self.snapshot.language,
            "lastChangeDateTime": _timestamp(changed),
            **{k: v for k, v in extra.items() if v not in ("", None, [], {})},
        }
        self.items.append(item)
        return item

    def _associate(
        self,
        kind: str,
        origin: dict,
        destination: dict,
        changed: datetime,
        sequence: int | None = None,
    ) -> None:
        identifier = case_identifier(
            self.snapshot.slug,
            self.key,
            f"{kind}:{origin['identifier']}:{destination['identifier']}",
        )
        association = {
            "identifier": identifier,
            "associationType": kind,
            "uri": _uri("CFAssociations", identifier),
            "originNodeURI": origin,
            "destinationNodeURI": destination,
            "lastChangeDateTime": _timestamp(changed),
        }
        if sequence is not None:
            association["sequenceNumber"] = sequence
        self.associations.append(association)

    def _item_link(self, item: dict) -> dict:
        return _link("CFItems", item["identifier"], item["fullStatement"][:200])

    def _imported_item(
        self,
        case: dict,
        *,
        text: str,
        title: str,
        code: str,
        changed: datetime,
        notes: str | None = None,
        extension: dict | None = None,
    ) -> dict:
        """The imported record, with what the wiki changed since laid over it."""
        record = dict(case["record"])
        edits: dict = {}
        if not _same_text(record.get("fullStatement", ""), text):
            edits["fullStatement"] = text
        if title != case["imported_title"]:
            edits["abbreviatedStatement"] = title
        if code != case["imported_code"]:
            edits["humanCodingScheme"] = code
        if notes is not None and not _same_text(record.get("notes", ""), notes):
            edits["notes"] = notes
        if extension and record.get("extensions", {}).get(EXTENSION) != extension:
            edits["extensions"] = {**record.get("extensions", {}), EXTENSION: extension}
        if edits:
            record.update(edits)
            if not record.get("notes"):
                record.pop("notes", None)
            record["lastChangeDateTime"] = _timestamp(changed)
        self.items.append(record)
        return record

    def _child_of(
        self, item: dict, case: dict, parent: dict, changed: datetime, position: int
    ) -> None:
        """The item's isChildOf: as imported while it still points to the parent it has here
        (none for an imported top-level item that had none), else a new one."""
        stored = case.get("parent_association") if case else None
        if case and stored is None and case["depth"] == 1 and parent is self.document_link:
            return
        if stored and stored["destinationNodeURI"]["identifier"] == parent["identifier"]:
            self.associations.append(stored)
            return
        self._associate("isChildOf", self._item_link(item), parent, changed, position)

    def domain(self, domain: DomainSnapshot, position: int) -> None:
        if _holds_a_flat_list(domain):
            # The wiki's own domain of a flat package's items (wiki.services.case_import):
            # not a CASE item; its competencies stay children of the document.
            for index, competency in enumerate(domain.competencies, start=1):
                self.competency(competency, self.document_link, index)
            return
        if domain.case:
            # Its introduction is empty when the statement was no more than the title.
            title_only = domain.title != domain.case["imported_title"]
            statement = domain.case["record"].get("fullStatement", "")
            item = self._imported_item(
                domain.case,
                text=domain.intro or (domain.title if title_only else statement),
                title=domain.title,
                code=domain.code,
                changed=domain.changed_at,
            )
        else:
            item = self._item(
                domain.code,
                "Domaine",
                domain.title,
                domain.changed_at,
                humanCodingScheme=domain.code,
                notes=domain.intro,
            )
        self._child_of(item, domain.case, self.document_link, domain.changed_at, position)
        for index, competency in enumerate(domain.competencies, start=1):
            self.competency(competency, item, index)

    def competency(self, competency: CompetencySnapshot, parent: dict, position: int) -> None:
        wiki_fields = {
            "rank": competency.rank,
            "evaluationMethods": list(competency.evaluation_methods),
            "body": competency.body,
            "references": competency.references,
        }
        case = competency.case
        if case:
            wiki_fields.pop("body")  # an imported item's notes
            item = self._imported_item(
                case,
                text=competency.statement,
                title=competency.title,
                code=competency.code,
                changed=competency.changed_at,
                notes=competency.body,
                extension={k: v for k, v in wiki_fields.items() if v},
            )
            stored = case.get("parent_association")
            if case["depth"] > 2 and stored:
                # A deeper CASE level, flattened under its domain: its own parent, if exported.
                destination = stored["destinationNodeURI"]
                if destination["identifier"] in self.present:
                    parent = destination
        else:
            item = self._item(
                competency.code,
                "Compétence",
                competency.statement or competency.title,
                competency.changed_at,
                humanCodingScheme=competency.code,
                abbreviatedStatement=competency.title,
                extensions={EXTENSION: {k: v for k, v in wiki_fields.items() if v}},
            )
        link = self._item_link(item)
        parent_link = parent if "fullStatement" not in parent else self._item_link(parent)
        self._child_of(item, case, parent_link, competency.changed_at, position)
        for index, text in enumerate(competency.learning_outcomes, start=1):
            outcome = self._item(
                f"{competency.code}/AA{index}",
                "Acquis d'apprentissage",
                text,
                competency.changed_at,
                listEnumeration=str(index),
            )
            self._associate(
                "isChildOf", self._item_link(outcome), link, competency.changed_at, index
            )
        for code in competency.socle_refs:
            socle_id = case_identifier(SOCLE_SLUG, self.socle_key, code)
            self._associate(
                "isRelatedTo", link, _link("CFItems", socle_id, code), competency.changed_at
            )

    def _document_imported(self) -> dict:
        s, document = self.snapshot, dict(self.imported["document"])
        edits = {}
        if s.title != document.get("title"):
            edits["title"] = s.title
        if not _same_text(document.get("description", ""), s.intro):
            edits["description"] = s.intro
        if edits:
            document.update(edits)
            document["lastChangeDateTime"] = _timestamp(s.changed_at)
        return document

    def _other_associations(self) -> list[dict]:
        """The imported associations of other types, while their imported ends are here."""
        case = self.snapshot.case
        if not case:
            return []
        imported = set(case.get("items", [])) | {case["document"]["identifier"]}
        present = self.present | {self.document_id}
        return [
            a
            for a in case["associations"]
            if all(
                end["identifier"] in present or end["identifier"] not in imported
                for end in (a["originNodeURI"], a["destinationNodeURI"])
            )
        ]

    def package(self) -> dict:
        s = self.snapshot
        for position, domain in enumerate(s.domains, start=1):
            self.domain(domain, position)
        self.associations.extend(self._other_associations())
        if self.imported:
            return {
                **s.case.get("rest", {}),
                "CFDocument": self._document_imported(),
                "CFItems": self.items,
                "CFAssociations": self.associations,
            }
        document = {
            "identifier": self.document_id,
            "uri": self.document_link["uri"],
            "frameworkType": "Référentiel de compétences",
            "caseVersion": "1.1",
            "creator": s.college,
            "title": s.title,
            "lastChangeDateTime": _timestamp(s.changed_at),
            "publisher": "wiki IA_SaNSeS",
            "description": s.intro,
            "subject": [x for x in (s.specialty, *s.professions) if x],
            "language": s.language,
            "version": self.key,
            "adoptionStatus": "Draft" if self.key == LIVE else "Adopted",
            "notes": s.source,
            "extensions": {EXTENSION: {"cycle": s.cycle, "slug": s.slug}},
        }
        return {
            **s.case.get("rest", {}),
            "CFDocument": {k: v for k, v in document.items() if v not in ("", [], None)},
            "CFItems": self.items,
            "CFAssociations": self.associations,
        }


def case_package(snapshot: ReferentielSnapshot, key: str = LIVE, socle_key: str = LIVE) -> dict:
    """The CFPackage of `snapshot`; `key` names the export (« live » or an edition's version),
    `socle_key` the socle export its `isRelatedTo` links point into."""
    return _Builder(snapshot, key, socle_key).package()


def _identifiers(snapshot: ReferentielSnapshot, key: str) -> dict[str, str]:
    """The CASE identifier of each domain and competency of `snapshot` exported as `key`, by
    code: an imported item's own, else uuid5."""
    return {
        node.code: node.case.get("identifier") or case_identifier(snapshot.slug, key, node.code)
        for node in (*snapshot.domains, *snapshot.competencies)
    }


def case_replaced_by(
    package: dict,
    previous: ReferentielSnapshot,
    previous_key: str,
    key: str,
    current: ReferentielSnapshot | None = None,
) -> dict:
    """Add to an edition's package a « replacedBy » association from each domain and
    competency of the previous edition (`previous`, exported as `previous_key`) to the item of
    the same code in this one (`current`, exported as `key`). The links live in the newer
    package, so the older export never changes once published. An item that kept its
    identifier (an imported one) is not replaced."""
    slug = package["CFDocument"]["extensions"][EXTENSION]["slug"]
    changed = _timestamp(datetime.fromisoformat(package["CFDocument"]["lastChangeDateTime"]))
    old_ids = _identifiers(previous, previous_key)
    if current is not None:
        new_ids = _identifiers(current, key)
    else:
        kept = {item.get("humanCodingScheme") for item in package["CFItems"]}
        new_ids = {code: case_identifier(slug, key, code) for code in old_ids if code in kept}
    codes = [d.code for d in previous.domains] + [c.code for c in previous.competencies]
    for code in codes:
        if code not in new_ids or old_ids[code] == new_ids[code]:
            continue
        old_id, new_id = old_ids[code], new_ids[code]
        identifier = case_identifier(slug, key, f"replacedBy:{old_id}:{new_id}")
        package["CFAssociations"].append(
            {
                "identifier": identifier,
                "associationType": "replacedBy",
                "uri": _uri("CFAssociations", identifier),
                "originNodeURI": _link("CFItems", old_id, code),
                "destinationNodeURI": _link("CFItems", new_id, code),
                "lastChangeDateTime": changed,
            }
        )
    return package


def case_bytes(package: dict) -> bytes:
    """Canonical JSON: sorted keys, UTF-8 kept as is, so equal packages give equal bytes."""
    return (json.dumps(package, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()


@cache
def case_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def case_errors(package: dict) -> list[str]:
    """Schema violations of `package`, each with the JSON path where it occurs; [] when valid."""
    validator = Draft201909Validator(case_schema(), format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(package), key=lambda e: list(e.absolute_path))
    return [f"{e.json_path}: {e.message}" for e in errors]
