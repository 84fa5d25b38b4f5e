"""Queries against the Elasticsearch index: the faceted public search and autocompletion."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.text import Truncator
from elasticsearch import ApiError
from elasticsearch.dsl import FacetedSearch, Q, Search, TermsFacet
from elasticsearch.dsl.query import Query

from search.connection import alias_name, client
from search.documents import HIGHLIGHT_FIELDS, SEARCH_FIELDS
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
from search.text import folded
from search.visibility import Visibility, draft_url

PAGE_TYPES = {"referentiel", "domain", "competency"}
SOURCE_FIELDS = [
    "title",
    "url",
    "type",
    "referentiel",
    "domain",
    "code",
    "live",
    "page_id",
    "statement",
    "intro",
    "wording",
    "edition",
]
SNIPPET_LENGTH = 180
SUGGEST_BELOW = 3  # results; with more, the words typed evidently exist
CODE_LIKE = re.compile(r"\w+-\w*\d")  # SOCLE-D2-C02: a code is not misspelt French
RESPONSE_FIELDS = [
    "responses.error",
    "responses.hits.total",
    "responses.hits.hits._source",
    "responses.hits.hits.highlight",
    "responses.aggregations.*.*.buckets.key",
    "responses.aggregations.*.*.buckets.doc_count",
]


def visibility_filter(visibility: Visibility) -> Query | None:
    """The documents `visibility` may see (None: all of them). See search.visibility."""
    if visibility.all_drafts:
        return None
    # Pages of a référentiel that has an edition: readers of published content get the
    # edition's documents instead (search.sources.edition_documents).
    not_replaced = ~Q("term", edition_replaced=True)
    if not visibility.authenticated:
        return (
            Q("term", live=True)
            & Q("term", restriction="none")
            & Q("term", login_required=False)
            & not_replaced
        )
    published = Q("term", live=True) & Q("terms", restriction=["none", "login"]) & not_replaced
    if visibility.group_ids:
        return published | Q("terms", editor_groups=list(visibility.group_ids))
    return published


def text_query(text: str) -> Query:
    """Relevance: a competency code first, then every word in one field, then most words
    across fields. (A phrase bonus on titles cost 15 % more time on common words and changed
    no rank of the relevance set, even among 20 000 generated pages.)"""
    return Q(
        "bool",
        should=[
            Q("term", code={"value": text.strip(), "boost": 50}),
            Q(
                "multi_match",
                query=text,
                fields=SEARCH_FIELDS,
                type="best_fields",
                operator="and",
                tie_breaker=0.3,
                boost=2,
            ),
            Q(
                "multi_match",
                query=text,
                fields=SEARCH_FIELDS,
                type="cross_fields",
                minimum_should_match="2<75%",
            ),
        ],
        minimum_should_match=1,
    )


class PageSearch(FacetedSearch):
    """Facets are counted with every other facet's filter applied (FacetedSearch does it), so
    ticking « Compétence » still shows how many référentiels match."""

    facets = {
        "type": TermsFacet(field="type", size=10),
        "profession": TermsFacet(field="professions", size=30),
        "specialty": TermsFacet(field="specialty", size=30),
        "domain": TermsFacet(field="domain", size=30),
        "cycle": TermsFacet(field="cycle", size=5),
        "phase": TermsFacet(field="phase", size=5),
    }

    def __init__(self, request: SearchRequest, visibility: Visibility):
        self.index = alias_name()
        self.using = client()
        self.fields = SEARCH_FIELDS
        self.visibility = visibility
        self.text = request.text
        filters = {name: list(values) for name, values in request.filters.items() if values}
        super().__init__(request.text or None, filters)

    def search(self):
        search = Search(using=self.using, index=self.index).source(SOURCE_FIELDS)
        search = search.extra(track_total_hits=True)
        allowed = visibility_filter(self.visibility)
        if allowed is not None:
            search = search.filter(allowed)
        return search

    def query(self, search, query):
        if query:
            return search.query(text_query(query))
        return search

    def highlight(self, search):
        search = search.highlight_options(
            encoder="html",
            pre_tags=["<mark>"],
            post_tags=["</mark>"],
            fragment_size=SNIPPET_LENGTH,
            number_of_fragments=1,
            require_field_match=False,
        )
        return search.highlight(*HIGHLIGHT_FIELDS)

    def sort(self, search):
        if self.text:
            # Relevance alone: a tie-breaking sort field would stop Lucene from skipping the
            # documents that cannot reach the first page.
            return search
        return search.sort("path")  # browsing by facets only: tree order


def _snippet(hit: dict) -> str:
    highlights = hit.get("highlight") or {}
    for name in HIGHLIGHT_FIELDS:
        if highlights.get(name):
            return highlights[name][0]
    source = hit["_source"]
    for name in ("statement", "wording", "intro"):
        if source.get(name):
            return escape(Truncator(source[name]).chars(SNIPPET_LENGTH))
    return ""


def result_url(source) -> str:
    """A page's URL; the draft reader for a draft (an edition has its own address, always)."""
    if source.get("live") or source.get("edition") or source.get("type") not in PAGE_TYPES:
        return source["url"]
    return draft_url(source["page_id"], source["url"])


def _result(hit: dict) -> SearchResult:
    source = hit["_source"]
    url, live = result_url(source), bool(source.get("live"))
    return SearchResult(
        title=source["title"],
        url=url,
        type=source["type"],
        referentiel=source.get("referentiel") or "",
        domain=source.get("domain") or "",
        code=source.get("code") or "",
        highlight=_snippet(hit),
        live=live,
        edition=source.get("edition") or "",
    )


