"""Wiki URLs (French paths). Names are the contract templates and tests rely on."""

from django.urls import path

from wiki.views import (
    discussions,
    editing,
    history,
    links,
    pages,
    patrol,
    recent_changes,
    watchlists,
)

app_name = "wiki"
urlpatterns = [
    path("page-demandee/", pages.missing_page, name="missing-page"),
    # Editing with conflict detection and live preview.
    path("<int:page_id>/modifier/", editing.page_edit, name="edit"),
    path("apercu/", editing.preview, name="preview"),
    path("<int:page_id>/brouillon/", editing.draft, name="draft"),
    path("mes-brouillons/", editing.my_drafts, name="my-drafts"),
    # History, diffs, revert.
    path("<int:page_id>/historique/", history.page_history, name="history"),
    path("<int:page_id>/diff/", history.page_diff, name="diff"),
    path("<int:page_id>/revoquer/<int:revision_id>/", history.page_revert, name="revert"),
    # Recent changes and patrol.
    path("modifications-recentes/", recent_changes.recent_changes, name="recent-changes"),
    path("modifications/<int:change_id>/patrouiller/", patrol.change_patrol, name="patrol"),
    path("journal-de-patrouille/", patrol.patrol_log, name="patrol-log"),
    # Watchlist and notifications.
    path("<int:page_id>/suivre/", watchlists.watch_toggle, name="watch-toggle"),
    path("liste-de-suivi/", watchlists.watchlist, name="watchlist"),
    path("notifications/", watchlists.notifications, name="notifications"),
    # Discussions.
    path("<int:page_id>/discussion/", discussions.page_discussion, name="discussion"),
    path("discussion/<int:thread_id>/repondre/", discussions.thread_reply, name="thread-reply"),
    path(
        "discussion/<int:thread_id>/resolution/", discussions.thread_resolve, name="thread-resolve"
    ),
    # Links.
    path("<int:page_id>/pages-liees/", links.page_backlinks, name="backlinks"),
    path("pages-demandees/", links.wanted_pages, name="wanted-pages"),
]
