"""Small helpers shared by the search tests."""

from search.backends import client
from search.indexing import alias_name


def refresh() -> None:
    """Make what was just written searchable now (the index refreshes every second)."""
    client().indices.refresh(index=alias_name())


def indexed(doc_id: str) -> dict | None:
    response = client().options(ignore_status=404).get(index=alias_name(), id=doc_id)
    return response.body.get("_source") if response.body.get("found") else None