def _facets(aggregations: dict, request: SearchRequest) -> list[Facet]:
    facets = []
    for name in FACET_FIELDS:
        selected = set(request.filters.get(name, ()))
        # filter_path drops what is empty: no bucket may mean no key at all.
        buckets = aggregations.get(f"_filter_{name}", {}).get(name, {}).get("buckets", [])
        values = [
            FacetValue(
                value=str(bucket["key"]),
                label=facet_value_label(name, str(bucket["key"])),
                count=bucket["doc_count"],
                selected=str(bucket["key"]) in selected,
            )
            for bucket in buckets
        ]
        shown = {v.value for v in values}
        # A ticked value always stays on screen, so it can be unticked.
        values += [
            FacetValue(value=v, label=facet_value_label(name, v), count=0, selected=True)
            for v in sorted(selected - shown)
        ]
        if values:
            facets.append(Facet(name=name, values=values))
    return facets


def did_you_mean(text: str, visibility: Visibility) -> str:
    """A better spelling of `text` from the words of visible pages, or "" (phrase suggester)."""
    search = Search(using=client(), index=alias_name()).extra(size=0)
    allowed = visibility_filter(visibility)
    if allowed is not None:
        search = search.filter(allowed)
    search = search.suggest(
        "did_you_mean",
        text,
        phrase={
            "field": "suggest.shingle",
            # A few candidates: the best one may come only from documents this user cannot see.
            "size": 1 if allowed is None else 5,
            "gram_size": 3,
            "max_errors": 2,
            "confidence": 1.0,
            "direct_generator": [
                {"field": "suggest", "suggest_mode": "always", "min_word_length": 3}
            ],
        },
    )
    for entry in search.execute().suggest.did_you_mean:
        for option in entry.options:
            if folded(option.text) != folded(text) and _visible_words(option.text, allowed):
                return option.text
    return ""


def _visible_words(text: str, allowed: Query | None) -> bool:
    """A suggester reads the terms of the whole index, whatever the query's filters: a
    suggestion is only offered when a document this user may see holds all its words."""
    if allowed is None:
        return True
    query = Q("match", suggest={"query": text, "operator": "and"})
    search = Search(using=client(), index=alias_name()).query(query).filter(allowed)
    return search.count() > 0


def _bodies(request: SearchRequest, visibility: Visibility) -> tuple[dict, dict]:
    """The page of hits, and the count with the facets, as two searches of one msearch.

    The hits are ranked without an exact total, so Lucene can skip documents that cannot
    reach the first page; the facets need every match, so they are counted apart. Both use
    the shard request cache: the same search (same words, filters and visibility) made again
    before the index changes skips the query phase. A refresh that changed the index empties
    it, so a cached answer is never older than the index itself.
    """
    body = PageSearch(request, visibility)._s.to_dict()
    aggs = body.pop("aggs", {})
    body.pop("track_total_hits", None)
    hits = {**body, "from": request.offset, "size": request.page_size}
    counts = {"size": 0, "track_total_hits": True, "aggs": aggs}
    for key in ("query", "post_filter"):
        if key in body:
            counts[key] = body[key]
    return hits, counts


def pages_search(request: SearchRequest, visibility: Visibility) -> SearchResponse:
    hits_body, counts_body = _bodies(request, visibility)
    index = alias_name()
    # The raw client with a filter_path: only what the page shows travels and gets parsed.
    cached = {"index": index, "request_cache": True}
    searches = [cached, hits_body, cached, counts_body]
    raw = client().msearch(searches=searches, filter_path=RESPONSE_FIELDS)
    ranked, counted = raw["responses"]
    for response in (ranked, counted):
        if "error" in response:
            raise ApiError(message=str(response["error"]), meta=raw.meta, body=response)
    count = counted.get("hits", {}).get("total", {}).get("value", 0)
    return SearchResponse(
        request=request,
        count=count,
        results=[_result(hit) for hit in ranked.get("hits", {}).get("hits", [])],
        facets=_facets(counted.get("aggregations", {}), request),
        # Only when the words found little: the suggester costs as much as the search.
        suggestion=(
            did_you_mean(request.text, visibility)
            if request.text and count <= SUGGEST_BELOW and not CODE_LIKE.search(request.text)
            else ""
        ),
        backend="elasticsearch",
    )


def pages_autocomplete(text: str, visibility: Visibility, size: int = 8) -> list[Suggestion]:
    text = text.strip()
    if len(text) < 2:
        return []
    query = Q(
        "bool",
        should=[
            Q("match", **{"title.autocomplete": {"query": text, "operator": "and"}}),
            Q("match_phrase_prefix", **{"title.folded": {"query": text, "boost": 2}}),
            Q("prefix", code={"value": folded(text), "boost": 5}),
        ],
        minimum_should_match=1,
    )
    search = Search(using=client(), index=alias_name()).query(query)
    search = search.source(
        ["title", "url", "type", "code", "referentiel", "live", "page_id", "edition"]
    )
    allowed = visibility_filter(visibility)
    if allowed is not None:
        search = search.filter(allowed)
    suggestions = []
    for hit in search[:size].execute():
        url = result_url(hit.to_dict())
        suggestions.append(
            Suggestion(
                title=hit.title,
                url=url,
                type=hit.type,
                code=getattr(hit, "code", "") or "",
                referentiel=getattr(hit, "referentiel", "") or "",
            )
        )
    return suggestions
