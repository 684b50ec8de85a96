"""Import a stream of parsed cables into the store: batched, idempotent and all-or-nothing.

The whole import is ONE transaction. An interrupted import (Ctrl-C, kill -9, power loss) leaves
the corpus exactly as it was, and readers see the old corpus until the commit. Rows the parser
could not read, and cables the store refuses, are counted and reported; they never stop the import.

Versions: cables are keyed by ``ref_id``. A cable whose content hash equals the stored one is
``unchanged``; a different one replaces the stored cable (``updated``) unless both carry a
release date and the incoming one is older, in which case the newer stored version is kept (and
counted as ``unchanged``). Within one input the later occurrence of a ref wins the same way.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cableshare.model import Cable
from cableshare.writer import BatchResult, Prepared, prepare, write_batch

if TYPE_CHECKING:
    from cableshare.store import Store

BATCH_SIZE = 500
IMPORT_CACHE_KIB = 64 * 1024
ANALYZE_AFTER = 1000  # changed cables
IMPORT_FTS_HASH_BYTES = 32 * 1024 * 1024
FTS_DEFAULT_HASH_BYTES = 1024 * 1024  # FTS5's own default, for databases that never set it
# PostgreSQL: the GIN full-text index takes new entries into a pending list and merges them into
# the index when the list is full; a bigger list (and the memory to sort it) merges in fewer,
# larger passes.
PG_IMPORT_SETTINGS = ("gin_pending_list_limit = '64MB'", "work_mem = '64MB'")


@dataclass
class ImportSummary:
    """Counts of one import; ``errors`` are ``path:line: message`` (parse) or ``REF: message``."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    corpus_version: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.new or self.updated)

    @property
    def done(self) -> int:
        return self.new + self.updated + self.unchanged + self.failed

    def add(self, batch: BatchResult) -> None:
        self.new += batch.new
        self.updated += batch.updated
        self.unchanged += batch.unchanged
        self.failed += len(batch.failed)
        self.errors += [message for _, message in batch.failed]


Progress = Callable[[ImportSummary], None]
_DONE = object()


def import_cables(store: Store, items: Iterable[object], progress: Progress | None = None,
                  batch_size: int = BATCH_SIZE) -> ImportSummary:
    """Import ``Cable``s (anything else, e.g. a ``ParseError``, is counted as a failure with its
    ``str()``); ``progress`` is called after every batch with the running summary.

    The caller's thread reads ``items`` (parsing) while a writer thread stores batches: the
    database engines do their work outside the GIL, so parsing and indexing overlap."""
    summary = ImportSummary()
    batches: queue.Queue = queue.Queue(maxsize=2)  # bounds memory to a few batches
    writer = _Writer(store, batches, summary)
    writer.start()
    try:
        batch: dict[str, Prepared] = {}
        for cable in items:
            item = _prepare(cable, writer)
            if item is None:
                continue
            if item.ref_id in batch:  # the same ref twice: store the first, the later one updates it
                writer.put(list(batch.values()), progress)
                batch = {}
            batch[item.ref_id] = item
            if len(batch) >= batch_size:
                writer.put(list(batch.values()), progress)
                batch = {}
        if batch:
            writer.put(list(batch.values()), progress)
        writer.finish(commit=True)
        if progress:
            progress(summary)
    except BaseException:
        writer.finish(commit=False)  # rolls the whole import back
        raise
    if store.dialect == "postgresql" and summary.new + summary.updated >= ANALYZE_AFTER:
        _vacuum(store, summary)
    if summary.corpus_version is None:
        summary.corpus_version = store.corpus_version()
    return summary


def _vacuum(store: Store, summary: ImportSummary) -> None:
    """PostgreSQL, after a big import has committed: VACUUM the rewritten tables. The text-search
    GIN index keeps new entries in a pending list that every search scans until a vacuum merges
    it (search p95 on a freshly imported full release: 81 ms, 31 ms after a VACUUM run by hand;
    bench/search.py). VACUUM cannot
    run inside a transaction, so it runs after the commit; its failure loses nothing (autovacuum
    will get there) and is reported, not raised."""
    import sqlalchemy as sa

    try:
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM cables, paragraphs")
    except sa.exc.SQLAlchemyError as exc:
        reason = getattr(exc, "orig", None) or exc
        summary.errors.append(f"note: the import is stored; VACUUM after it failed ({reason}), "
                              "autovacuum will do it later")


