"""Turn wiki pages, discussions and Delphi items into search documents, in batches.

A source knows, for its kind of object, how to build the documents of a list of ids (None for an
id that must leave the index: deleted, or no longer indexable) and how to list every id for a
full reindex. Batches load what the documents denormalise (ancestors, facets, editor groups) in
a fixed number of queries, whatever the batch size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from wagtail.models import GroupPagePermission, Page, PageViewRestriction, Site

from search.documents import (
    CompetencyDocument,
    DelphiItemDocument,
    DiscussionDocument,
    DomainDocument,
    ReferentielDocument,
    SearchDocument,
)
from search.text import plain_text
from wiki.models import CompetencyPage, DomainPage, Edition, ReferentielPage
from wiki.snapshots import ReferentielSnapshot, snapshot_from_json

BATCH_SIZE = 500
Documents = dict[str, SearchDocument | None]

# ---------------------------------------------------------------- page context


@dataclass
class _Referentiel:
    id: int
    title: str
    professions: list[str]
    specialty: str
    college: str
    cycle: str
    phase: str


@dataclass
class PageContext:
    """What a batch of page documents shares: ancestors, permissions, restrictions, URLs."""

    referentiels: dict[str, _Referentiel] = field(default_factory=dict)  # by path
    domains: dict[str, str] = field(default_factory=dict)  # path → title
    editor_perms: list[tuple[str, int]] = field(default_factory=list)  # (path, group id)
    restrictions: list[tuple[str, str]] = field(default_factory=list)  # (path, kind)
    # Paths of the référentiels that have a published edition (the public reads it instead).
    with_edition: set[str] = field(default_factory=set)
    root_url_path: str = "/"

    @classmethod
    def for_paths(cls, paths: Iterable[str]) -> PageContext:
        steplen = Page.steplen
        ancestors = {p[:i] for p in paths for i in range(steplen, len(p) + 1, steplen)}
        context = cls()
        for ref in (
            ReferentielPage.objects.filter(path__in=ancestors)
            .select_related("specialty", "college")
            .prefetch_related("professions")
        ):
            context.referentiels[ref.path] = _Referentiel(
                id=ref.pk,
                title=ref.title,
                professions=sorted(p.name for p in ref.professions.all()),
                specialty=ref.specialty.name if ref.specialty else "",
                college=(ref.college.acronym or ref.college.name) if ref.college else "",
                cycle=ref.cycle or "",
                phase=str(ref.phase or ""),
            )
        context.domains = dict(
            DomainPage.objects.filter(path__in=ancestors).values_list("path", "title")
        )
        # Wagtail's can_edit(): a "change" permission on the page or one of its ancestors.
        context.editor_perms = list(
            GroupPagePermission.objects.filter(
                permission__codename="change_page", page__path__in=ancestors
            ).values_list("page__path", "group_id")
        )
        context.restrictions = list(
            PageViewRestriction.objects.filter(page__path__in=ancestors).values_list(
                "page__path", "restriction_type"
            )
        )
        context.with_edition = set(
            Edition.objects.filter(referentiel__path__in=ancestors).values_list(
                "referentiel__path", flat=True
            )
        )
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is not None:
            context.root_url_path = site.root_page.url_path
        return context

    def url(self, url_path: str) -> str:
        if url_path.startswith(self.root_url_path):
            return "/" + url_path[len(self.root_url_path) :]
        return url_path

    def referentiel(self, path: str) -> _Referentiel | None:
        for ancestor_path, info in self.referentiels.items():
            if path.startswith(ancestor_path):
                return info
        return None

    def domain(self, path: str) -> str:
        for ancestor_path, title in self.domains.items():
            if path.startswith(ancestor_path):
                return title
        return ""

    def edition_replaced(self, path: str) -> bool:
        return any(path.startswith(p) for p in self.with_edition)

    def editor_groups(self, path: str) -> list[int]:
        return sorted({group for p, group in self.editor_perms if path.startswith(p)})

    def restriction(self, path: str) -> str:
        kinds = {kind for p, kind in self.restrictions if path.startswith(p)}
        if not kinds:
            return "none"
        return "login" if kinds == {PageViewRestriction.LOGIN} else "private"

    def common(self, page: Page) -> dict:
        """Fields every document about `page` carries (facets, visibility, URL)."""
        ref = self.referentiel(page.path)
        values = {
            "page_id": page.pk,
            "path": page.path,
            "url": self.url(page.url_path),
            "live": bool(page.live),
            "restriction": self.restriction(page.path),
            "editor_groups": self.editor_groups(page.path),
            "domain": self.domain(page.path) or None,
        }
        if ref is not None:
            values.update(
                referentiel=ref.title,
                referentiel_id=ref.id,
                professions=ref.professions,
                specialty=ref.specialty or None,
                college=ref.college or None,
                cycle=ref.cycle or None,
                phase=ref.phase or None,
            )
        return values


# ---------------------------------------------------------------- pages

INDEXED_PAGE_MODELS = (ReferentielPage, DomainPage, CompetencyPage)


def _as_shown(page: Page) -> Page:
    """The content the index holds: the published one, or the latest draft of a page that was
    never published (a draft's edits live in its revisions, not in the page row)."""
    if page.live or not page.latest_revision_id:
        return page
    try:
        return page.with_content_json(page.latest_revision.content)
    except Exception:  # a revision that no longer deserialises: index the row instead
        return page


def page_document(page: Page, context: PageContext) -> SearchDocument | None:
    shown = _as_shown(page)
    common = {**context.common(page), "edition_replaced": context.edition_replaced(page.path)}
    meta = {"id": f"page-{page.pk}"}
    if isinstance(shown, ReferentielPage):
        return ReferentielDocument(
            meta=meta,
            **{**common, "referentiel": shown.title, "referentiel_id": page.pk},
            title=shown.title,
            intro=plain_text(shown.intro),
        )
    if isinstance(shown, DomainPage):
        return DomainDocument(
            meta=meta,
            **{**common, "domain": shown.title},
            title=shown.title,
            code=shown.code,
            intro=plain_text(shown.intro),
        )
    if isinstance(shown, CompetencyPage):
        return CompetencyDocument(
            meta=meta,
            **common,
            title=shown.title,
            code=shown.code,
            statement=plain_text(shown.statement),
            learning_outcomes=[o.text for o in shown.learning_outcomes.all()],
            rank=shown.rank or None,
            evaluation_methods=[m.name for m in shown.evaluation_methods.all()],
            body=plain_text(shown.body),
        )
    return None


def page_documents(page_ids: list[int]) -> Documents:
    """Documents of these pages; None for pages deleted or of a type that is not indexed."""
    found: dict[int, Page] = {}
    types = _indexed_content_types()
    by_model: dict[type[Page], list[int]] = defaultdict(list)
    for pk, content_type_id in Page.objects.filter(pk__in=page_ids).values_list(
        "pk", "content_type_id"
    ):
        if content_type_id in types:
            by_model[types[content_type_id]].append(pk)
    for model, ids in by_model.items():
        queryset = model.objects.filter(pk__in=ids).select_related("latest_revision")
        if model is CompetencyPage:
            queryset = queryset.prefetch_related("learning_outcomes", "evaluation_methods")
        for page in queryset:
            found[page.pk] = page
    context = PageContext.for_paths(page.path for page in found.values())
    return {
        f"page-{pk}": (page_document(found[pk], context) if pk in found else None)
        for pk in page_ids
    }


def page_ids_all() -> Iterator[list[int]]:
    ids = list(
        Page.objects.filter(content_type__in=list(_indexed_content_types()))
        .order_by("path")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), BATCH_SIZE):
        yield ids[start : start + BATCH_SIZE]


