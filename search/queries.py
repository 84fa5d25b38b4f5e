"""Search queries against the competency index."""

from elasticsearch.dsl import Search

from search.backends import client, index_name


def competencies_search(text: str, size: int = 10) -> list[dict]:
    search = (
        Search(using=client(), index=index_name("competencies"))
        .query("multi_match", query=text, fields=["code^5", "title^3", "statement", "body"])
        .extra(size=size)
    )
    return [{"id": hit.meta.id, "title": hit.title, "code": hit.code} for hit in search.execute()]