def _prepare(item: object, writer: _Writer) -> Prepared | None:
    """Rows for a cable, or None with the failure counted (parse errors, unstorable cables)."""
    error: object = item
    if isinstance(item, Cable):
        try:
            return prepare(item)
        except Exception as exc:  # noqa: BLE001 - a malformed cable is reported, never fatal
            error = exc if isinstance(exc, ValueError) else f"{item.ref_id}: not stored: {exc!r}"
    writer.record(BatchResult(failed=[("", str(error))]))
    return None


class _Writer(threading.Thread):
    """Owns the import's one transaction; commits only when told the input is complete."""

    def __init__(self, store: Store, batches: queue.Queue, summary: ImportSummary):
        super().__init__(name="cableshare-import-writer", daemon=True)
        self.store, self.batches, self.summary = store, batches, summary
        self.commit = False
        self.done = False
        self.error: BaseException | None = None
        self.lock = threading.Lock()  # both threads count into the one summary

    def record(self, result: BatchResult) -> None:
        with self.lock:
            self.summary.add(result)

    def run(self) -> None:
        from cableshare.store import bump_version

        try:
            with self.store.write_transaction() as conn, _import_settings(conn):
                while (batch := self.batches.get()) is not _DONE:
                    self.record(write_batch(conn, batch))
                self.done = True
                if not self.commit:
                    raise _Abort
                if self.summary.changed:
                    self.summary.corpus_version = bump_version(conn)
                if self.summary.new + self.summary.updated >= ANALYZE_AFTER:
                    _analyze(conn)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            self.error = exc
            self._drain()

    def put(self, batch: list[Prepared], progress: Progress | None) -> None:
        while self.error is None:
            try:
                self.batches.put(batch, timeout=0.2)
                break
            except queue.Full:
                continue
        self._raise()
        if progress:
            progress(self.summary)

    def finish(self, *, commit: bool) -> None:
        self.commit = commit
        while self.is_alive():
            try:
                self.batches.put(_DONE, timeout=0.2)
                break
            except queue.Full:
                continue
        self.join()
        if commit:
            self._raise()

    def _raise(self) -> None:
        if self.error is not None and not isinstance(self.error, _Abort):
            raise self.error

    def _drain(self) -> None:
        """After a failure, keep taking batches so the producer never blocks forever."""
        while not self.done:
            self.done = self.batches.get() is _DONE


def _analyze(conn) -> None:
    """Fresh planner statistics after a big import, so lookups never start on a bad plan."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA analysis_limit=1000")
        conn.exec_driver_sql("ANALYZE")
    else:
        conn.exec_driver_sql("ANALYZE cables")
        conn.exec_driver_sql("ANALYZE paragraphs")


@contextmanager
def _import_settings(conn) -> Iterator[None]:
    """PostgreSQL: ``PG_IMPORT_SETTINGS`` for the import's transaction.
    SQLite, for the import only: a big page cache (random inserts into the short-code indexes
    otherwise thrash the 2 MB default) and a big FTS5 term buffer (fewer, larger index segments
    to write and merge). Both are given back before the connection returns to the pool; the
    FTS5 setting is stored in the database, so it is restored inside the import's transaction."""
    if conn.dialect.name != "sqlite":
        for setting in PG_IMPORT_SETTINGS:  # SET LOCAL: ends with the transaction
            conn.exec_driver_sql(f"SET LOCAL {setting}")
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size={-IMPORT_CACHE_KIB}")
    hashsize = conn.exec_driver_sql("SELECT v FROM paragraphs_fts_config WHERE k = 'hashsize'").scalar()
    _fts_hashsize(conn, IMPORT_FTS_HASH_BYTES)
    try:
        yield
        _fts_hashsize(conn, hashsize)
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(before)}")


def _fts_hashsize(conn, value: object) -> None:
    """Set FTS5's pending-term buffer through its own command, so every connection sees it."""
    size = FTS_DEFAULT_HASH_BYTES if value is None else int(value)  # type: ignore[call-overload]
    conn.exec_driver_sql("INSERT INTO paragraphs_fts(paragraphs_fts, rank) VALUES ('hashsize', ?)", (size,))


class _Abort(Exception):
    """Raised inside the writer to roll the transaction back."""
