"""Signal receivers: they only hand over to services."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, Revision
from wagtail.signals import page_published, page_unpublished, post_page_move

from wiki.rendering import links_version_bump
from wiki.services.changes import change_record


@receiver(post_save, sender=Revision, dispatch_uid="wiki.change_record")
def revision_saved(sender, instance: Revision, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        change_record(instance)


@receiver(page_published, dispatch_uid="wiki.links_version.published")
@receiver(page_unpublished, dispatch_uid="wiki.links_version.unpublished")
@receiver(post_page_move, dispatch_uid="wiki.links_version.moved")
@receiver(post_delete, sender=Page, dispatch_uid="wiki.links_version.deleted")
def link_targets_changed(sender, **kwargs) -> None:
    # A page appeared, vanished or moved: cached renderings may hold stale links.
    links_version_bump()
