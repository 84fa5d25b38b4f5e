"""« Compétences proches »: competencies of other référentiels worded like a given text.

Elasticsearch answers with a `more_like_this` query on the competencies' French fields (the
index's own analysis, `fr_text`: elision, stop words, folding, light stemming), inside the
visibility filter of the search (search.queries.visibility_filter): a reader only gets what they
may read, and the public gets the wording of published editions. When the node cannot answer,
the database gives the competencies that refine the same socle competencies (or that refine this
socle competency), through wiki.visibility. Never an error: an empty list at worst.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db.models import Q as DbQ
from elasticsearch import ApiError
from elasticsearch.dsl import Q, Search

from search.connection import UNREACHABLE, alias_name, breaker, client, elasticsearch_usable
from search.queries import result_url, visibility_filter
from search.visibility import Visibility, draft_url
from wiki import visibility as wiki_visibility
from wiki.models import CompetencyPage, ReferentielPage

logger = logging.getLogger(__name__)

MLT_FIELDS = ["title", "statement", "learning_outcomes", "body"]
MAX_TEXT = 5000  # characters of the text compared: a competency, not a book
SIZE = 5


@dataclass(frozen=True)
class RelatedCompetency:
    title: str
    url: str
    code: str
    referentiel: str
    edition: str = ""  # the published edition's version whose wording this is


def competencies_related(
    *,
    text: str,
    visibility: Visibility,
    referentiel_id: int | None = None,
    page: CompetencyPage | None = None,
    size: int = SIZE,
) -> list[RelatedCompetency]:
    """Up to `size` competencies of référentiels other than `referentiel_id` worded like
    `text`. `page` (the competency shown or edited) is what the database fallback starts from."""
    text = (text or "").strip()[:MAX_TEXT]
    if not text:
        return []
    if elasticsearch_usable():
        try:
            found = _related_elasticsearch(text, visibility, referentiel_id, size)
        except (ApiError, *UNREACHABLE) as error:
            if isinstance(error, UNREACHABLE):
                breaker.failure()
            logger.warning("Related competencies from the database: %s", error)
        else:
            breaker.success()
            return found
    return _related_database(page, visibility, referentiel_id, size) if page is not None else []


def _related_elasticsearch(
    text: str, visibility: Visibility, referentiel_id: int | None, size: int
) -> list[RelatedCompetency]:
    query = Q(
        "more_like_this",
        fields=MLT_FIELDS,
        like=text,
        # A competency is a few dozen words: every word counts, rare ones most.
        min_term_freq=1,
        min_doc_freq=1,
        max_query_terms=25,
        minimum_should_match="30%",
    )
    search = Search(using=client(), index=alias_name()).query(query)
    search = search.filter("term", type="competency")
    allowed = visibility_filter(visibility)
    if allowed is not None:
        search = search.filter(allowed)
    if referentiel_id is not None:
        search = search.exclude("term", referentiel_id=referentiel_id)
    search = search.source(
        ["title", "url", "code", "referentiel", "referentiel_id", "live", "type", "page_id"]
        + ["edition"]
    )
    # Readers of drafts may see an edition's competency and today's page of it: one is enough.
    found, seen = [], set()
    for hit in search[: size * 2].execute():
        source = hit.to_dict()
        key = (source.get("referentiel_id"), source.get("code") or source["title"])
        if key in seen:
            continue
        seen.add(key)
        found.append(
            RelatedCompetency(
                title=source["title"],
                url=result_url(source),
                code=source.get("code") or "",
                referentiel=source.get("referentiel") or "",
                edition=source.get("edition") or "",
            )
        )
    return found[:size]


def _related_database(
    page: CompetencyPage, visibility: Visibility, referentiel_id: int | None, size: int
) -> list[RelatedCompetency]:
    """Competencies sharing a socle link with `page`: those refining the same socle
    competencies, those socle competencies themselves, and, for a socle competency, those
    refining it."""
    # Not values_list("pk"): the draft reader passes a revision's page, whose in-memory
    # relation (modelcluster) has no "pk" field.
    socle_ids = [ref.pk for ref in page.socle_refs.all()]
    shared = DbQ(socle_refs__in=socle_ids) | DbQ(pk__in=socle_ids) | DbQ(socle_refs=page)
    candidates = CompetencyPage.objects.filter(shared).exclude(pk=page.pk).distinct()
    if referentiel_id is not None:
        referentiel = ReferentielPage.objects.filter(pk=referentiel_id).only("path").first()
        if referentiel is not None:
            candidates = candidates.exclude(path__startswith=referentiel.path)
    candidates = wiki_visibility.visible_pages(candidates, visibility).order_by("path")
    rows = list(candidates[:size])
    steplen = ReferentielPage.steplen
    ancestors = {p.path[:i] for p in rows for i in range(steplen, len(p.path), steplen)}
    referentiels = dict(
        ReferentielPage.objects.filter(path__in=ancestors).values_list("path", "title")
    )
    related = []
    for competency in rows:
        ref_title = next(
            (title for path, title in referentiels.items() if competency.path.startswith(path)),
            "",
        )
        related.append(
            RelatedCompetency(
                title=competency.title,
                url=competency.url if competency.live else draft_url(competency.pk, ""),
                code=competency.code,
                referentiel=ref_title,
            )
        )
    return related


def competency_text(title: str, statement: str, outcomes: list[str]) -> str:
    """What a competency is compared by: its title, statement and learning outcomes."""
    return "\n".join(part for part in (title, statement, *outcomes) if part)


def referentiel_id_of(page: CompetencyPage) -> int | None:
    """The référentiel above `page` (its own competencies are never « proches »)."""
    return ReferentielPage.objects.ancestor_of(page).values_list("pk", flat=True).first()
