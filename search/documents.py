"""Elasticsearch documents and the French analysis chain they share.

Every searchable thing (référentiel, domain, competency, page discussion, Delphi item) is one
document in one index, so a single query ranks them together and facets count across types. The
index is reached through an alias (`<prefix>-pages`) pointing at a timestamped index
(`<prefix>-pages-<timestamp>`) created from a composable template: see `search.indexing`.
"""

from django.conf import settings
from elasticsearch.dsl import (
    Boolean,
    Document,
    Integer,
    Keyword,
    MetaField,
    Text,
    analyzer,
    normalizer,
    token_filter,
)

french_elision = token_filter(
    "french_elision",
    type="elision",
    articles_case=True,
    articles=["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"],
)
# Stop words before folding: Lucene's French list is accented (« été », « à »).
french_stop = token_filter("french_stop", type="stop", stopwords="_french_")
french_stemmer = token_filter("french_stemmer", type="stemmer", language="light_french")
autocomplete_edge = token_filter("autocomplete_edge", type="edge_ngram", min_gram=1, max_gram=20)
suggest_shingle = token_filter(
    "suggest_shingle", type="shingle", min_shingle_size=2, max_shingle_size=3
)

# Accents, case, elisions and plurals must not matter: "donnee" finds « données ».
fr_text = analyzer(
    "fr_text",
    tokenizer="standard",
    filter=[french_elision, "lowercase", french_stop, "asciifolding", french_stemmer],
)
# Folded but not stemmed: exact-word boosts, autocompletion queries, "did you mean". Stop
# words go too: « de » or « la » would match nearly every document, for nothing.
fr_folded = analyzer(
    "fr_folded",
    tokenizer="standard",
    filter=[french_elision, "lowercase", french_stop, "asciifolding"],
)
# Index side of autocompletion: every prefix of every word ("cyb" → « Cybersécurité »).
fr_autocomplete = analyzer(
    "fr_autocomplete",
    tokenizer="standard",
    filter=[french_elision, "lowercase", "asciifolding", autocomplete_edge],
)
# Word pairs and triples for the phrase suggester.
fr_shingle = analyzer(
    "fr_shingle",
    tokenizer="standard",
    filter=[french_elision, "lowercase", "asciifolding", suggest_shingle],
)
# Codes match whatever their case: "socle-d2-c02" is SOCLE-D2-C02.
code_normalizer = normalizer("code_normalizer", filter=["lowercase", "asciifolding"])


def french_text(**kwargs) -> Text:
    """Text analysed in French that also feeds the "did you mean" field. Offsets in the
    postings let the highlighter find matches without analysing the text again."""
    return Text(analyzer=fr_text, copy_to="suggest", index_options="offsets", **kwargs)


def facet(**kwargs) -> Keyword:
    """A facet: its global ordinals are built at refresh time, not by the first search."""
    return Keyword(eager_global_ordinals=True, **kwargs)


class SearchDocument(Document):
    """What every searchable thing has: text to match, facets, and who may see it."""

    TYPE = ""

    type = facet()
    page_id = Integer()
    path = Keyword()  # tree order, for ties and for reindexing a subtree
    title = Text(
        analyzer=fr_text,
        copy_to="suggest",
        fields={
            "raw": Keyword(),
            "folded": Text(analyzer=fr_folded),
            "autocomplete": Text(analyzer=fr_autocomplete, search_analyzer=fr_folded),
        },
    )
    intro = french_text()
    body = Text(analyzer=fr_text, index_options="offsets")
    url = Keyword(index=False)
    # Facets (display values; cycle and phase are codes labelled by the view).
    referentiel = Keyword()
    referentiel_id = Integer()
    domain = facet()
    professions = facet(multi=True)
    specialty = facet()
    college = Keyword()
    cycle = facet()
    phase = facet()
    # Visibility, enforced in every query (search.queries.visibility_filter).
    live = Boolean()
    restriction = Keyword()  # "none", "login" or "private" (Wagtail view restrictions)
    login_required = Boolean()
    editor_groups = Integer(multi=True)  # groups allowed to edit, hence to see a draft
    # A page of a référentiel that has a published edition: those who read only published
    # content find the edition's wording instead (its own documents, `edition` set).
    edition_replaced = Boolean()
    # On the documents of a published edition: its version (« 1.0 »). Empty on live pages.
    edition = Keyword()
    # "Did you mean": folded words, and their pairs/triples for the phrase suggester.
    suggest = Text(analyzer=fr_folded, fields={"shingle": Text(analyzer=fr_shingle)})

    class Index:
        name = f"{settings.SEARCH_INDEX_PREFIX}-pages"  # the alias (search.indexing)
        settings = {"number_of_shards": 1, "number_of_replicas": 0}

    class Meta:
        dynamic = MetaField("strict")  # a typo in a field name fails loudly instead of mapping junk

    def clean(self) -> None:
        self.type = self.TYPE
        if self.restriction is None:
            self.restriction = "none"
        if self.login_required is None:
            self.login_required = False


class ReferentielDocument(SearchDocument):
    TYPE = "referentiel"


class DomainDocument(SearchDocument):
    TYPE = "domain"

    code = Keyword(normalizer=code_normalizer, fields={"text": Text(analyzer=fr_folded)})


class CompetencyDocument(SearchDocument):
    TYPE = "competency"

    code = Keyword(normalizer=code_normalizer, fields={"text": Text(analyzer=fr_folded)})
    statement = french_text()
    learning_outcomes = french_text(multi=True)
    rank = Keyword()
    evaluation_methods = Keyword(multi=True)


class DiscussionDocument(SearchDocument):
    """A page's discussion thread: its subject and messages. Logged-in users only."""

    TYPE = "discussion"

    messages = Text(analyzer=fr_text, index_options="offsets", multi=True)
    resolved = Boolean()

    def clean(self) -> None:
        super().clean()
        self.login_required = True


class DelphiItemDocument(SearchDocument):
    """A Delphi item in its current wording (the wording panelists rate now)."""

    TYPE = "delphi_item"

    code = Keyword(normalizer=code_normalizer, fields={"text": Text(analyzer=fr_folded)})
    wording = french_text()
    study = Keyword()


DOCUMENT_CLASSES: tuple[type[SearchDocument], ...] = (
    ReferentielDocument,
    DomainDocument,
    CompetencyDocument,
    DiscussionDocument,
    DelphiItemDocument,
)

# Text fields searched, with their weight. Missing fields on a type are simply absent.
SEARCH_FIELDS = [
    "title^4",
    "title.folded^2",
    "code.text^4",
    "statement^2",
    "wording^2",
    "learning_outcomes^1.5",
    "intro",
    "messages",
    "body^0.5",
]
HIGHLIGHT_FIELDS = ("statement", "wording", "learning_outcomes", "intro", "messages", "body")
