"""Signal receivers: they only hand over to services."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, Revision
from wagtail.signals import page_published, page_unpublished, post_page_move

from wiki import signals
from wiki.rendering import links_version_bump
from wiki.services.changes import WIKI_PAGE_MODELS, change_mark_published, revision_saved
from wiki.services.links import page_links_retarget, page_links_update_from_content
from wiki.services.watchlists import notifications_for_change


@receiver(post_save, sender=Revision, dispatch_uid="wiki.change_record")
def revision_saved_change(
    sender, instance: Revision, created: bool, raw: bool = False, **kwargs
) -> None:
    # Revisions saved outside the wiki's services (Wagtail's admin): the services record theirs.
    if created and not raw:
        revision_saved(instance)


@receiver(page_published, dispatch_uid="wiki.change_published")
def revision_published(sender, instance, revision=None, **kwargs) -> None:
    if revision is not None:
        change_mark_published(revision)
        if revision.content_type.model in WIKI_PAGE_MODELS:
            page_links_update_from_content(
                page_id=instance.pk, content=revision.content, version="in_live"
            )


@receiver(page_published, dispatch_uid="wiki.links_version.published")
@receiver(page_unpublished, dispatch_uid="wiki.links_version.unpublished")
@receiver(post_page_move, dispatch_uid="wiki.links_version.moved")
@receiver(post_delete, sender=Page, dispatch_uid="wiki.links_version.deleted")
@receiver(post_save, sender=PageViewRestriction, dispatch_uid="wiki.links_version.restricted")
@receiver(post_delete, sender=PageViewRestriction, dispatch_uid="wiki.links_version.unrestricted")
@receiver(
    m2m_changed,
    sender=PageViewRestriction.groups.through,
    dispatch_uid="wiki.links_version.restriction_groups",
)
def link_targets_changed(sender, **kwargs) -> None:
    # A page appeared, vanished, moved or changed who may read it: cached renderings and
    # cached pages (wiki/page_cache.py) may hold stale links or content.
    links_version_bump_now_and_on_commit()


def links_version_bump_now_and_on_commit() -> None:
    links_version_bump()
    # Again once committed: a page rendered between the first bump and the commit read the
    # old rows under the new version.
    transaction.on_commit(links_version_bump)


# --- Watchlists and the link graph --------------------------------------------------------


@receiver(signals.change_committed, dispatch_uid="wiki.watchlists_notify")
def change_committed_notify(sender, change_id: int, **kwargs) -> None:
    notifications_for_change(change_id)


@receiver(post_save, sender=Revision, dispatch_uid="wiki.page_links_update")
def revision_saved_links(
    sender, instance: Revision, created: bool, raw: bool = False, **kwargs
) -> None:
    if created and not raw and instance.content_type.model in WIKI_PAGE_MODELS:
        page_links_update_from_content(page_id=int(instance.object_id), content=instance.content)


@receiver(post_save, dispatch_uid="wiki.page_links_retarget")
def page_saved_links(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """A page created or renamed takes over the red links that name it."""
    if raw or not isinstance(instance, Page) or sender._meta.app_label != "wiki":
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not {"title", "code"} & set(update_fields):
        return
    page_links_retarget(instance)
    # A new page (a draft, for its editors) or a new name: cached renderings may hold its
    # wikilinks red.
    links_version_bump_now_and_on_commit()
