from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingIndexing(models.Model):
    """A change waiting to reach Elasticsearch (a transactional outbox).

    Receivers write a row in the same transaction as the change; after the commit the row is
    indexed and deleted. When Elasticsearch is down the row stays, and is indexed once the node
    is back: nothing changed during an outage is missed.
    """

    # "page:42", "tree:42" (a page and everything below it), "thread:7", "delphi_item:3".
    key = models.CharField(_("key"), max_length=80, unique=True)
    # Bumped by every new change of the same key: a row is deleted only if it was not re-queued
    # while being indexed.
    version = models.BigIntegerField(_("version"))
    queued_at = models.DateTimeField(_("queued at"), db_index=True)

    class Meta:
        ordering = ["queued_at", "pk"]
        verbose_name = _("pending indexing")
        verbose_name_plural = _("pending indexing")

    def __str__(self) -> str:
        return self.key
