"""Read-side queries of the wiki, one module per sub-domain: ``links`` (wikilinks, backlinks,
wanted pages), ``drafts``, ``changes`` (history, recent changes, patrol), ``watchlists`` (and
notifications), ``discussions``. Each name says what it returns; the public names are
re-exported here for the callers."""

from __future__ import annotations

from wiki.selectors.changes import (
    PERIOD_DAYS,
    RECENT_CHANGES_PER_PAGE,
    ChangeFilters,
    changes_visible_to,
    changes_with_read_urls,
    page_changes,
    page_revision,
    patrol_log_entries,
    recent_changes,
    recent_changes_filter_choices,
    recent_changes_page,
    revision_diff_labels,
    revision_previous,
    unpatrolled_count_for_college,
    unpatrolled_count_per_college,
)
from wiki.selectors.discussions import (
    page_threads,
)
from wiki.selectors.drafts import (
    MY_DRAFTS_LIMIT,
    drafts_editable,
)
from wiki.selectors.links import (
    domains_user_can_add_to,
    page_backlinks,
    public_url,
    wanted_pages,
    wikilink_targets_resolved,
)
from wiki.selectors.watchlists import (
    WATCHLIST_NEW_LIMIT,
    WATCHLIST_OLDER_LIMIT,
    unread_notifications_count,
    user_notifications,
    watched_changes,
    watched_changes_since,
    watchlist_overview,
)

__all__ = [
    "ChangeFilters",
    "MY_DRAFTS_LIMIT",
    "PERIOD_DAYS",
    "RECENT_CHANGES_PER_PAGE",
    "WATCHLIST_NEW_LIMIT",
    "WATCHLIST_OLDER_LIMIT",
    "changes_visible_to",
    "changes_with_read_urls",
    "domains_user_can_add_to",
    "drafts_editable",
    "page_backlinks",
    "page_changes",
    "page_revision",
    "page_threads",
    "patrol_log_entries",
    "public_url",
    "recent_changes",
    "recent_changes_filter_choices",
    "recent_changes_page",
    "revision_diff_labels",
    "revision_previous",
    "unpatrolled_count_for_college",
    "unpatrolled_count_per_college",
    "unread_notifications_count",
    "user_notifications",
    "wanted_pages",
    "watched_changes",
    "watched_changes_since",
    "watchlist_overview",
    "wikilink_targets_resolved",
]
