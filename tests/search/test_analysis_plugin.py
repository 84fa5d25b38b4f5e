"""The node provides the analysis the project asks for, and its `french` is Elasticsearch's.

The test node is Elastic's integ-test server plus our plugin (services/elasticsearch/plugin/), which
re-registers analysis-common's components under their names. These tests make its limits explicit:
- every analyzer, tokenizer, token filter and char filter named in the project's index settings
  (ours, read from search.indexing, and Wagtail's admin search backend) is provided by the node;
- its `french` analyzer is the chain Elasticsearch documents for the built-in one (elision of the
  documented articles, lowercase, `_french_` stop words, keyword marker, light French stemmer), so
  that production on a full Elastic cluster analyses — hence ranks — as the tests do;
- the running node's plugin was built from the sources in this clone.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from wagtail.search.backends import get_search_backend

from search.indexing import pages_index

SERVICES = Path(__file__).resolve().parents[2] / "services"
PLUGIN_SOURCES = SERVICES / "elasticsearch" / "plugin"
TEXT = "L’Établissement d'une télésanté : les Données des incidents et objets connectés"

# Elasticsearch's reference, "Language analyzers" → french: the built-in analyzer rebuilt as a
# custom one. ("Example" never matches a lowercased token: the keyword marker is a no-op unless
# configured, as `stem_exclusion` does in the built-in analyzer.)
DOCUMENTED_ARTICLES = [
    "l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu",
]  # fmt: skip
REBUILT_FRENCH_FILTERS = {
    "french_elision": {"type": "elision", "articles_case": True, "articles": DOCUMENTED_ARTICLES},
    "french_stop": {"type": "stop", "stopwords": "_french_"},
    "french_keywords": {"type": "keyword_marker", "keywords": ["Example"]},
    "french_stemmer": {"type": "stemmer", "language": "light_french"},
}
REBUILT_FRENCH_CHAIN = ["french_elision", "lowercase", "french_stop", "french_keywords"]
STEM_EXCLUSION = ["données", "incidents"]

FRENCH_SENTENCES = [
    "L'hôpital m'appelle : t'as vu qu'il n'est pas là ? S'il te plaît, j'arrive d'urgence.",
    "C'est jusqu'à demain, quoiqu'il arrive, lorsqu'un patient part, puisqu'elle l'a décidé.",
    "L’ÉTABLISSEMENT D’ACCUEIL QU’IL CHOISIT N’A PAS DE DONNÉES ; JUSQU’ICI, C’EST CLAIR.",
    "Les données de santé des patients sont protégées par le secret médical.",
    "Se prémunir et réagir face aux incidents de cybersécurité dans les établissements.",
    "Utiliser un objet connecté ou une application mobile et analyser leur fiabilité.",
    "Télésanté, téléconsultation et télé-expertise : aujourd'hui, les médecins généralistes "
    "évaluent les risques liés à l'intelligence artificielle.",
    "Été comme hiver, à l'hôpital, nous avons été formés ; vous êtes formées ; "
    "ils seront formateurs.",
    "Compétences numériques 2024-2025 : 12 items, 3 tours Delphi, 80 % d'accord (IQR ≤ 1).",
]


# ---------------------------------------------------------------- the project's index settings


def project_index_settings() -> dict[str, dict]:
    """The index-level settings of every index the project creates on the node, by owner."""
    found = {"pages": pages_index("analysis-check").to_dict()["settings"]}
    wagtail = getattr(get_search_backend("default"), "settings", None)  # None: database backend
    if wagtail:
        found["wagtail"] = wagtail["settings"]
    return found


@dataclass(frozen=True)
class Component:
    owner: str  # whose settings name it ("pages", "wagtail")
    kind: str  # "analyzer", "tokenizer", "filter" or "char_filter"
    name: str  # as the settings name it
    definition: str | dict  # a built-in's name, or the settings' definition (it has a type)

    def __str__(self) -> str:
        shown = self.definition if isinstance(self.definition, str) else self.definition["type"]
        return f"{self.owner}:{self.kind}:{self.name}({shown})"


def analysis_components(owner: str, analysis: dict) -> list[Component]:
    """Every component an analysis section defines or names: the definitions (checked through
    their type), and the built-ins the custom analyzers and normalizers refer to by name."""
    found: dict[tuple[str, str], str | dict] = {}
    for kind in ("tokenizer", "filter", "char_filter"):
        for name, definition in analysis.get(kind, {}).items():
            found[(kind, name)] = definition
    for kind in ("analyzer", "normalizer"):
        for name, definition in analysis.get(kind, {}).items():
            if definition.get("type", "custom") != "custom":
                found[("analyzer", name)] = definition  # a built-in analyzer type, configured
                continue
            refs = [("tokenizer", definition["tokenizer"])] if "tokenizer" in definition else []
            refs += [("filter", ref) for ref in definition.get("filter", [])]
            refs += [("char_filter", ref) for ref in definition.get("char_filter", [])]
            for ref_kind, ref in refs:
                if isinstance(ref, dict):  # an inline definition
                    found[(ref_kind, f"{name}[{ref['type']}]")] = ref
                elif ref not in analysis.get(ref_kind, {}):
                    found[(ref_kind, ref)] = ref
    return [Component(owner, kind, name, definition) for (kind, name), definition in found.items()]


COMPONENTS = [
    component
    for owner, index_settings in project_index_settings().items()
    for component in analysis_components(owner, index_settings.get("analysis", {}))
]


def test_the_components_are_read_from_the_settings():
    """The walk above finds what documents.py declares (so the checks below check something)."""
    names = {(c.owner, c.kind, c.name) for c in COMPONENTS}
    assert {
        ("pages", "tokenizer", "standard"),
        ("pages", "filter", "french_elision"),
        ("pages", "filter", "lowercase"),
        ("pages", "filter", "asciifolding"),
        ("pages", "filter", "autocomplete_edge"),
        ("pages", "filter", "suggest_shingle"),
    } <= names
    assert analysis_components("x", {"analyzer": {"a": {"type": "french"}}}) == [
        Component("x", "analyzer", "a", {"type": "french"})
    ]


# ---------------------------------------------------------------- helpers


def run_index_name(what: str) -> str:
    """A throwaway index under this run's prefix (the session drops `<prefix>*` at the end)."""
    return f"{settings.SEARCH_INDEX_PREFIX}-analysis-{what}-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def bare_indices(elasticsearch) -> Iterator[dict[str, str]]:
    """Per owner, an index with its index-level settings (max_ngram_diff...) but no analysis:
    components are then checked one by one, each through its own definition."""
    names = {}
    for owner, index_settings in project_index_settings().items():
        names[owner] = run_index_name(f"bare-{owner}")
        bare = {key: value for key, value in index_settings.items() if key != "analysis"}
        elasticsearch.indices.create(index=names[owner], settings=bare)
    yield names
    elasticsearch.indices.delete(index=list(names.values()), ignore_unavailable=True)


