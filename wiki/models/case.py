"""What a CASE 1.1 import keeps beside the pages it creates (wiki.services.case_import).

The pages hold what the wiki edits (titles, statements, notes, codes, order); these rows keep
the rest of the package as it came, so that a re-export (wiki.exports.case) is lossless: the
CFDocument and each CFItem record with every field, each item's own identifier, its place in
the CASE tree (parent, `isChildOf` association, `sequenceNumber`), and the associations of
other types. The CFDocument identifier is unique: importing the same package twice creates no
second référentiel."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .pages import ReferentielPage


class CaseImport(models.Model):
    # Deleting the imported (draft) référentiel forgets the import: it may be imported again.
    referentiel = models.OneToOneField(
        ReferentielPage,
        verbose_name=_("référentiel"),
        on_delete=models.CASCADE,
        related_name="case_import",
    )
    document_identifier = models.UUIDField(_("CFDocument identifier"), unique=True)
    # SHA-256 of the package file: a second import of the same bytes is recognised as such.
    digest = models.CharField(_("digest"), max_length=64)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    # The CFDocument record as imported, every field kept.
    document = models.JSONField(_("CFDocument"))
    # Associations that are not the tree the pages hold (other types, second parents,
    # links to other frameworks), as imported.
    associations = models.JSONField(_("other associations"), default=list, blank=True)
    # CFDefinitions, CFRubrics and the package's extensions, as imported.
    rest = models.JSONField(_("rest of the package"), default=dict, blank=True)

    class Meta:
        verbose_name = _("CASE import")
        verbose_name_plural = _("CASE imports")

    def __str__(self) -> str:
        return str(self.document_identifier)


class CaseItem(models.Model):
    case_import = models.ForeignKey(
        CaseImport, verbose_name=_("CASE import"), on_delete=models.CASCADE, related_name="items"
    )
    # The domain or competency page the item became.
    page = models.OneToOneField(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="case_item",
    )
    identifier = models.UUIDField(_("CFItem identifier"))
    # The CFItem record as imported, every field kept.
    record = models.JSONField(_("CFItem"))
    # Its isChildOf association as imported (None: a top-level item without one).
    parent_association = models.JSONField(_("isChildOf association"), null=True, blank=True)
    # Depth in the CASE tree: 1 for the items under the CFDocument (the domains).
    depth = models.PositiveSmallIntegerField(_("depth"))
    # Title and code given to the page at import: a page still holding them is exported with
    # the record's own abbreviatedStatement and humanCodingScheme.
    imported_title = models.CharField(_("title at import"), max_length=255)
    imported_code = models.CharField(_("code at import"), max_length=30)

    class Meta:
        verbose_name = _("CASE item")
        verbose_name_plural = _("CASE items")
        constraints = [
            models.UniqueConstraint(
                fields=["case_import", "identifier"], name="caseitem_one_per_identifier"
            )
        ]

    def __str__(self) -> str:
        return str(self.identifier)
