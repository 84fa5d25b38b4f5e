"""Write documents to Elasticsearch: template, versioned indices behind an alias, bulk writes,
the outbox of pending changes, and the full rebuild with an atomic alias swap.

Names (prefix `p` = settings.SEARCH_INDEX_PREFIX):
- `p-pages`            the alias every search and every write goes through;
- `p-pages-<stamp>`    the concrete indices (composable template `p-pages` for `p-pages-*`);
- `p-building-pages`   a second alias on the index a rebuild is filling, so that changes made
                       during the rebuild reach both the live index and the new one.

Every write carries an external version: the time its content was read from the database. A
slower writer holding older content can therefore never overwrite fresher content, whatever
the order in which rebuild batches and live changes reach the node.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from django.apps import apps
from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import Q
from django.utils import timezone
from elasticsearch import helpers
from elasticsearch.dsl import Index
from modelsearch.index import get_indexed_instance
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from search.connection import UNREACHABLE, alias_name, breaker, building_alias_name, client
from search.documents import DOCUMENT_CLASSES
from search.models import PendingIndexing
from search.sources import BATCH_SIZE, SOURCES, Documents

logger = logging.getLogger(__name__)

TREE = "tree"
# `admin:<app_label>.<model_name>:<pk>`: an object of Wagtail's admin search index (pages,
# images, documents…). Wagtail's own signal handlers are off (AUTO_UPDATE False in settings):
# they wrote to Elasticsearch inside the request, outside the breaker, with a 10 s timeout.
ADMIN = "admin"
SYNC_LIMIT = 500  # objects: a larger subtree is reindexed in a background thread
# Rows older than this were left by a flush that failed for another reason than an outage
# (a rejected document, a crash between commit and flush): retried, at most once per period.
LEFTOVER_SECONDS = 60.0


def now_version() -> int:
    """Microseconds since the epoch: the external version of what is read now."""
    return time.time_ns() // 1000


# ---------------------------------------------------------------- index, template, alias


def pages_index(name: str, *, refresh_interval: str = "1s") -> Index:
    index = Index(name, using=client())
    index.settings(
        number_of_shards=1,
        number_of_replicas=0,
        refresh_interval=refresh_interval,
    )
    for document_class in DOCUMENT_CLASSES:
        index.document(document_class)
    return index


def template_ensure() -> None:
    """(Re)write the composable template: any `p-pages-*` index gets the mapping and analysis."""
    alias = alias_name()
    pages_index(f"{alias}-*").as_composable_template(alias, priority=200).save()


def _aliased_indices(alias: str) -> list[str]:
    rows = client().cat.aliases(name=alias, format="json")
    return sorted({row["index"] for row in rows})


def alias_target() -> str | None:
    indices = _aliased_indices(alias_name())
    return indices[0] if indices else None


def _new_index_name() -> str:
    return f"{alias_name()}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"


def index_drop_all() -> None:
    """Remove this prefix's indices, aliases and template (tests and benchmarks clean up)."""
    es = client()
    es.indices.delete(index=f"{alias_name()}-*", ignore_unavailable=True, allow_no_indices=True)
    es.options(ignore_status=404).indices.delete_index_template(name=alias_name())


def write_targets(es=None) -> list[str]:
    """The aliases writes go to: the live one, plus the index being rebuilt if any."""
    wanted = {alias_name(), building_alias_name()}
    rows = (es or client()).cat.aliases(name=f"{settings.SEARCH_INDEX_PREFIX}-*", format="json")
    return sorted(wanted & {row["alias"] for row in rows})


# ---------------------------------------------------------------- bulk writes


class IndexingError(Exception):
    """Elasticsearch refused documents for another reason than a stale version."""


def _actions(documents: Documents, version: int, targets: list[str]) -> Iterator[dict]:
    for doc_id, document in documents.items():
        if document is not None:
            # clean() derives the computed fields. elasticsearch-dsl's field-by-field full_clean()
            # would cost more than the rest of the indexing, for documents built from the ORM.
            document.clean()
            source = document.to_dict(skip_empty=True)
        for target in targets:
            action = {
                "_index": target,
                "_id": doc_id,
                "version": version,
                "version_type": "external_gte",
            }
            if document is None:
                yield {**action, "_op_type": "delete"}
            else:
                yield {**action, "_op_type": "index", "_source": source}


def _send(actions: Iterable[dict], es=None) -> int:
    """Bulk-send `actions`; returns how many were applied. Raises IndexingError when the node
    refuses some for another reason than a stale version."""
    done, serious = 0, []
    for ok, result in helpers.streaming_bulk(
        es or client(),
        actions,
        chunk_size=BATCH_SIZE,
        raise_on_error=False,
        require_alias=True,  # never let a typo auto-create an index with dynamic mappings
    ):
        ((op, item),) = result.items()
        status = item.get("status")
        # 409: the node already holds fresher content; 404: deleting what was never indexed.
        if ok or status == 409 or (op == "delete" and status == 404):
            done += ok
        else:
            serious.append(item)
    if serious:
        raise IndexingError(f"{len(serious)} documents refused, first: {serious[0]}")
    return done