def analyze(elasticsearch, **request) -> list[dict]:
    return elasticsearch.indices.analyze(**request)["tokens"]


def token_texts(elasticsearch, **request) -> list[str]:
    return [token["token"] for token in analyze(elasticsearch, **request)]


# ---------------------------------------------------------------- every component is provided


@pytest.mark.parametrize("component", COMPONENTS, ids=str)
def test_the_node_provides_every_component_the_index_settings_name(
    elasticsearch, bare_indices, component
):
    index = bare_indices[component.owner]
    if component.kind == "analyzer":
        name = run_index_name("analyzer")
        analysis = {"analyzer": {"checked": component.definition}}
        elasticsearch.indices.create(index=name, settings={"analysis": analysis})
        try:
            tokens = analyze(elasticsearch, index=name, analyzer="checked", text=TEXT)
        finally:
            elasticsearch.indices.delete(index=name)
    elif component.kind == "tokenizer":
        tokens = analyze(elasticsearch, index=index, tokenizer=component.definition, text=TEXT)
    else:  # a filter or char_filter, after the core server's standard tokenizer
        request = {component.kind: [component.definition]}
        tokens = analyze(elasticsearch, index=index, tokenizer="standard", text=TEXT, **request)
    assert tokens, component


@pytest.mark.parametrize("owner", sorted(project_index_settings()))
def test_an_index_with_the_project_settings_is_created_and_analyses_text(elasticsearch, owner):
    index_settings = project_index_settings()[owner]
    mappings = pages_index("analysis-check").to_dict()["mappings"] if owner == "pages" else None
    name = run_index_name(owner)
    elasticsearch.indices.create(index=name, settings=index_settings, mappings=mappings)
    try:
        analysis = index_settings.get("analysis", {})
        for analyzer in analysis.get("analyzer", {}):
            assert token_texts(elasticsearch, index=name, analyzer=analyzer, text=TEXT), analyzer
        for normalizer in analysis.get("normalizer", {}):
            assert token_texts(
                elasticsearch, index=name, normalizer=normalizer, text="SOCLE-D2-C02 Été"
            ) == ["socle-d2-c02 ete"], normalizer
    finally:
        elasticsearch.indices.delete(index=name)


# ---------------------------------------------------------------- `french` is the documented chain


@pytest.fixture(scope="module")
def rebuilt_french(elasticsearch) -> Iterator[str]:
    """An index holding Elastic's documented rebuild of `french`, and both flavours of it with
    stem exclusions: the built-in's `stem_exclusion`, the rebuild's keyword marker."""
    filters = {
        **REBUILT_FRENCH_FILTERS,
        "excluded_keywords": {"type": "keyword_marker", "keywords": STEM_EXCLUSION},
    }
    analyzers = {
        "rebuilt_french": {
            "tokenizer": "standard",
            "filter": [*REBUILT_FRENCH_CHAIN, "french_stemmer"],
        },
        "rebuilt_french_excluding": {
            "tokenizer": "standard",
            "filter": ["french_elision", "lowercase", "french_stop", "excluded_keywords"]
            + ["french_stemmer"],
        },
        "french_excluding": {"type": "french", "stem_exclusion": STEM_EXCLUSION},
    }
    name = run_index_name("french")
    elasticsearch.indices.create(
        index=name, settings={"analysis": {"filter": filters, "analyzer": analyzers}}
    )
    yield name
    elasticsearch.indices.delete(index=name, ignore_unavailable=True)


