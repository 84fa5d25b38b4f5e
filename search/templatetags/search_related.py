"""« Compétences proches » in the wiki's templates, without the wiki importing search: the
competency page and the editing form load this library (templates are the site layer)."""

from __future__ import annotations

from django import template

from search.related import competencies_related, competency_text, referentiel_id_of
from wiki import visibility
from wiki.models import CompetencyPage

register = template.Library()


@register.inclusion_tag("search/includes/_related.html", takes_context=True)
def related_competencies(context, page) -> dict:
    """The list under a competency page: what the reader of this request may read (the public
    for an anonymous visitor, so a page kept by the full-page cache holds public data only)."""
    page = getattr(page, "specific", page)
    if not isinstance(page, CompetencyPage):
        return {"show": False}
    reader = visibility.request_reader(context["request"])
    related = competencies_related(
        text=competency_text(
            page.title,
            page.statement,
            [o.text for o in page.learning_outcomes.all()],
        ),
        visibility=reader,
        referentiel_id=referentiel_id_of(page),
        page=page,
    )
    return {"show": bool(related), "related": related}


@register.inclusion_tag("search/includes/_related_editor.html")
def related_competencies_editor(page) -> dict:
    """The editing form's panel: empty until its script asks the fragment endpoint with the
    text being written; without JavaScript it stays hidden."""
    page = getattr(page, "specific", page)
    return {"show": isinstance(page, CompetencyPage), "page": page}