def page_ids_in_tree(page_id: int) -> list[int]:
    root = Page.objects.filter(pk=page_id).only("path").first()
    if root is None:
        return [page_id]
    return list(Page.objects.filter(path__startswith=root.path).values_list("pk", flat=True))


def _indexed_content_types() -> dict[int, type[Page]]:
    from django.contrib.contenttypes.models import ContentType

    return {
        content_type.pk: model
        for model, content_type in ContentType.objects.get_for_models(*INDEXED_PAGE_MODELS).items()
    }


# ---------------------------------------------------------------- discussions


def _thread_model():
    try:
        return apps.get_model("wiki", "Thread")
    except LookupError:  # discussions not installed
        return None


def _discussion_url(page_id: int, thread_id: int, fallback: str) -> str:
    try:
        return reverse("wiki:discussion", kwargs={"page_id": page_id}) + f"#discussion-{thread_id}"
    except NoReverseMatch:
        return fallback


def discussion_documents(thread_ids: list[int]) -> Documents:
    model = _thread_model()
    threads = (
        {t.pk: t for t in model.objects.filter(pk__in=thread_ids).prefetch_related("messages")}
        if model
        else {}
    )
    pages = {p.pk: p for p in Page.objects.filter(pk__in={t.page_id for t in threads.values()})}
    context = PageContext.for_paths(p.path for p in pages.values())
    documents: Documents = {}
    for pk in thread_ids:
        thread = threads.get(pk)
        page = pages.get(thread.page_id) if thread else None
        if thread is None or page is None:
            documents[f"thread-{pk}"] = None
            continue
        common = context.common(page)
        documents[f"thread-{pk}"] = DiscussionDocument(
            meta={"id": f"thread-{pk}"},
            **{**common, "url": _discussion_url(page.pk, pk, common["url"])},
            title=thread.title,
            messages=[plain_text(m.body) for m in thread.messages.all()],
            resolved=thread.resolved_at is not None,
        )
    return documents