def documents_write(documents: Documents, *, version: int, targets: list[str]) -> int:
    """Index or delete (None) each document in every target. Returns the number applied."""
    if not documents or not targets:
        return 0
    return _send(_actions(documents, version, targets))


# ---------------------------------------------------------------- the outbox


def changes_enqueue(keys: Iterable[str]) -> None:
    """Record changes in the current transaction; they are indexed once it commits."""
    keys = sorted(set(keys))
    if not keys:
        return
    version, now = now_version(), timezone.now()
    PendingIndexing.objects.bulk_create(
        [PendingIndexing(key=key, version=version, queued_at=now) for key in keys],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["version", "queued_at"],
    )
    _keys_to_flush().update(keys)
    # The first callback of a transaction flushes every key it queued; the others find
    # nothing left. (Keys of a rolled-back transaction have no row: flushing them is a no-op.)
    transaction.on_commit(_flush_after_commit)


def _keys_to_flush() -> set[str]:
    # Per thread, as connections are.
    connection = connections["default"]
    if not hasattr(connection, "_search_pending_keys"):
        connection._search_pending_keys = set()
    return connection._search_pending_keys


def _flush_after_commit() -> None:
    pending = _keys_to_flush()
    keys = sorted(pending)
    pending.clear()
    if not keys:
        return
    if not breaker.allow():
        return  # outage: the rows wait for the node to come back
    # A big subtree (a référentiel renamed) is reindexed without making the editor wait.
    large = [key for key in keys if key.startswith(f"{TREE}:") and _tree_size(key) > SYNC_LIMIT]
    if large:
        pending_flush_in_background(large)
        keys = [key for key in keys if key not in large]
    try:
        # In the request: a hanging node costs SEARCH_PROBE_TIMEOUT once, then the breaker.
        pending_flush(keys, probe_timeout=settings.SEARCH_PROBE_TIMEOUT)
    except UNREACHABLE as error:
        breaker.failure()
        logger.warning("Elasticsearch unreachable (%s): %d changes queued", error, len(keys))
    except Exception:  # the edit is saved and its change queued: never fail the request
        logger.exception("Search index not updated, %d changes queued", len(keys))
    else:
        if breaker.success() or _leftovers_due():
            pending_flush_in_background()


_leftovers_checked = 0.0


def _leftovers_due() -> bool:
    global _leftovers_checked
    now = time.monotonic()
    if now - _leftovers_checked < LEFTOVER_SECONDS:
        return False
    _leftovers_checked = now
    older = timezone.now() - timedelta(seconds=LEFTOVER_SECONDS)
    return PendingIndexing.objects.filter(queued_at__lt=older).exists()


def _tree_size(key: str) -> int:
    root = Page.objects.filter(pk=int(key.partition(":")[2] or 0)).only("path").first()
    return Page.objects.filter(path__startswith=root.path).count() if root else 0


