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
same bytes, and the same item keeps its identifier from one export to the next."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from django.conf import settings
from jsonschema import Draft201909Validator, FormatChecker

from wiki.snapshots import CompetencySnapshot, DomainSnapshot, ReferentielSnapshot

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


class _Builder:
    def __init__(self, snapshot: ReferentielSnapshot, key: str, socle_key: str) -> None:
        self.snapshot, self.key, self.socle_key = snapshot, key, socle_key
        self.items: list[dict] = []
        self.associations: list[dict] = []
        self.document_id = case_identifier(snapshot.slug, key)
        self.document_link = _link("CFDocuments", self.document_id, snapshot.title)

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

    def domain(self, domain: DomainSnapshot, position: int) -> None:
        item = self._item(
            domain.code,
            "Domaine",
            domain.title,
            domain.changed_at,
            humanCodingScheme=domain.code,
            notes=domain.intro,
        )
        self._associate(
            "isChildOf", self._item_link(item), self.document_link, domain.changed_at, position
        )
        for index, competency in enumerate(domain.competencies, start=1):
            self.competency(competency, item, index)

    def competency(self, competency: CompetencySnapshot, parent: dict, position: int) -> None:
        item = self._item(
            competency.code,
            "Compétence",
            competency.statement or competency.title,
            competency.changed_at,
            humanCodingScheme=competency.code,
            abbreviatedStatement=competency.title,
            extensions={
                EXTENSION: {
                    k: v
                    for k, v in {
                        "rank": competency.rank,
                        "evaluationMethods": list(competency.evaluation_methods),
                        "body": competency.body,
                        "references": competency.references,
                    }.items()
                    if v
                }
            },
        )
        link = self._item_link(item)
        self._associate("isChildOf", link, self._item_link(parent), competency.changed_at, position)
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

    def package(self) -> dict:
        s = self.snapshot
        for position, domain in enumerate(s.domains, start=1):
            self.domain(domain, position)
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
            "CFDocument": {k: v for k, v in document.items() if v not in ("", [], None)},
            "CFItems": self.items,
            "CFAssociations": self.associations,
        }


def case_package(snapshot: ReferentielSnapshot, key: str = LIVE, socle_key: str = LIVE) -> dict:
    """The CFPackage of `snapshot`; `key` names the export (« live » or an edition's version),
    `socle_key` the socle export its `isRelatedTo` links point into."""
    return _Builder(snapshot, key, socle_key).package()


def case_replaced_by(
    package: dict, previous: ReferentielSnapshot, previous_key: str, key: str
) -> dict:
    """Add to an edition's package a « replacedBy » association from each domain and
    competency of the previous edition (`previous`, exported as `previous_key`) to the item of
    the same code in this one. The links live in the newer package, so the older export never
    changes once published."""
    slug = package["CFDocument"]["extensions"][EXTENSION]["slug"]
    kept = {item.get("humanCodingScheme") for item in package["CFItems"]}
    changed = _timestamp(datetime.fromisoformat(package["CFDocument"]["lastChangeDateTime"]))
    codes = [d.code for d in previous.domains] + [c.code for c in previous.competencies]
    for code in codes:
        if code not in kept:
            continue
        old_id = case_identifier(previous.slug, previous_key, code)
        new_id = case_identifier(slug, key, code)
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
