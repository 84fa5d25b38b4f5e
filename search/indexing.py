"""Write documents to Elasticsearch in bulk, into prefixed indices."""

from collections.abc import Iterable

from elasticsearch.dsl import Index

from search.backends import client, index_name
from search.documents import CompetencyDocument
from wiki.models import CompetencyPage


def competency_index() -> Index:
    index = Index(index_name("competencies"), using=client())
    index.settings(number_of_shards=1, number_of_replicas=0)
    index.document(CompetencyDocument)
    return index


def competency_document(page: CompetencyPage) -> CompetencyDocument:
    domain = page.get_parent()
    referentiel = domain.get_parent() if domain else None
    return CompetencyDocument(
        meta={"id": page.pk},
        title=page.title,
        code=page.code,
        statement=page.statement,
        body=page.body,
        referentiel=referentiel.title if referentiel else "",
        domain=domain.title if domain else "",
        url=page.url_path,
    )


def competencies_reindex(pages: Iterable[CompetencyPage], *, refresh: bool = True) -> int:
    """Recreate the competency index and bulk-load `pages` into it. Returns the count."""
    from elasticsearch.helpers import bulk

    index = competency_index()
    if index.exists():
        index.delete()
    index.create()
    actions = (
        {**competency_document(page).to_dict(include_meta=True), "_index": index._name}
        for page in pages
    )
    ok, _errors = bulk(client(), actions, refresh=refresh)
    return ok
