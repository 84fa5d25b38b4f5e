"""Signal receivers: they only hand over to services."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Revision

from wiki.services.changes import change_record


@receiver(post_save, sender=Revision, dispatch_uid="wiki.change_record")
def revision_saved(sender, instance: Revision, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        change_record(instance)
