"""Signal receivers: they only record which objects changed (search.indexing.changes_enqueue,
in the same transaction as the change); the indexing itself runs after the commit."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import GroupPagePermission, Page, PageViewRestriction
from wagtail.signals import page_slug_changed, post_page_move

from search.indexing import TREE, admin_key, changes_enqueue
from search.sources import INDEXED_PAGE_MODELS
from wiki.models import Edition, Institution, Profession, ReferentielPage, Specialty


def _enqueue(*keys: str) -> None:
    if settings.ELASTICSEARCH_URL:  # the demo has no index to keep up to date
        changes_enqueue(keys)


def page_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw or not issubclass(instance.specific_class or Page, INDEXED_PAGE_MODELS):
        return
    # The subtree too: the documents below (pages of a référentiel or domain) and those that
    # carry the page's visibility (its discussions, its Delphi items) change with it.
    _enqueue(f"page:{instance.pk}", f"{TREE}:{instance.pk}")


def page_deleted(sender, instance, **kwargs) -> None:
    _enqueue(f"page:{instance.pk}")


def page_deleting(sender, instance, **kwargs) -> None:
    """Delphi items rating the page lose their link by a bulk SET NULL that sends no signal:
    queue them now, while they still point at it (they are then anchored on their study's
    référentiel)."""
    model = _optional_model("consensus", "Item")
    if model is not None:
        items = model.objects.filter(page_id=instance.pk).values_list("pk", flat=True)
        _enqueue(*(f"delphi_item:{pk}" for pk in items))


def referentiel_lifecycle_changed(sender, page_id: int, **kwargs) -> None:
    """A référentiel's phase or status (facets of every page below it) changed."""
    _enqueue(f"page:{page_id}", f"{TREE}:{page_id}")


def edition_published(sender, instance, created: bool = False, raw: bool = False, **kwargs):
    """A new edition (editions never change): its documents replace the previous edition's, and
    the référentiel's live pages now give way to it for those who read published content."""
    if raw or not created:
        return
    earlier = Edition.objects.filter(referentiel_id=instance.referentiel_id).exclude(pk=instance.pk)
    _enqueue(
        f"edition:{instance.pk}",
        *(f"edition:{pk}" for pk in earlier.newest_first().values_list("pk", flat=True)[:1]),
        f"{TREE}:{instance.referentiel_id}",
    )


def page_tree_changed(sender, instance, **kwargs) -> None:
    """Moved or renamed: every URL below changed."""
    _enqueue(f"{TREE}:{instance.pk}")


def page_permission_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    """Who may see the drafts below this page changed (editor groups, view restrictions)."""
    if not raw and instance.page_id:
        _enqueue(f"{TREE}:{instance.page_id}")


def facet_source_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    """A profession, specialty or college renamed: their référentiels' facets changed."""
    if raw:
        return
    if isinstance(instance, Profession):
        referentiels = ReferentielPage.objects.filter(professions=instance)
    elif isinstance(instance, Specialty):
        referentiels = ReferentielPage.objects.filter(specialty=instance)
    else:
        referentiels = ReferentielPage.objects.filter(college=instance)
    _enqueue(*(f"{TREE}:{pk}" for pk in referentiels.values_list("pk", flat=True)))


def thread_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        _enqueue(f"thread:{instance.pk}")


def message_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw and instance.thread_id:
        _enqueue(f"thread:{instance.thread_id}")


def delphi_item_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        _enqueue(f"delphi_item:{instance.pk}")


def delphi_item_version_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw and instance.item_id:
        _enqueue(f"delphi_item:{instance.item_id}")


def study_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    # Its items' documents carry the study's title, and those rating no page its référentiel.
    if not raw and instance.pk:
        _enqueue(*(f"delphi_item:{pk}" for pk in instance.items.values_list("pk", flat=True)))


def admin_object_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    """Any object of Wagtail's admin search (Wagtail's own handlers are off: AUTO_UPDATE)."""
    if not raw and instance.pk is not None:
        _enqueue(admin_key(instance))


def _optional_model(app_label: str, name: str):
    try:
        return apps.get_model(app_label, name)
    except LookupError:  # that part of the wiki is not installed (yet)
        return None


def connect() -> None:
    uid = "search."
    # Page itself: Wagtail saves plain Page objects too (publish_scheduled unpublishing expired
    # pages). A save only sends post_save for the class it was made on, never twice.
    for model in (Page, *INDEXED_PAGE_MODELS):
        post_save.connect(page_saved, sender=model, dispatch_uid=f"{uid}saved.{model.__name__}")
    # Every deleted page, whatever its type, has its base row deleted.
    post_delete.connect(page_deleted, sender=Page, dispatch_uid=f"{uid}page_deleted")
    pre_delete.connect(page_deleting, sender=Page, dispatch_uid=f"{uid}page_deleting")
    post_page_move.connect(page_tree_changed, dispatch_uid=f"{uid}page_moved")
    post_save.connect(edition_published, sender=Edition, dispatch_uid=f"{uid}edition_published")
    from consensus.signals import referentiel_lifecycle_changed as lifecycle_changed

    lifecycle_changed.connect(referentiel_lifecycle_changed, dispatch_uid=f"{uid}lifecycle")
    page_slug_changed.connect(page_tree_changed, dispatch_uid=f"{uid}slug_changed")
    for model in (GroupPagePermission, PageViewRestriction):
        for signal in (post_save, post_delete):
            signal.connect(
                page_permission_changed,
                sender=model,
                dispatch_uid=f"{uid}permission.{model.__name__}.{id(signal)}",
            )
    for model in (Profession, Specialty, Institution):
        post_save.connect(
            facet_source_changed, sender=model, dispatch_uid=f"{uid}facet.{model.__name__}"
        )
    from modelsearch.index import get_indexed_models

    for model in get_indexed_models():
        if getattr(model, "search_auto_update", True):
            for signal in (post_save, post_delete):
                signal.connect(
                    admin_object_changed,
                    sender=model,
                    dispatch_uid=f"{uid}admin.{model._meta.label_lower}.{id(signal)}",
                )
    optional = (
        ("wiki", "Thread", thread_changed),
        ("wiki", "Message", message_changed),
        ("consensus", "Item", delphi_item_changed),
        ("consensus", "ItemVersion", delphi_item_version_changed),
        ("consensus", "Study", study_changed),
    )
    for app_label, name, receiver in optional:
        model = _optional_model(app_label, name)
        if model is None:
            continue
        for signal in (post_save, post_delete):
            signal.connect(
                receiver, sender=model, dispatch_uid=f"{uid}{app_label}.{name}.{id(signal)}"
            )
