"""Search in the database, for when Elasticsearch is not configured (the demo) or down.

PostgreSQL: full-text search with the French configuration over unaccented text, ranked by
ts_rank. SQLite (the demo): the visible pages are few, so they are matched in Python with
the French Snowball stemmer (search.text). Both enforce the same visibility as the index and
compute the same facets; discussions and Delphi items are searched in Elasticsearch only.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import lru_cache

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, Func, Q, QuerySet, TextField, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce, Lower
from django.utils.html import escape
from django.utils.text import Truncator
from wagtail.models import GroupPagePermission, PageViewRestriction

from search.results import (
    FACET_FIELDS,
    Facet,
    FacetValue,
    SearchRequest,
    SearchResponse,
    SearchResult,
    Suggestion,
    facet_value_label,
)
from search.sources import PageContext, edition_url
from search.text import WORD, folded, plain_text, stem, terms
from search.visibility import Visibility, draft_url
from wiki.models import CompetencyPage, DomainPage, Edition, ReferentielPage
from wiki.snapshots import snapshot_from_json

MAX_MATCHES = 1000  # per page type: beyond that, ranking in Python is not worth it
SNIPPET_LENGTH = 180


class Unaccent(Func):
    function = "unaccent"


@dataclass
class _Row:
    type: str
    page_id: int
    path: str
    title: str
    url_path: str
    live: bool
    code: str = ""
    text: str = ""  # statement, or introduction
    body: str = ""
    score: float = 0.0
    facets: dict[str, list[str]] = field(default_factory=dict)
    edition: str = ""  # a published edition's wording (url_path is then the edition's URL)
    domain: str = ""  # an edition's domain title (a live page's comes from its ancestors)

    @classmethod
    def of(cls, kind: str, text_field: str, values: dict, score: float) -> _Row:
        """A row from a page's `values()` (either backend's)."""
        return cls(
            type=kind,
            page_id=values["pk"],
            path=values["path"],
            title=values["title"],
            url_path=values["url_path"],
            live=values["live"],
            code=values.get("code", ""),
            text=values[text_field] or "",
            body=values.get("body", ""),
            score=score,
        )


# (model, type, text field, weighted fields for PostgreSQL)
_MODELS = (
    (
        CompetencyPage,
        "competency",
        "statement",
        (("title", "A"), ("code", "A"), ("statement", "B"), ("body", "C")),
    ),
    (DomainPage, "domain", "intro", (("title", "A"), ("code", "A"), ("intro", "B"))),
    (ReferentielPage, "referentiel", "intro", (("title", "A"), ("intro", "B"))),
)


def _visible(queryset: QuerySet, visibility: Visibility, *, editions_replace: bool = True):
    """The pages `visibility` finds. `editions_replace`: the pages of a référentiel that has an
    edition are left to readers of drafts (the others find the edition's wording instead)."""
    if visibility.all_drafts:
        return queryset
    restrictions = PageViewRestriction.objects.values_list("page__path", "restriction_type")
    published = Q(live=True)
    for path, kind in restrictions:
        if not visibility.authenticated or kind != PageViewRestriction.LOGIN:
            published &= ~Q(path__startswith=path)
    if editions_replace:
        for path in Edition.objects.values_list("referentiel__path", flat=True).distinct():
            published &= ~Q(path__startswith=path)
    if visibility.group_ids:
        for path in GroupPagePermission.objects.filter(
            group_id__in=visibility.group_ids, permission__codename="change_page"
        ).values_list("page__path", flat=True):
            published |= Q(path__startswith=path)
    return queryset.filter(published)


def _shown(name: str):
    """A field as the index has it: published content, or a never-published page's latest
    revision (search.sources._as_shown); the page row keeps a draft's first wording."""
    return Case(
        When(
            live=False,
            latest_revision__isnull=False,
            then=Coalesce(KeyTextTransform(name, "latest_revision__content"), F(name)),
        ),
        default=F(name),
        output_field=TextField(),
    )


# ---------------------------------------------------------------- editions


@dataclass(frozen=True)
class _EditionItem:
    """A référentiel, domain or competency of an edition, as the database fallback reads it."""

    type: str
    position: str  # sorts in the snapshot's order
    title: str
    code: str
    text: str
    body: str
    domain: str
    anchor: str


@lru_cache(maxsize=64)
def _edition_items(edition_pk: int) -> tuple[_EditionItem, ...]:
    """An edition's items, parsed once per process: an edition never changes."""
    snapshot = snapshot_from_json(
        Edition.objects.values_list("snapshot", flat=True).get(pk=edition_pk)
    )
    items = [_EditionItem("referentiel", "", snapshot.title, "", snapshot.intro, "", "", "")]
    for i, domain in enumerate(snapshot.domains):
        items.append(
            _EditionItem(
                "domain", f"{i:05d}", domain.title, domain.code, domain.intro, "", "", domain.anchor
            )
        )
        for j, c in enumerate(domain.competencies):
            items.append(
                _EditionItem(
                    "competency",
                    f"{i:05d}{j:05d}",
                    c.title,
                    c.code,
                    c.statement,
                    c.body,
                    domain.title,
                    c.anchor,
                )
            )
    return tuple(items)


@lru_cache(maxsize=64)
def _edition_positions(edition_pk: int) -> dict[str, _EditionItem]:
    return {item.position: item for item in _edition_items(edition_pk)}


@dataclass(frozen=True)
class _VisibleEdition:
    pk: int
    version: str
    referentiel_id: int
    path: str
    slug: str
    live: bool


def _visible_editions(visibility: Visibility) -> list[_VisibleEdition]:
    """The latest edition of each référentiel whose editions `visibility` may read (those who
    may read the référentiel: wiki.views.editions)."""
    referentiels = {
        pk: (path, slug, live)
        for pk, path, slug, live in _visible(
            ReferentielPage.objects.filter(editions__isnull=False).distinct(),
            visibility,
            editions_replace=False,
        ).values_list("pk", "path", "slug", "live")
    }
    latest: dict[int, tuple[int, int, int]] = {}
    for pk, referentiel_id, major, minor in Edition.objects.filter(
        referentiel_id__in=list(referentiels)
    ).values_list("pk", "referentiel_id", "major", "minor"):
        if referentiel_id not in latest or (major, minor) > latest[referentiel_id][1:]:
            latest[referentiel_id] = (pk, major, minor)
    return [
        _VisibleEdition(pk, f"{major}.{minor}", ref_id, *referentiels[ref_id])
        for ref_id, (pk, major, minor) in sorted(latest.items())
    ]


def _edition_row(edition: _VisibleEdition, item: _EditionItem, score: float) -> _Row:
    return _Row(
        type=item.type,
        page_id=edition.referentiel_id,
        path=f"{edition.path}~{item.position}",
        title=item.title,
        url_path=edition_url(edition.slug, edition.version, item.anchor),
        live=edition.live,
        code=item.code,
        text=item.text,
        body=item.body,
        score=score,
        edition=edition.version,
        domain=item.domain,
    )


# Same weights as the pages' vectors (_MODELS): title and code A, statement or intro B, body C.
_EDITION_SQL = """
WITH items AS (
    SELECT e.id AS edition_id, ''::text AS position, e.snapshot->>'title' AS title, '' AS code,
           e.snapshot->>'intro' AS text, '' AS body
    FROM wiki_edition e WHERE e.id = ANY(%(ids)s)
  UNION ALL
    SELECT e.id, lpad((d.ord - 1)::text, 5, '0'), d.value->>'title', d.value->>'code',
           d.value->>'intro', ''
    FROM wiki_edition e
    CROSS JOIN LATERAL jsonb_array_elements(e.snapshot->'domains') WITH ORDINALITY AS d(value, ord)
    WHERE e.id = ANY(%(ids)s)
  UNION ALL
    SELECT e.id, lpad((d.ord - 1)::text, 5, '0') || lpad((c.ord - 1)::text, 5, '0'),
           c.value->>'title', c.value->>'code', c.value->>'statement', c.value->>'body'
    FROM wiki_edition e
    CROSS JOIN LATERAL jsonb_array_elements(e.snapshot->'domains') WITH ORDINALITY AS d(value, ord)
    CROSS JOIN LATERAL jsonb_array_elements(d.value->'competencies')
        WITH ORDINALITY AS c(value, ord)
    WHERE e.id = ANY(%(ids)s)
), vectors AS (
    SELECT edition_id, position, code,
           setweight(to_tsvector('french', unaccent(coalesce(title, ''))), 'A')
           || setweight(to_tsvector('french', unaccent(coalesce(code, ''))), 'A')
           || setweight(to_tsvector('french', unaccent(coalesce(text, ''))), 'B')
           || setweight(to_tsvector('french', unaccent(coalesce(body, ''))), 'C') AS document
    FROM items
)
SELECT edition_id, position, ts_rank(document, query), lower(code) = lower(%(code)s)
FROM vectors, websearch_to_tsquery('french', %(query)s) AS query
WHERE document @@ query
LIMIT %(limit)s
"""


def _edition_rows_postgresql(text: str, visibility: Visibility) -> list[_Row]:
    editions = {e.pk: e for e in _visible_editions(visibility)}
    if not editions:
        return []
    params = {"ids": list(editions), "query": folded(text), "code": text.strip(), "limit": 5000}
    with connection.cursor() as cursor:
        cursor.execute(_EDITION_SQL, params)
        found = cursor.fetchall()
    rows = []
    for edition_pk, position, rank, exact_code in found:
        edition = editions[edition_pk]
        item = _edition_positions(edition_pk)[position]
        rows.append(_edition_row(edition, item, (1000 if exact_code else 0) + rank))
    return rows


def _edition_rows_python(text: str, visibility: Visibility) -> list[_Row]:
    wanted, code, rows = terms(text), text.strip().upper(), []
    for edition in _visible_editions(visibility):
        for item in _edition_items(edition.pk):
            score = _score(
                wanted, code, item.code, ((3.0, item.title), (2.0, item.text), (1.0, item.body))
            )
            if score is not None:
                rows.append(_edition_row(edition, item, score))
    return rows


def _edition_rows_browse(visibility: Visibility) -> list[_Row]:
    rows = []
    for edition in _visible_editions(visibility):
        rows += [_edition_row(edition, item, 0.0) for item in _edition_items(edition.pk)]
    return rows[: MAX_MATCHES * 3]


# ---------------------------------------------------------------- pages


def _rows_postgresql(text: str, visibility: Visibility) -> list[_Row]:
    query = SearchQuery(folded(text), config="french", search_type="websearch")
    rows = []
    for model, kind, text_field, weighted in _MODELS:
        vector = None
        for name, weight in weighted:
            part = SearchVector(Unaccent(_shown(name)), config="french", weight=weight)
            vector = part if vector is None else vector + part
        has_code = any(name == "code" for name, _w in weighted)
        exact_code = (
            Case(When(code__iexact=text.strip(), then=Value(1)), default=Value(0))
            if has_code
            else Value(0)
        )
        queryset = (
            _visible(model.objects.all(), visibility)
            .annotate(document=vector, exact_code=exact_code)
            .filter(document=query)
            .annotate(fts_rank=SearchRank(F("document"), query))
            .order_by("-exact_code", "-fts_rank", "path")
        )
        shown = {
            f"shown_{name}": _shown(name)
            for name in ("title", text_field, *(["code"] if has_code else []))
            + (("body",) if model is CompetencyPage else ())
        }
        fields = ["pk", "path", "url_path", "live", "fts_rank", "exact_code", *shown]
        for shown_values in queryset.values(*fields, **shown)[:MAX_MATCHES]:
            values = {k.removeprefix("shown_"): v for k, v in shown_values.items()}
            score = values["exact_code"] * 1000 + values["fts_rank"]
            rows.append(_Row.of(kind, text_field, values, score))
    return rows + _edition_rows_postgresql(text, visibility)


def _score(
    wanted: list[str], code: str, item_code: str, weighted: tuple[tuple[float, str], ...]
) -> float | None:
    """Every wanted term must occur (a word equal to it, or starting with it from five
    letters); each counts its best field's weight. None: some term is missing."""
    weighted = ((3.0, item_code), *weighted)
    score = 0.0
    for term in wanted:
        best = 0.0
        for weight, content in weighted:
            for word in terms(content):
                if word == term or (len(term) >= 5 and word.startswith(term)):
                    best = max(best, weight)
                    break
        if not best:
            return None
        score += best
    if (item_code or "").upper() == code:
        score += 1000
    return score


def rows_python(text: str, visibility: Visibility) -> list[_Row]:
    wanted = terms(text)
    if not wanted:
        return []
    code = text.strip().upper()
    rows = []
    for model, kind, text_field, _weighted in _MODELS:
        fields = ["pk", "path", "title", "url_path", "live", text_field]
        if model is not ReferentielPage:
            fields.append("code")
        if model is CompetencyPage:
            fields.append("body")
        for values in _visible(model.objects.all(), visibility).values(*fields)[:5000]:
            weighted = (
                (3.0, values["title"]),
                (2.0, values[text_field] or ""),
                (1.0, values.get("body", "")),
            )
            score = _score(wanted, code, values.get("code", ""), weighted)
            if score is not None:
                rows.append(_Row.of(kind, text_field, values, score))
    return rows + _edition_rows_python(text, visibility)


def _rows_browse(visibility: Visibility) -> list[_Row]:
    """No text, only facets: every visible page, in tree order."""
    rows = []
    for model, kind, text_field, _weighted in _MODELS:
        fields = ["pk", "path", "title", "url_path", "live", text_field]
        if model is not ReferentielPage:
            fields.append("code")
        for values in _visible(model.objects.all(), visibility).values(*fields)[:MAX_MATCHES]:
            rows.append(_Row.of(kind, text_field, values, 0.0))
    return rows + _edition_rows_browse(visibility)


def _with_facets(rows: list[_Row]) -> None:
    context = PageContext.for_paths(row.path for row in rows)
    for row in rows:
        ref = context.referentiel(row.path)
        domain = row.title if row.type == "domain" else (row.domain or context.domain(row.path))
        row.facets = {
            "type": [row.type],
            "profession": ref.professions if ref else [],
            "specialty": [ref.specialty] if ref and ref.specialty else [],
            "domain": [domain] if domain else [],
            "cycle": [ref.cycle] if ref and ref.cycle else [],
            "phase": [ref.phase] if ref and ref.phase else [],
        }
        if not row.edition:
            row.url_path = context.url(row.url_path)
        if ref is not None:
            row.facets["_referentiel"] = [ref.title]


def _passes(row: _Row, filters: dict[str, tuple[str, ...]], skip: str | None = None) -> bool:
    for name, values in filters.items():
        if name == skip or not values:
            continue
        if not set(values) & set(row.facets.get(name, ())):
            return False
    return True


def _facets(rows: list[_Row], request: SearchRequest) -> list[Facet]:
    facets = []
    for name in FACET_FIELDS:
        counts: dict[str, int] = {}
        for row in rows:
            if _passes(row, request.filters, skip=name):
                for value in row.facets.get(name, ()):
                    counts[value] = counts.get(value, 0) + 1
        selected = set(request.filters.get(name, ()))
        for value in selected - set(counts):
            counts[value] = 0
        values = [
            FacetValue(
                value=value,
                label=facet_value_label(name, value),
                count=count,
                selected=value in selected,
            )
            for value, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ]
        if values:
            facets.append(Facet(name=name, values=values))
    return facets


def highlight(text: str, query: str, length: int = SNIPPET_LENGTH) -> str:
    """Escaped excerpt of `text` around the first matched word, matches wrapped in <mark>."""
    text = plain_text(text)
    if not text:
        return ""
    wanted = set(terms(query))
    words = list(WORD.finditer(text))
    hits = [
        m
        for m in words
        if any(stem(m.group()) == t or stem(m.group()).startswith(t) for t in wanted if t)
    ]
    start = max(0, hits[0].start() - length // 3) if hits else 0
    excerpt = text[start : start + length]
    if start > 0:
        excerpt = "…" + excerpt.split(" ", 1)[-1]
    if start + length < len(text):
        excerpt = excerpt.rsplit(" ", 1)[0] + "…"
    out, last = [], 0
    for m in WORD.finditer(excerpt):
        if any(stem(m.group()) == t or stem(m.group()).startswith(t) for t in wanted if t):
            out.append(escape(excerpt[last : m.start()]))
            out.append(f"<mark>{escape(m.group())}</mark>")
            last = m.end()
    out.append(escape(excerpt[last:]))
    return "".join(out)


def _suggestion(text: str, visibility: Visibility) -> str:
    """Did you mean: each unknown word replaced by the closest word of a visible title."""
    vocabulary: set[str] = set()
    for model, *_rest in _MODELS:
        for title in _visible(model.objects.all(), visibility).values_list("title", flat=True)[
            :MAX_MATCHES
        ]:
            vocabulary.update(folded(w) for w in WORD.findall(title) if len(w) > 2)
    for edition in _visible_editions(visibility):
        for item in _edition_items(edition.pk):
            vocabulary.update(folded(w) for w in WORD.findall(item.title) if len(w) > 2)
    words, changed = [], False
    for word in WORD.findall(text):
        key = folded(word)
        if key in vocabulary or len(key) <= 2:
            words.append(word)
            continue
        close = difflib.get_close_matches(key, vocabulary, n=1, cutoff=0.75)
        words.append(close[0] if close else word)
        changed |= bool(close)
    return " ".join(words) if changed else ""


def pages_search(request: SearchRequest, visibility: Visibility) -> SearchResponse:
    if request.text:
        if connection.vendor == "postgresql":
            rows = _rows_postgresql(request.text, visibility)
        else:
            rows = rows_python(request.text, visibility)
        rows.sort(key=lambda row: (-row.score, row.path))
    else:
        rows = _rows_browse(visibility)
        rows.sort(key=lambda row: row.path)
    _with_facets(rows)
    matching = [row for row in rows if _passes(row, request.filters)]
    shown = matching[request.offset : request.offset + request.page_size]
    results = [
        SearchResult(
            title=row.title,
            url=row.url_path if row.live or row.edition else draft_url(row.page_id, row.url_path),
            type=row.type,
            referentiel=(row.facets.get("_referentiel") or [""])[0],
            domain=(row.facets.get("domain") or [""])[0] if row.type != "domain" else "",
            code=row.code or "",
            highlight=(
                highlight(row.text or row.body, request.text)
                if request.text
                else escape(Truncator(plain_text(row.text)).chars(SNIPPET_LENGTH))
            ),
            live=row.live,
            edition=row.edition,
        )
        for row in shown
    ]
    return SearchResponse(
        request=request,
        count=len(matching),
        results=results,
        facets=_facets(rows, request),
        suggestion=_suggestion(request.text, visibility) if request.text and not rows else "",
        backend="database",
    )


def pages_autocomplete(text: str, visibility: Visibility, size: int = 8) -> list[Suggestion]:
    text = text.strip()
    if len(text) < 2:
        return []
    key = folded(text)
    found: list[tuple[int, str, dict]] = []
    for model, kind, _text_field, _weighted in _MODELS:
        fields = ["pk", "path", "title", "url_path", "live"]
        if model is not ReferentielPage:
            fields.append("code")
        queryset = _visible(model.objects.all(), visibility)
        if connection.vendor == "postgresql":
            match = Q(folded_title__contains=key)
            if model is not ReferentielPage:
                match |= Q(code__istartswith=text)
            queryset = queryset.annotate(folded_title=Unaccent(Lower("title"))).filter(match)
            candidates = queryset.order_by("path").values(*fields)[: size * 2]
        else:
            candidates = [
                v
                for v in queryset.order_by("path").values(*fields)[:5000]
                if key in folded(v["title"]) or folded(v.get("code", "")).startswith(key)
            ][: size * 2]
        for values in candidates:
            starts = folded(values["title"]).startswith(key)
            found.append((0 if starts else 1, kind, values))
    for edition in _visible_editions(visibility):
        for item in _edition_items(edition.pk):
            title = folded(item.title)
            if key in title or folded(item.code).startswith(key):
                row = _edition_row(edition, item, 0.0)
                values = {**vars(row), "pk": row.page_id}
                found.append((0 if title.startswith(key) else 1, item.type, values))
    found.sort(key=lambda item: (item[0], item[2]["path"]))
    context = PageContext.for_paths(values["path"] for _r, _k, values in found[:size])
    suggestions = []
    for _rank, kind, values in found[:size]:
        ref = context.referentiel(values["path"])
        url = context.url(values["url_path"])
        if values.get("edition"):
            url = values["url_path"]
        elif not values["live"]:
            url = draft_url(values["pk"], url)
        suggestions.append(
            Suggestion(
                title=values["title"],
                url=url,
                type=kind,
                code=values.get("code", ""),
                referentiel=ref.title if ref else "",
            )
        )
    return suggestions
