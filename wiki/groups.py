"""Channel-layer group names, built in one place (ASCII, < 100 chars)."""


def page_editors_group(page_id: int) -> str:
    return f"wiki.page.{int(page_id)}.editors"


def recent_changes_group(audience_key: str) -> str:
    """The sockets of « Modifications récentes » that see the same rows (wiki.broadcast)."""
    return f"wiki.recentchanges.{audience_key}"