def discussion_ids_all() -> Iterator[list[int]]:
    model = _thread_model()
    if model is None:
        return
    ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH_SIZE):
        yield ids[start : start + BATCH_SIZE]


def discussion_ids_in_tree(page_id: int) -> list[int]:
    model = _thread_model()
    root = Page.objects.filter(pk=page_id).only("path").first()
    if model is None or root is None:
        return []
    return list(model.objects.filter(page__path__startswith=root.path).values_list("pk", flat=True))


# ---------------------------------------------------------------- Delphi items


def _item_model():
    try:
        return apps.get_model("consensus", "Item")
    except LookupError:  # consensus items not installed yet
        return None


def delphi_item_documents(item_ids: list[int]) -> Documents:
    """Items in their current wording, attached to the page they rate (or their référentiel)."""
    model = _item_model()
    items = (
        {
            i.pk: i
            for i in model.objects.filter(pk__in=item_ids)
            .select_related("study", "page")
            .prefetch_related("versions")
        }
        if model
        else {}
    )
    anchors: dict[int, Page] = {}
    for item in items.values():
        anchor = item.page or getattr(item.study, "referentiel", None)
        if anchor is not None:
            anchors[item.pk] = anchor
    context = PageContext.for_paths(p.path for p in anchors.values())
    documents: Documents = {}
    for pk in item_ids:
        item, anchor = items.get(pk), anchors.get(pk)
        versions = sorted(item.versions.all(), key=lambda v: v.number) if item else []
        if item is None or anchor is None or not versions:
            documents[f"delphi_item-{pk}"] = None
            continue
        current = versions[-1]
        documents[f"delphi_item-{pk}"] = DelphiItemDocument(
            meta={"id": f"delphi_item-{pk}"},
            **context.common(anchor),
            title=f"{item.code} — {current.text[:120]}",
            code=item.code,
            wording=current.text,
            body=plain_text(current.context),
            study=str(item.study),
        )
    return documents


def delphi_item_ids_all() -> Iterator[list[int]]:
    model = _item_model()
    if model is None:
        return
    ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH_SIZE):
        yield ids[start : start + BATCH_SIZE]


def delphi_item_ids_in_tree(page_id: int) -> list[int]:
    """Items rating a page of the subtree, and items of a study on a référentiel of the subtree
    that rate no page (delphi_item_documents anchors those on the référentiel)."""
    model = _item_model()
    root = Page.objects.filter(pk=page_id).only("path").first()
    if model is None or root is None:
        return []
    in_tree = Q(page__path__startswith=root.path) | Q(
        page__isnull=True, study__referentiel__path__startswith=root.path
    )
    return list(model.objects.filter(in_tree).values_list("pk", flat=True))


# ---------------------------------------------------------------- editions
#
# Only the latest edition of each référentiel is in the index: its référentiel, domains and
# competencies as the snapshot froze them, with the référentiel page's visibility and facets
# (whoever may read the référentiel may read its editions: wiki.views.editions). Ids are
# positions in the snapshot (`edition-<pk>-d<i>-c<j>`), so the documents of an edition that a
# newer one replaced can be listed again, from its snapshot, and deleted.


def _edition_id(edition_pk: int, domain: int | None = None, competency: int | None = None) -> str:
    doc_id = f"edition-{edition_pk}"
    if domain is not None:
        doc_id += f"-d{domain}"
    if competency is not None:
        doc_id += f"-c{competency}"
    return doc_id


def _edition_ids(edition_pk: int, snapshot: ReferentielSnapshot) -> list[str]:
    ids = [_edition_id(edition_pk)]
    for i, domain in enumerate(snapshot.domains):
        ids.append(_edition_id(edition_pk, i))
        ids.extend(_edition_id(edition_pk, i, j) for j in range(len(domain.competencies)))
    return ids


def _latest_edition_ids(referentiel_ids: Iterable[int] | None = None) -> set[int]:
    """The pk of each référentiel's latest edition (all référentiels, or those given)."""
    rows = Edition.objects.all()
    if referentiel_ids is not None:
        rows = rows.filter(referentiel_id__in=list(referentiel_ids))
    latest: dict[int, tuple[int, int, int]] = {}
    for pk, referentiel_id, major, minor in rows.values_list(
        "pk", "referentiel_id", "major", "minor"
    ):
        if referentiel_id not in latest or (major, minor) > latest[referentiel_id][1:]:
            latest[referentiel_id] = (pk, major, minor)
    return {pk for pk, _major, _minor in latest.values()}


