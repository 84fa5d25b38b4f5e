"""Importing a 1EdTech CASE 1.1 CFPackage as a new draft référentiel (`manage.py case_import`).

Mapping (the reverse of wiki.exports.case):
- the CFDocument becomes a draft ReferentielPage under the home page (title, description as
  its introduction, officialSourceURL as its source);
- the CASE tree (`isChildOf`, ordered by `sequenceNumber`, then by the package's order) gives
  the pages: the items directly under the CFDocument become domains; every deeper item
  becomes a competency of its top-level ancestor's domain, in reading order (depth first), so
  a tree deeper than domain → competency is flattened and its true parent is kept;
- a flat package (every item directly under the CFDocument, none below another) is a list of
  competencies, not of domains: its items become the competencies of one domain named after
  the CFDocument (code « D1 »), which is the wiki's own and is not exported (its competencies
  keep their `isChildOf` to the document);
- a competency's `fullStatement` is its statement, `notes` its body, `abbreviatedStatement`
  (or the statement's first line) its title, `humanCodingScheme` its code when it fits and is
  free (else « CASE-<identifier> »);
- everything else is kept beside the pages (wiki.models.CaseImport, CaseItem): every record
  with all its fields and its identifier, each item's `isChildOf` association, the other
  associations, CFDefinitions, CFRubrics and extensions; a re-export emits them as they came.

Refusals (CaseImportRefused, with the JSON path): a file that is not JSON, a package that does
not validate against the official schema (the first error, in the package's order), a date and
time without a time zone (RFC 3339, as the schema's `date-time` says: it is never guessed), two
items with one identifier. Importing the same CFDocument identifier twice creates nothing: the
same bytes give the référentiel already imported; other bytes are refused."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from jsonschema import Draft201909Validator, FormatChecker

from wiki.exceptions import WikiError
from wiki.exports.case import case_schema
from wiki.models import (
    CaseImport,
    CaseItem,
    CompetencyPage,
    DomainPage,
    HomePage,
    Institution,
    ReferentielPage,
    Specialty,
)
from wiki.text import newlines_normalised

TITLE_MAX = 255
DOMAIN_CODE_MAX = 20
CODE_MAX = 30
NAIVE_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")


class CaseImportRefused(WikiError):
    """The package cannot be imported; the message names the JSON path of the first error."""

    default_message = _("This CASE package cannot be imported.")


@dataclass(frozen=True)
class CaseImportResult:
    referentiel: ReferentielPage
    created: bool


def _path(parts) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _document_order(package):
    """Sort key of schema errors in the package's reading order (keys as they come)."""

    def key(error) -> tuple:
        node, positions = package, []
        for part in error.absolute_path:
            if isinstance(node, dict):
                keys = list(node)
                positions.append(keys.index(part) if part in keys else len(keys))
            else:
                positions.append(part)
            node = node[part] if isinstance(node, dict | list) else None
        return tuple(positions)

    return key


def case_package_first_error(package) -> str | None:
    """The first violation of the official CASE 1.1 schema, as « <JSON path>: <what> »."""
    validator = Draft201909Validator(case_schema(), format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(package), key=_document_order(package))
    if not errors:
        return None
    error = errors[0]
    where = _path(error.absolute_path)
    if (
        error.validator == "format"
        and error.validator_value == "date-time"
        and isinstance(error.instance, str)
        and NAIVE_DATE_TIME.match(error.instance)
    ):
        return _(
            "%(path)s: « %(value)s » has no time zone; CASE dates and times carry one "
            "(for example 2024-05-01T12:00:00Z or +02:00), it is not guessed."
        ) % {"path": where, "value": error.instance}
    return f"{where}: {error.message}"


def _title(*texts: str) -> str:
    for text in texts:
        line = (text or "").strip().splitlines()[0].strip() if (text or "").strip() else ""
        if line:
            return line if len(line) <= TITLE_MAX else line[: TITLE_MAX - 1] + "…"
    return ""


def _slug(text: str, taken: set[str], fallback: str) -> str:
    base = slugify(text)[:80].strip("-") or fallback
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


class _Tree:
    """The package's items placed in the CASE tree: each item once, under its first parent
    reached from the CFDocument, children in `sequenceNumber` order."""

    def __init__(self, package: dict) -> None:
        self.document_id = package["CFDocument"]["identifier"]
        self.items: dict[str, dict] = {}
        for index, item in enumerate(package.get("CFItems", [])):
            if item["identifier"] in self.items:
                raise CaseImportRefused(
                    _("%(path)s: the identifier %(id)s is given to two items.")
                    % {"path": _path(["CFItems", index, "identifier"]), "id": item["identifier"]}
                )
            self.items[item["identifier"]] = item
        order = {identifier: n for n, identifier in enumerate(self.items)}
        children: dict[str, list[tuple[tuple, dict]]] = {}
        for position, association in enumerate(package.get("CFAssociations", [])):
            if association["associationType"] != "isChildOf":
                continue
            origin = association["originNodeURI"]["identifier"]
            destination = association["destinationNodeURI"]["identifier"]
            known = destination in self.items or destination == self.document_id
            if origin not in self.items or not known:
                continue
            sequence = association.get("sequenceNumber")
            key = (sequence is None, sequence or 0, order[origin], position)
            children.setdefault(destination, []).append((key, association))
        self.placed: list[tuple[str, dict | None, int]] = []  # (identifier, association, depth)
        self.parent_associations: set[str] = set()
        seen: set[str] = set()
        stack = [(a, 1) for _k, a in sorted(children.get(self.document_id, []), reverse=True)]
        while stack:
            association, depth = stack.pop()
            identifier = association["originNodeURI"]["identifier"]
            if identifier in seen:
                continue  # a second parent: kept with the other associations
            seen.add(identifier)
            self.placed.append((identifier, association, depth))
            self.parent_associations.add(association["identifier"])
            below = sorted(children.get(identifier, []), reverse=True)
            stack.extend((a, depth + 1) for _k, a in below)
        # Items outside the tree (no parent in the package) sit at the top, with no isChildOf.
        for identifier in self.items:
            if identifier not in seen:
                self.placed.append((identifier, None, 1))

    def is_flat(self) -> bool:
        """Every item sits directly under the CFDocument: a list, with no level below."""
        return bool(self.placed) and all(depth == 1 for _i, _a, depth in self.placed)


