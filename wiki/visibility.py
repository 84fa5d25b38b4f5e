"""Who may see which page, revision, change and link: the one rule of the whole site.

Every wiki view, selector, consumer and notification, and search, ask this module; none rebuilds
the rule. Two kinds of reading:

- **Published content**: the live revision of a live page whose Wagtail view restrictions
  (login, groups, password) the reader passes, and the revisions that were published at some
  time (``Change.published_at``), as a wiki's public history shows them.
- **Drafts**: every revision, published or not, of the pages in the subtrees the reader may
  edit (Wagtail ``add_page``/``change_page`` permissions of their groups); patrollers, the
  steering committee and superusers read every draft of the tree. Those who may read a page's
  drafts also read it when it is restricted: they can open it in the Wagtail admin anyway.

A ``Reader`` is computed once per user (or request) and holds what the rule needs, so that the
same object filters querysets (``pages_q``, ``changes_q``, ``links_q``) and answers single
questions (``may_view_page``, ``may_read_drafts``, ``may_view_revision``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db.models import Q
from wagtail.models import GroupPagePermission, Page, PageViewRestriction, Revision

from wiki.roles import PATROLLERS, STEERING_COMMITTEE

# Wagtail keeps the password restrictions a session has passed under this key.
PASSED_RESTRICTIONS_SESSION_KEY = "passed_page_view_restrictions"
DRAFT_PERMISSIONS = ("add_page", "change_page")


@dataclass(frozen=True)
class Reader:
    user_id: int | None = None
    authenticated: bool = False
    superuser: bool = False
    # Superusers, patrollers and the steering committee read every draft.
    all_drafts: bool = False
    group_ids: tuple[int, ...] = ()
    # Tree paths of the subtrees whose drafts this reader may read (those they may edit).
    draft_paths: tuple[str, ...] = ()
    passed_restrictions: frozenset[int] = field(default_factory=frozenset)

    def reads_drafts_at(self, path: str) -> bool:
        return self.all_drafts or any(path.startswith(p) for p in self.draft_paths)

    def accepts(self, restriction: _Restriction) -> bool:
        """Whether this reader passes a view restriction (Wagtail's own semantics)."""
        if restriction.kind == PageViewRestriction.LOGIN:
            return self.authenticated
        if restriction.kind == PageViewRestriction.GROUPS:
            return self.superuser or bool(set(self.group_ids) & restriction.group_ids)
        if restriction.kind == PageViewRestriction.PASSWORD:
            return restriction.pk in self.passed_restrictions
        return True  # PageViewRestriction.NONE


PUBLIC = Reader()


@dataclass(frozen=True)
class _Restriction:
    pk: int
    path: str
    kind: str
    group_ids: frozenset[int]


def reader_for(user, session=None) -> Reader:
    """What `user` may read. `session` (a request's) carries the password restrictions passed;
    without it (e-mails, search documents) password-restricted pages stay hidden."""
    if user is None or not user.is_authenticated or not user.is_active:
        passed = _passed(session)
        return Reader(passed_restrictions=passed) if passed else PUBLIC
    groups = list(user.groups.values_list("id", "name"))  # one query for ids and roles
    group_ids = tuple(sorted(pk for pk, _name in groups))
    all_drafts = bool(
        user.is_superuser or any(name in (PATROLLERS, STEERING_COMMITTEE) for _pk, name in groups)
    )
    paths: tuple[str, ...] = ()
    if not all_drafts and group_ids:
        paths = tuple(
            sorted(
                set(
                    GroupPagePermission.objects.filter(
                        group_id__in=group_ids, permission__codename__in=DRAFT_PERMISSIONS
                    ).values_list("page__path", flat=True)
                )
            )
        )
    return Reader(
        user_id=user.pk,
        authenticated=True,
        superuser=user.is_superuser,
        all_drafts=all_drafts,
        group_ids=group_ids,
        draft_paths=paths,
        passed_restrictions=_passed(session),
    )


def audience_key(reader: Reader) -> str:
    """A short key shared by every reader who may see exactly the same pages as `reader`
    (the user id left out): caches of what depends on visibility are keyed by it, so that
    two audiences never share an entry."""
    if reader == PUBLIC:
        return "public"
    parts = (
        reader.authenticated,
        reader.superuser,
        reader.all_drafts,
        reader.group_ids,
        reader.draft_paths,
        tuple(sorted(reader.passed_restrictions)),
    )
    return hashlib.blake2b(repr(parts).encode(), digest_size=8).hexdigest()


def request_reader(request) -> Reader:
    """The reader of a request, computed once per request."""
    reader = getattr(request, "_wiki_reader", None)
    if reader is None:
        reader = reader_for(getattr(request, "user", None), getattr(request, "session", None))
        request._wiki_reader = reader
    return reader


def _passed(session) -> frozenset[int]:
    if session is None:
        return frozenset()
    try:
        return frozenset(int(pk) for pk in session.get(PASSED_RESTRICTIONS_SESSION_KEY, []))
    except (TypeError, ValueError):
        return frozenset()


def _restrictions() -> list[_Restriction]:
    """Every view restriction of the tree (a handful of rows: one query, groups prefetched)."""
    return [
        _Restriction(
            pk=r.pk,
            path=r.page.path,
            kind=r.restriction_type,
            group_ids=frozenset(g.pk for g in r.groups.all()),
        )
        for r in PageViewRestriction.objects.select_related("page").prefetch_related("groups")
    ]


def _failed_restriction_paths(reader: Reader) -> list[str]:
    return [r.path for r in _restrictions() if not reader.accepts(r)]


# --- Single questions ---------------------------------------------------------------------


def may_read_drafts(reader: Reader, page: Page) -> bool:
    """Whether `reader` reads every revision of `page`, unpublished ones included."""
    return reader.authenticated and reader.reads_drafts_at(page.path)


def may_read_published(reader: Reader, page: Page) -> bool:
    """Whether `reader` reads the published version of `page` (live and not restricted for them)."""
    if not page.live:
        return False
    return not any(
        page.path.startswith(r.path) and not reader.accepts(r) for r in _restrictions()
    ) or may_read_drafts(reader, page)


def may_view_page(reader: Reader, page: Page) -> bool:
    """Whether `reader` may see anything of `page` (its published version or its drafts)."""
    return may_read_drafts(reader, page) or may_read_published(reader, page)


def revision_was_published(page: Page, revision_id: int | None) -> bool:
    if revision_id is None:
        return False
    if revision_id == page.live_revision_id:
        return True
    # Through the revision's Change (wiki.models.Change.revision, related name wiki_change).
    return Revision.objects.filter(pk=revision_id, wiki_change__published_at__isnull=False).exists()


def may_view_revision(reader: Reader, page: Page, revision_id: int | None) -> bool:
    """Drafts readers see every revision; others only the published ones of a page they see."""
    if may_read_drafts(reader, page):
        return True
    return may_read_published(reader, page) and revision_was_published(page, revision_id)


# --- Queryset filters ---------------------------------------------------------------------


def _startswith_any(lookup: str, paths) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{lookup}__startswith": path})
    return q


def published_pages_q(reader: Reader, prefix: str = "") -> Q:
    """Pages whose published version `reader` reads (live, restrictions passed)."""
    q = Q(**{f"{prefix}live": True})
    failed = _failed_restriction_paths(reader)
    if failed:
        q &= ~_startswith_any(f"{prefix}path", failed)
    return q


def draft_pages_q(reader: Reader, prefix: str = "") -> Q | None:
    """Pages whose drafts `reader` reads (None: every page)."""
    if reader.authenticated and reader.all_drafts:
        return None
    if not reader.authenticated or not reader.draft_paths:
        return Q(pk__in=[])
    return _startswith_any(f"{prefix}path", reader.draft_paths)


def pages_q(reader: Reader, prefix: str = "") -> Q | None:
    """Pages `reader` may see anything of; None when they see every page."""
    drafts = draft_pages_q(reader, prefix)
    if drafts is None:
        return None
    return published_pages_q(reader, prefix) | drafts


def changes_q(reader: Reader, prefix: str = "") -> Q | None:
    """Changes (saved revisions) `reader` may see; `prefix` leads to the Change. None: all."""
    drafts = draft_pages_q(reader, f"{prefix}page__")
    if drafts is None:
        return None
    published = published_pages_q(reader, f"{prefix}page__") & Q(
        **{f"{prefix}published_at__isnull": False}
    )
    return published | drafts


def links_q(reader: Reader) -> Q | None:
    """Links (PageLink) `reader` may see: those of the published version of pages they read,
    and those of the latest version of pages whose drafts they read. None: all links."""
    drafts = draft_pages_q(reader, "source__")
    if drafts is None:
        return Q(in_latest=True) | Q(in_live=True, source__live=True)
    return (Q(in_live=True) & published_pages_q(reader, "source__")) | (Q(in_latest=True) & drafts)


def visible_pages(queryset, reader: Reader):
    q = pages_q(reader)
    return queryset if q is None else queryset.filter(q)


def published_pages(queryset, reader: Reader):
    return queryset.filter(published_pages_q(reader))
