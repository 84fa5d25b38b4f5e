"""Small helpers shared by the search tests."""

from search.connection import client
from search.indexing import alias_name


def refresh() -> None:
    """Make what was just written searchable now (the index refreshes every second)."""
    client().indices.refresh(index=alias_name())


def indexed(doc_id: str) -> dict | None:
    response = client().options(ignore_status=404).get(index=alias_name(), id=doc_id)
    return response.body.get("_source") if response.body.get("found") else None


def publish(page, **fields):
    """Set `fields` on the page's latest state and publish a revision of it."""
    page = page.specific_class.objects.get(pk=page.pk)
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page
