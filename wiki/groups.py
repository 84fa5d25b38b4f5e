"""Channel-layer group names, built in one place (ASCII, < 100 chars)."""


def page_editors_group(page_id: int) -> str:
    return f"wiki.page.{int(page_id)}.editors"


def recent_changes_group() -> str:
    return "wiki.recentchanges"
