"""`search_reindex` (progress bar, alias swap) and `search_pending` (after an outage)."""

import io

import pytest
from django.core.management import CommandError, call_command

from search.indexing import alias_name, alias_target, changes_enqueue
from search.models import PendingIndexing
from wiki.models import CompetencyPage

pytestmark = pytest.mark.django_db


def test_search_reindex_shows_progress_and_swaps_the_alias(reindexed_after, capsys):
    before = alias_target()
    out = io.StringIO()
    call_command("search_reindex", stdout=out)
    assert alias_target() != before
    assert f"alias {alias_name()} now points to it" in out.getvalue()
    progress = capsys.readouterr().err
    assert "(100%)" in progress


def test_search_pending_indexes_the_queue(reindexed_after):
    page = CompetencyPage.objects.get(code="SOCLE-D5-C01")
    changes_enqueue([f"page:{page.pk}"])
    out = io.StringIO()
    call_command("search_pending", stdout=out)
    assert out.getvalue().strip() == "1 queued changes indexed."
    assert not PendingIndexing.objects.exists()


def test_commands_refuse_without_elasticsearch(settings):
    settings.ELASTICSEARCH_URL = None
    with pytest.raises(CommandError, match="ELASTICSEARCH_URL"):
        call_command("search_reindex")
    with pytest.raises(CommandError, match="ELASTICSEARCH_URL"):
        call_command("search_pending")
