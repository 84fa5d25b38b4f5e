"""Elasticsearch documents and the French analysis chain they share."""

from elasticsearch.dsl import Document, Keyword, Text, analyzer, token_filter

french_elision = token_filter(
    "french_elision",
    type="elision",
    articles_case=True,
    articles=["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"],
)
french_stop = token_filter("french_stop", type="stop", stopwords="_french_")
french_stemmer = token_filter("french_stemmer", type="stemmer", language="light_french")

# Accents, case, elisions and plurals must not matter: "donnee" finds « données ».
fr_text = analyzer(
    "fr_text",
    tokenizer="standard",
    filter=[french_elision, "lowercase", "asciifolding", french_stop, french_stemmer],
)


class CompetencyDocument(Document):
    title = Text(analyzer=fr_text, fields={"raw": Keyword()})
    code = Keyword()
    statement = Text(analyzer=fr_text)
    body = Text(analyzer=fr_text)
    referentiel = Keyword()
    domain = Keyword()
    url = Keyword(index=False)

    class Index:
        name = "competencies"  # replaced by a prefixed name at setup time (search.indexing)
        settings = {"number_of_shards": 1, "number_of_replicas": 0}
