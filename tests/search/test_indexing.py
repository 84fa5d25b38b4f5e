"""Versioned indices behind an alias, a template, strict mappings, versioned writes, the
outbox, and a rebuild that never interrupts searches."""

import threading

import pytest
from django.db import connection
from elasticsearch import BadRequestError
from elasticsearch.helpers import BulkIndexError

from search.connection import client
from search.documents import CompetencyDocument
from search.indexing import (
    alias_name,
    alias_target,
    building_alias_name,
    changes_enqueue,
    documents_write,
    index_rebuild,
    now_version,
    pending_flush,
    write_targets,
)
from search.models import PendingIndexing
from search.queries import pages_search
from search.results import SearchRequest
from search.sources import SOURCES, Source, page_documents
from search.visibility import PUBLIC
from tests.search.helpers import indexed, refresh
from wiki.models import CompetencyPage

pytestmark = pytest.mark.django_db


def test_the_alias_points_to_one_timestamped_index_built_from_the_template(search_index):
    es = client()
    target = alias_target()
    assert target.startswith(f"{alias_name()}-")
    assert es.indices.exists_index_template(name=alias_name())
    mapping = es.indices.get_mapping(index=target)[target]["mappings"]
    assert mapping["dynamic"] == "strict"
    assert mapping["properties"]["title"]["analyzer"] == "fr_text"
    assert mapping["properties"]["title"]["fields"]["autocomplete"]["analyzer"] == "fr_autocomplete"


def test_strict_mapping_refuses_unknown_fields(search_index):
    with pytest.raises((BadRequestError, BulkIndexError)):
        client().index(index=alias_name(), id="junk", document={"titel": "typo"}, refresh=True)


def test_older_content_never_overwrites_fresher_content(reindexed_after):
    page = CompetencyPage.objects.get(code="SOCLE-D3-C01")
    doc_id = f"page-{page.pk}"
    fresh = page_documents([page.pk])
    fresh[doc_id].title = "Contenu plus récent"
    stale = page_documents([page.pk])
    stale[doc_id].title = "Contenu plus ancien"
    version = now_version()
    documents_write(fresh, version=version + 10, targets=write_targets())
    documents_write(stale, version=version, targets=write_targets())  # a slow writer, too late
    assert indexed(doc_id)["title"] == "Contenu plus récent"


def test_the_outbox_keeps_a_change_requeued_while_it_was_indexed(search_index, monkeypatch):
    calls = []

    def documents(ids):
        if not calls:  # the same object changes again while the flush is indexing it
            changes_enqueue([f"probe:{ids[0]}"])
        calls.append(ids)
        return {}

    probe = Source("probe", documents, lambda: iter(()), lambda page_id: [])
    monkeypatch.setitem(SOURCES, "probe", probe)
    changes_enqueue(["probe:1"])
    pending_flush(["probe:1"])
    assert PendingIndexing.objects.filter(key="probe:1").exists()  # kept for the next flush
    pending_flush(["probe:1"])
    assert not PendingIndexing.objects.filter(key="probe:1").exists()
    assert calls == [[1], [1]]


def test_changes_wait_in_the_outbox_while_there_is_no_index(search_index, settings):
    settings.SEARCH_INDEX_PREFIX = f"{settings.SEARCH_INDEX_PREFIX}-none"
    page = CompetencyPage.objects.get(code="SOCLE-D3-C02")
    changes_enqueue([f"page:{page.pk}"])
    assert pending_flush() == 0
    assert PendingIndexing.objects.filter(key=f"page:{page.pk}").exists()


def test_searches_keep_working_while_the_index_is_rebuilt(search_index, django_db_blocker):
    before = alias_target()
    paused, resume = threading.Event(), threading.Event()
    errors = []

    def progress(_count):
        paused.set()
        resume.wait(30)

    def rebuild():
        try:
            with django_db_blocker.unblock():
                index_rebuild(progress=progress)
        except Exception as error:  # reported by the test below
            errors.append(error)
        finally:
            connection.close()

    worker = threading.Thread(target=rebuild)
    worker.start()
    try:
        assert paused.wait(30), "the rebuild never reported progress"
        # Mid-rebuild: the alias still serves the old index, the new one takes writes too.
        assert alias_target() == before
        assert set(write_targets()) == {alias_name(), building_alias_name()}
        results = pages_search(SearchRequest(text="cybersecurite"), PUBLIC).results
        assert results[0].title == "Cybersécurité"
    finally:
        resume.set()
        worker.join(60)
    assert not errors, errors
    after = alias_target()
    assert after != before
    assert not client().indices.exists(index=before)
    assert write_targets() == [alias_name()]
    refresh()
    assert pages_search(SearchRequest(text="cybersecurite"), PUBLIC).results[0].title == (
        "Cybersécurité"
    )


def test_competency_documents_carry_structured_fields_and_facets(search_index):
    page = CompetencyPage.objects.get(code="RAD-D2-C03")
    document = page_documents([page.pk])[f"page-{page.pk}"]
    assert isinstance(document, CompetencyDocument)
    assert document.code == "RAD-D2-C03"
    assert document.domain == "Données d'imagerie et PACS"
    assert document.referentiel.startswith("Référentiel de compétences en santé numérique et IA")
    assert document.specialty == "Radiologie et imagerie médicale"
    assert (document.cycle, document.phase, document.live) == ("3", "2", False)
    assert any("INS" in outcome for outcome in document.learning_outcomes)
    assert document.evaluation_methods
    assert document.editor_groups  # the CERF editors and the steering committee