def _expand(keys: Iterable[str]) -> dict[str, set[int]]:
    """Group keys by source; a tree key stands for every object in a page's subtree."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for key in keys:
        kind, _sep, raw_id = key.partition(":")
        if not raw_id.isdigit():
            continue
        if kind == TREE:
            for source in SOURCES.values():
                wanted[source.name].update(source.ids_in_tree(int(raw_id)))
        elif kind in SOURCES:
            wanted[kind].add(int(raw_id))
    return wanted


def _chunks(ids: list[int], size: int = BATCH_SIZE) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def admin_key(instance) -> str:
    return f"{ADMIN}:{instance._meta.label_lower}:{instance.pk}"


def _admin_index_write(keys: Iterable[str]) -> None:
    """Bring Wagtail's admin index up to date for these objects: index those that exist and
    are indexable, delete the others. Same node, same breaker as ours (the caller's)."""
    backend = get_search_backend()
    if not hasattr(backend, "es"):  # Wagtail's database backend: it keeps itself up to date
        return
    es = backend.es.options(request_timeout=settings.SEARCH_TIMEOUT)
    wanted: dict[str, set[int]] = defaultdict(set)
    for key in keys:
        _kind, label, raw_id = key.split(":", 2)
        if raw_id.isdigit():
            wanted[label].add(int(raw_id))
    for label, ids in wanted.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        found = {obj.pk: obj for obj in model.objects.filter(pk__in=ids)}
        by_model: dict[type, list] = defaultdict(list)
        for pk in ids:
            indexed = get_indexed_instance(found[pk]) if pk in found else None
            if indexed is None:
                gone = model(pk=pk)
                index = backend.get_index_for_object(gone)
                index.es = es
                index.delete_item(gone)
            else:
                by_model[type(indexed)].append(indexed)
        for indexed_model, objects in by_model.items():
            index = backend.get_index_for_model(indexed_model)
            index.es = es
            index.add_items(indexed_model, objects)


def pending_flush(keys: Iterable[str] | None = None, *, probe_timeout: float | None = None) -> int:
    """Index the queued changes (all of them, or only `keys`), in our index and in Wagtail's
    admin index. Returns how many were done.

    `probe_timeout` bounds the first request (the request path passes SEARCH_PROBE_TIMEOUT):
    a node that accepts connections and never answers then costs that much, once.
    Raises the client's error when the node cannot be reached: the rows then stay queued.
    """
    if not settings.ELASTICSEARCH_URL:
        return 0
    done, last_pk = 0, 0
    only = sorted(set(keys)) if keys is not None else None
    probe = client().options(request_timeout=probe_timeout) if probe_timeout else client()
    while True:
        rows = PendingIndexing.objects.filter(pk__gt=last_pk).order_by("pk")
        if only is not None:
            rows = rows.filter(key__in=only)
        batch = list(rows.values_list("pk", "key", "version")[:BATCH_SIZE])
        if not batch:
            return done
        targets = write_targets(probe)
        if not targets:
            _warn_no_index()
            return done
        expanded = _expand(key for _pk, key, _v in batch)
        for source_name, ids in expanded.items():
            source = SOURCES[source_name]
            for chunk in _chunks(sorted(ids)):
                version = now_version()  # taken before reading: content is at least this fresh
                documents_write(source.documents(chunk), version=version, targets=targets)
        admin = [key for _pk, key, _v in batch if key.startswith(f"{ADMIN}:")]
        if admin:
            _admin_index_write(admin)
        # A row re-queued meanwhile has a new version: it stays for the next flush.
        stale = Q()
        for pk, _key, version in batch:
            stale |= Q(pk=pk, version=version)
        PendingIndexing.objects.filter(stale).delete()
        done += len(batch)
        last_pk = batch[-1][0]


@cache
def _warn_no_index() -> None:
    # Once per process: the outbox keeps the changes until the index exists.
    logger.warning("No search index yet: changes are queued; run `manage.py search_reindex`.")


def pending_flush_in_background(keys: list[str] | None = None) -> None:
    """Index what was queued (all of it, or `keys`) without making the current request wait:
    after an outage, or for a large subtree."""

    def run() -> None:
        try:
            count = pending_flush(keys)
            if count:
                logger.info("Search index caught up: %d queued changes indexed", count)
        except UNREACHABLE as error:
            breaker.failure()
            logger.warning("Elasticsearch unreachable (%s): queued changes wait", error)
        except Exception:
            logger.exception("Queued search changes not indexed")
        finally:
            connection.close()

    threading.Thread(target=run, name="search-pending-flush", daemon=True).start()


# ---------------------------------------------------------------- full rebuild


@dataclass
class RebuildReport:
    index: str
    documents: int
    seconds: float
    pending: int


def documents_count() -> int:
    """How many objects a rebuild will read (for its progress bar)."""
    return sum(len(chunk) for source in SOURCES.values() for chunk in source.ids_all())


def index_rebuild(progress: Callable[[int], None] | None = None) -> RebuildReport:
    """Fill a new index from the database, then swap the alias to it in one atomic call.

    Searches keep using the old index until the swap; changes made meanwhile are written to
    both (the building alias), and the versions keep the freshest content in each. Documents
    are built in this thread (it owns the database connection) while two threads send them.
    """
    started = time.monotonic()
    es = client().options(request_timeout=120)
    template_ensure()
    alias, building = alias_name(), building_alias_name()
    # A rebuild that crashed left its half-filled index behind: drop it.
    for leftover in _aliased_indices(building):
        es.indices.delete(index=leftover, ignore_unavailable=True)
    # Changes queued and committed before the snapshot starts are in the snapshot (unless
    # queued again meanwhile, which gives them a newer version).
    snapshot_version = now_version()
    covered = list(PendingIndexing.objects.values_list("pk", flat=True))
    name = _new_index_name()
    pages_index(name, refresh_interval="-1").aliases(**{building: {}}).create()
    count = 0
    try:
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="search-rebuild") as pool:
            in_flight: deque[Future] = deque()
            for source in SOURCES.values():
                for chunk in source.ids_all():
                    version = now_version()  # taken before reading: content at least as fresh
                    actions = list(_actions(source.documents(chunk), version, [building]))
                    in_flight.append(pool.submit(_send, actions, es))
                    count += len(chunk)
                    if progress:
                        progress(len(chunk))
                    while len(in_flight) >= 2:  # bounded memory: two batches on the wire
                        in_flight.popleft().result()
            for future in in_flight:
                future.result()
        es.indices.put_settings(index=name, settings={"index": {"refresh_interval": "1s"}})
        es.indices.refresh(index=name)
    except BaseException:
        es.indices.delete(index=name, ignore_unavailable=True)
        raise
    old = _aliased_indices(alias)
    es.indices.update_aliases(
        actions=[
            *({"remove": {"index": index, "alias": alias}} for index in old),
            {"add": {"index": name, "alias": alias}},
            {"remove": {"index": name, "alias": building}},
        ]
    )
    for index in old:
        es.indices.delete(index=index, ignore_unavailable=True)
    for chunk in _chunks(covered, 1000):
        PendingIndexing.objects.filter(pk__in=chunk, version__lt=snapshot_version).delete()
    pending = pending_flush()
    return RebuildReport(
        index=name, documents=count, seconds=time.monotonic() - started, pending=pending
    )