def _codes_taken() -> set[str]:
    return set(CompetencyPage.objects.values_list("code", flat=True))


def _competency_code(item: dict, taken: set[str]) -> str:
    code = (item.get("humanCodingScheme") or "").strip()
    if not code or len(code) > CODE_MAX or code in taken:
        hexa = uuid.UUID(item["identifier"]).hex
        size = 8
        code = f"CASE-{hexa[:size]}"
        while code in taken:
            size += 4
            code = f"CASE-{hexa[:size]}"
    taken.add(code)
    return code


def _add_draft(parent, page) -> None:
    page.live = False
    parent.add_child(instance=page)
    page.save_revision()


@transaction.atomic
def case_import(
    *,
    data: bytes,
    college: Institution,
    specialty: Specialty | None = None,
    cycle: str = "3",
) -> CaseImportResult:
    """Import the CFPackage `data` (the file's bytes) as a new draft référentiel of `college`.

    Raises CaseImportRefused (a message naming the JSON path) when it cannot."""
    try:
        package = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CaseImportRefused(
            _("$: not a JSON file in UTF-8 (%(error)s).") % {"error": error}
        ) from None
    error = case_package_first_error(package)
    if error is not None:
        raise CaseImportRefused(error)
    digest = hashlib.sha256(data).hexdigest()
    document = package["CFDocument"]
    previous = CaseImport.objects.filter(document_identifier=document["identifier"]).first()
    if previous is not None:
        if previous.digest != digest:
            raise CaseImportRefused(
                _(
                    "$.CFDocument.identifier: this framework was already imported as « %(slug)s » "
                    "from another file; a package is imported once (delete that draft "
                    "référentiel to import it again)."
                )
                % {"slug": previous.referentiel.slug}
            )
        return CaseImportResult(referentiel=previous.referentiel, created=False)
    tree = _Tree(package)

    home = HomePage.objects.get()
    siblings = set(home.get_children().values_list("slug", flat=True))
    referentiel = ReferentielPage(
        title=_title(document.get("title", "")) or document["identifier"],
        slug=_slug(document.get("title", ""), siblings, "referentiel-case"),
        college=college,
        specialty=specialty,
        cycle=cycle,
        intro=document.get("description", ""),
        source=(document.get("officialSourceURL") or "")[:255],
    )
    _add_draft(home, referentiel)
    try:
        with transaction.atomic():
            case_import_row = CaseImport.objects.create(
                referentiel=referentiel,
                document_identifier=document["identifier"],
                digest=digest,
                document=document,
                associations=[
                    a
                    for a in package.get("CFAssociations", [])
                    if a["identifier"] not in tree.parent_associations
                ],
                rest={
                    k: v
                    for k, v in package.items()
                    if k not in ("CFDocument", "CFItems", "CFAssociations")
                },
            )
    except IntegrityError:  # the same package imported at the same time
        raise CaseImportRefused(
            _("$.CFDocument.identifier: this framework is being imported.")
        ) from None

    codes = _codes_taken()
    domain: DomainPage | None = None
    domain_slugs: set[str] = set()
    competency_slugs: set[str] = set()
    flat = tree.is_flat()
    if flat:
        domain = DomainPage(
            title=referentiel.title, slug=_slug("D1", domain_slugs, "domaine"), code="D1"
        )
        _add_draft(referentiel, domain)
    rows = []
    for position, (identifier, association, depth) in enumerate(tree.placed, start=1):
        item = tree.items[identifier]
        statement = item.get("fullStatement", "")
        if depth == 1 and not flat:
            code = (item.get("humanCodingScheme") or "").strip()
            if not code or len(code) > DOMAIN_CODE_MAX:
                code = f"D{position}"
            title = _title(item.get("abbreviatedStatement", ""), statement) or code
            domain = DomainPage(
                title=title,
                slug=_slug(code, domain_slugs, "domaine"),
                code=code,
                intro="" if newlines_normalised(statement).strip() == title else statement,
            )
            _add_draft(referentiel, domain)
            competency_slugs = set()
            page = domain
        else:
            code = _competency_code(item, codes)
            title = _title(item.get("abbreviatedStatement", ""), statement) or code
            page = CompetencyPage(
                title=title,
                slug=_slug(code, competency_slugs, "competence"),
                code=code,
                statement=statement,
                body=item.get("notes", ""),
            )
            _add_draft(domain, page)
        rows.append(
            CaseItem(
                case_import=case_import_row,
                page=page.page_ptr,
                identifier=identifier,
                record=item,
                parent_association=association,
                depth=depth,
                imported_title=title,
                imported_code=code,
            )
        )
    CaseItem.objects.bulk_create(rows)
    return CaseImportResult(referentiel=referentiel, created=True)