def edition_url(slug: str, version: str, anchor: str = "") -> str:
    url = reverse("referentiels:edition", args=[slug, version])
    return f"{url}#{anchor}" if anchor else url


def edition_documents(edition_ids: list[int]) -> Documents:
    """The documents of each edition that is its référentiel's latest; None for every document
    of an edition a newer one replaced."""
    editions = {
        e.pk: e for e in Edition.objects.filter(pk__in=edition_ids).select_related("referentiel")
    }
    latest = _latest_edition_ids({e.referentiel_id for e in editions.values()})
    context = PageContext.for_paths(e.referentiel.path for e in editions.values())
    documents: Documents = {}
    for pk in edition_ids:
        edition = editions.get(pk)
        if edition is None:  # editions are never deleted; nothing is known of its documents
            documents[_edition_id(pk)] = None
            continue
        snapshot = snapshot_from_json(edition.snapshot)
        if pk not in latest:
            documents.update(dict.fromkeys(_edition_ids(pk, snapshot)))
            continue
        documents.update(_edition_snapshot_documents(edition, snapshot, context))
    return documents


def _edition_snapshot_documents(
    edition: Edition, snapshot: ReferentielSnapshot, context: PageContext
) -> Documents:
    referentiel = edition.referentiel
    version = edition.version
    common = {
        **context.common(referentiel),
        "referentiel": snapshot.title,
        "referentiel_id": referentiel.pk,
        "edition": version,
        "edition_replaced": False,
    }
    # Tree order after the référentiel's own pages: positions, zero-padded, sort as numbers.
    path = f"{referentiel.path}~"
    documents: Documents = {
        _edition_id(edition.pk): ReferentielDocument(
            meta={"id": _edition_id(edition.pk)},
            **{**common, "url": edition_url(referentiel.slug, version), "path": path},
            title=snapshot.title,
            intro=plain_text(snapshot.intro),
        )
    }
    for i, domain in enumerate(snapshot.domains):
        domain_id = _edition_id(edition.pk, i)
        documents[domain_id] = DomainDocument(
            meta={"id": domain_id},
            **{
                **common,
                "domain": domain.title,
                "url": edition_url(referentiel.slug, version, domain.anchor),
                "path": f"{path}{i:05d}",
            },
            title=domain.title,
            code=domain.code,
            intro=plain_text(domain.intro),
        )
        for j, competency in enumerate(domain.competencies):
            competency_id = _edition_id(edition.pk, i, j)
            documents[competency_id] = CompetencyDocument(
                meta={"id": competency_id},
                **{
                    **common,
                    "domain": domain.title,
                    "url": edition_url(referentiel.slug, version, competency.anchor),
                    "path": f"{path}{i:05d}{j:05d}",
                },
                title=competency.title,
                code=competency.code,
                statement=plain_text(competency.statement),
                learning_outcomes=list(competency.learning_outcomes),
                rank=competency.rank or None,
                evaluation_methods=list(competency.evaluation_methods),
                body=plain_text(competency.body),
            )
    return documents


def edition_ids_all() -> Iterator[list[int]]:
    ids = sorted(_latest_edition_ids())
    for start in range(0, len(ids), 20):  # an edition is up to a few hundred documents
        yield ids[start : start + 20]


def edition_ids_in_tree(page_id: int) -> list[int]:
    """The latest editions of the référentiels in a page's subtree: their visibility, URL and
    facets come from the référentiel page (its saves, moves and restrictions queue its tree)."""
    root = Page.objects.filter(pk=page_id).only("path").first()
    if root is None:
        return []
    referentiels = ReferentielPage.objects.filter(path__startswith=root.path).values_list(
        "pk", flat=True
    )
    return sorted(_latest_edition_ids(referentiels))


# ---------------------------------------------------------------- registry


@dataclass(frozen=True)
class Source:
    name: str  # the prefix of its queue keys ("page:42") and document ids ("page-42")
    documents: Callable[[list[int]], Documents]
    ids_all: Callable[[], Iterator[list[int]]]
    ids_in_tree: Callable[[int], list[int]]


SOURCES: dict[str, Source] = {
    source.name: source
    for source in (
        Source("page", page_documents, page_ids_all, page_ids_in_tree),
        Source("thread", discussion_documents, discussion_ids_all, discussion_ids_in_tree),
        Source("delphi_item", delphi_item_documents, delphi_item_ids_all, delphi_item_ids_in_tree),
        Source("edition", edition_documents, edition_ids_all, edition_ids_in_tree),
    )
}