def positioned(tokens: list[dict]) -> list[tuple[str, int, int, int]]:
    return [(t["token"], t["position"], t["start_offset"], t["end_offset"]) for t in tokens]


@pytest.mark.parametrize(
    "sentence", FRENCH_SENTENCES, ids=[f"sentence{i}" for i in range(len(FRENCH_SENTENCES))]
)
def test_french_analyzer_gives_the_tokens_of_the_documented_chain(
    elasticsearch, rebuilt_french, sentence
):
    built_in = analyze(elasticsearch, analyzer="french", text=sentence)
    rebuilt = analyze(elasticsearch, index=rebuilt_french, analyzer="rebuilt_french", text=sentence)
    assert built_in, sentence
    assert positioned(built_in) == positioned(rebuilt)


@pytest.mark.parametrize("article", DOCUMENTED_ARTICLES)
def test_french_analyzer_elides_each_documented_article_whatever_its_case(elasticsearch, article):
    alone = token_texts(elasticsearch, analyzer="french", text="hôpital")
    for elided in (f"{article}'hôpital", f"{article.upper()}’hôpital"):
        assert token_texts(elasticsearch, analyzer="french", text=elided) == alone, elided


def test_french_stem_exclusion_is_the_documented_keyword_marker(elasticsearch, rebuilt_french):
    sentence = "Les données des incidents et leurs données"
    excluding = analyze(
        elasticsearch, index=rebuilt_french, analyzer="french_excluding", text=sentence
    )
    rebuilt = analyze(
        elasticsearch, index=rebuilt_french, analyzer="rebuilt_french_excluding", text=sentence
    )
    assert positioned(excluding) == positioned(rebuilt)
    assert [t["token"] for t in excluding] == ["données", "incidents", "données"]
    # Without the exclusion the same words are stemmed: the marker is what kept them whole.
    stemmed = token_texts(elasticsearch, analyzer="french", text=sentence)
    assert stemmed[0] != "données" and stemmed[1] != "incidents"


def test_configured_elision_requires_its_articles_as_in_elasticsearch(elasticsearch, bare_indices):
    """analysis-common refuses an elision filter without `articles`; so must the test node, or a
    setting accepted by the tests would break index creation in production."""
    from elasticsearch import BadRequestError

    with pytest.raises(BadRequestError, match="articles"):
        analyze(
            elasticsearch,
            index=bare_indices["pages"],
            tokenizer="standard",
            filter=[{"type": "elision"}],
            text="l'avion",
        )
    # The pre-configured filter, named without settings, keeps the French defaults.
    assert token_texts(elasticsearch, tokenizer="standard", filter=["elision"], text="l'avion") == [
        "avion"
    ]


# ---------------------------------------------------------------- the node runs these sources


def plugin_source_hash() -> str:
    """services/lib.sh es_plugin_hash, in Python: the server version, then `sha256sum` of every
    file under the plugin directory in byte order, hashed; the first 16 hex digits."""
    pom = (SERVICES / "elasticsearch" / "pom.xml").read_text()
    lines = [re.search(r"<es.version>(.*)</es.version>", pom).group(1) + "\n"]
    files = sorted(
        ((f"./{path.relative_to(PLUGIN_SOURCES).as_posix()}", path)
         for path in PLUGIN_SOURCES.rglob("*") if path.is_file()),
        key=lambda item: item[0].encode(),  # LC_ALL=C sort
    )  # fmt: skip
    for shown, path in files:
        lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {shown}\n")
    return hashlib.sha256("".join(lines).encode()).hexdigest()[:16]


# The two kinds of node the project runs on, told apart by the analysis-common module: which
# wiki-es-extras plugin each must run (None: none; our plugin would register the components a
# second time). Each kind's expectation can fail: no kind is passed over.
PLUGIN_BUILT_HERE = "built from this clone"
NODE_KINDS = {
    "full distribution (analysis-common provides the components)": (True, None),
    "integ-test server (services/up.sh: our plugin provides them)": (False, PLUGIN_BUILT_HERE),
}


def test_the_running_node_runs_the_plugin_its_kind_requires(elasticsearch):
    info = elasticsearch.nodes.info(node_id="_local", metric="plugins")
    (node,) = info["nodes"].values()
    has_module = any(module["name"] == "analysis-common" for module in node["modules"])
    ((kind, expected),) = (
        (kind, plugin) for kind, (module, plugin) in NODE_KINDS.items() if module == has_module
    )
    if expected == PLUGIN_BUILT_HERE:
        expected = f"1.0.0+{plugin_source_hash()}"
    versions = {p["name"]: p["version"] for p in node["plugins"]}
    assert versions.get("wiki-es-extras") == expected, (
        f"a {kind}: the node runs another build of services/elasticsearch/plugin than these "
        "sources: restart it (bash services/down.sh elasticsearch && "
        "bash services/up.sh elasticsearch)"
    )
