"""The corpus in a SQL database (SQLite file or PostgreSQL): the one place that reads it.

Every read runs in one transaction (a snapshot), so a reader never sees half of an import.
Writes go through ``write_transaction`` and ``cableshare.writer``.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from cableshare import fulltext
from cableshare.fulltext import SearchHit, SearchPage
from cableshare.model import Cable, Paragraph
from cableshare.schema import (
    SQLITE_FTS_DDL,
    cables,
    meta,
    metadata,
    paragraphs,
    shortened_urls,
)

if TYPE_CHECKING:
    from cableshare.importer import ImportSummary

__all__ = ["SearchHit", "SearchPage", "Store"]

_CHUNK = 500
_CABLE_COLUMNS = "ref_id, created, released, classification, origin, subject, tags, refs, header, body"
#: Cables with their paragraphs, a row each: the paragraphs as a JSON array of
#: [position, number, anchor, text, marking, heading] (sorted by position when read, as
#: SQLite before 3.44 has no ORDER BY inside an aggregate). One statement, so one snapshot.
_CABLE_ROWS = {
    "sqlite": f"SELECT {_CABLE_COLUMNS}, (SELECT json_group_array(json_array(position, number, anchor, "
              "text, marking, heading)) FROM paragraphs WHERE cable_id = c.id) FROM cables c",
    "postgresql": f"SELECT {_CABLE_COLUMNS}, (SELECT json_agg(json_build_array(position, number, anchor, "
                  "text, marking, heading)) FROM paragraphs WHERE cable_id = c.id) FROM cables c",
}
_ONE_CABLE = {dialect: f"{sql} WHERE ref_id = {'?' if dialect == 'sqlite' else '%s'}"
              for dialect, sql in _CABLE_ROWS.items()}
_CABLES_IN = {dialect: sa.text(f"{sql} WHERE ref_id IN :refs").bindparams(sa.bindparam("refs", expanding=True))
              for dialect, sql in _CABLE_ROWS.items()}


class Store:
    """The corpus behind any SQLAlchemy URL; ``dialect`` is ``"sqlite"`` or ``"postgresql"``."""

    def __init__(self, url: str):
        self.url = url
        self.engine = _make_engine(url)
        self.dialect: str = self.engine.dialect.name

    # -- lifecycle ------------------------------------------------------------------------------

    def create_schema(self) -> None:
        """Create whatever is missing; safe to call on every start, and by several servers at once.

        A schema that is already complete is only read, so a read-only database still serves. On
        PostgreSQL the writes wait on a transaction-level advisory lock: two servers starting on an
        empty schema would otherwise both run CREATE TABLE and one would fail."""
        with self.read() as conn:
            if _schema_is_complete(conn, self.dialect):
                return
        with self.write_transaction() as conn:
            if self.dialect == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('cableshare:' || current_schema()))"))
            metadata.create_all(conn, checkfirst=True)
            # create_all skips the indexes of tables that already exist; add any added since.
            for table in metadata.sorted_tables:
                for index in table.indexes:
                    if _index_applies(index, self.dialect):
                        index.create(conn, checkfirst=True)
            if self.dialect == "sqlite":
                for ddl in SQLITE_FTS_DDL:
                    conn.exec_driver_sql(ddl)
            _insert_ignore(conn, meta, {"key": "corpus_version", "value": "0"})

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        """One snapshot for several queries (SQLite BEGIN; PostgreSQL REPEATABLE READ)."""
        with self.engine.connect() as conn:
            if self.dialect == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    @contextmanager
    def write_transaction(self) -> Iterator[sa.Connection]:
        """One write transaction; on SQLite it takes the write lock up front (BEGIN IMMEDIATE) so
        two writers queue on busy_timeout instead of deadlocking on a lock upgrade."""
        with self.engine.connect() as conn:
            conn.execution_options(cableshare_write=True)
            with conn.begin():
                yield conn

    # -- cables ---------------------------------------------------------------------------------

    def is_empty(self) -> bool:
        with self.read() as conn:
            return conn.execute(sa.select(cables.c.id).limit(1)).first() is None

    def get_cable(self, ref_id: str) -> Cable | None:
        """The cable with exactly this ref (as written in the release), its paragraphs included:
        one statement (so one snapshot), the hot path of every share (see ``_fetch_one``)."""
        row = self._fetch_one(_ONE_CABLE[self.dialect], (ref_id,))
        return None if row is None else _cable_from_tuple(row)

    def get_cables(self, ref_ids: Iterable[str]) -> dict[str, Cable]:
        """Many cables at once (unknown refs are simply absent from the result)."""
        refs = list(dict.fromkeys(ref_ids))
        found: dict[str, Cable] = {}
        with self.read() as conn:
            for start in range(0, len(refs), _CHUNK):
                rows = conn.execute(_CABLES_IN[self.dialect], {"refs": refs[start:start + _CHUNK]})
                found.update((row[0], _cable_from_tuple(tuple(row))) for row in rows)
        return found

    def existing_refs(self, ref_ids: Iterable[str]) -> set[str]:
        refs = list(dict.fromkeys(ref_ids))
        query = sa.select(cables.c.ref_id).where(cables.c.ref_id.in_(sa.bindparam("refs", expanding=True)))
        with self.read() as conn:
            return {r for start in range(0, len(refs), _CHUNK)
                    for r in conn.execute(query, {"refs": refs[start:start + _CHUNK]}).scalars()}

    def find_ref(self, ref: str) -> str | None:
        """Case-insensitive exact match, returning the ref as stored (``07moscow1143`` → ``07MOSCOW1143``)."""
        query = sa.select(cables.c.ref_id).where(cables.c.ref_key == ref.strip().upper())
        with self.read() as conn:
            return conn.execute(query.order_by(cables.c.id).limit(1)).scalar()

    def candidate_refs(self, *, serial: int | None = None, station: str | None = None,
                       year: int | None = None, limit: int = 200) -> list[str]:
        """Refs for "did you mean": those sharing the serial number and/or station (and year).
        Given criteria are combined; with neither serial nor station there is nothing to suggest."""
        if serial is None and not station:
            return []
        query = sa.select(cables.c.ref_id)
        if serial is not None:
            query = query.where(cables.c.ref_serial == serial)
        if station:
            query = query.where(cables.c.ref_station == station.upper())
        if year is not None:
            query = query.where(cables.c.ref_year == year)
        with self.read() as conn:
            return list(conn.execute(query.order_by(cables.c.ref_id).limit(limit)).scalars())

    def upsert(self, items: Iterable[Cable]) -> ImportSummary:
        """Store cables (new, updated or unchanged) in one transaction; see ``import_cables``."""
        from cableshare.importer import import_cables

        return import_cables(self, items)

    # -- search, stats, version -----------------------------------------------------------------

    def search(self, query: str, page: int = 1, per_page: int = 20) -> SearchPage:
        with self.read() as conn:
            return fulltext.search(conn, self.dialect, query, page, per_page)

    def stats(self) -> dict:
        """Counts, classifications, date range and (cheaply known) database size."""
        with self.read() as conn:
            n_cables = conn.execute(sa.select(sa.func.count()).select_from(cables)).scalar_one()
            n_pars = conn.execute(sa.select(sa.func.count()).select_from(paragraphs)).scalar_one()
            by_class = conn.execute(sa.select(cables.c.classification, sa.func.count())
                                    .group_by(cables.c.classification).order_by(sa.func.count().desc()))
            first, last = conn.execute(sa.select(sa.func.min(cables.c.created),
                                                 sa.func.max(cables.c.created))).one()
            return {
                "cables": n_cables, "paragraphs": n_pars,
                "by_classification": dict(by_class.all()),
                "first_created": first.isoformat(timespec="minutes") if first else None,
                "last_created": last.isoformat(timespec="minutes") if last else None,
                "db_bytes": int(_db_bytes(conn, self.dialect) or 0) or None,
                "corpus_version": _version(conn),
            }

    def corpus_version(self) -> str:
        """Changes whenever an import changed anything; callers use it in ETags (every cacheable
        request reads it, so it takes the ``_fetch_one`` path)."""
        mark = "?" if self.dialect == "sqlite" else "%s"
        row = self._fetch_one(f"SELECT value FROM meta WHERE key = {mark}", ("corpus_version",))
        return row[0] if row else "0"

    def _fetch_one(self, sql: str, params: tuple) -> tuple | None:
        """One statement on a pooled DBAPI connection, skipping SQLAlchemy's Connection and result
        layers: a share's cable read costs a third (bench/lookup.py), a version read a quarter.
        The pool still pings, replaces and resets connections; a driver error is raised as
        SQLAlchemy's own (``OperationalError``…), so callers and the 503 handler see no difference,
        and a connection the server dropped is invalidated. One statement is one snapshot on both
        databases, so no explicit transaction is needed."""
        dialect = self.engine.dialect
        driver_error = dialect.loaded_dbapi.Error
        try:
            dbapi_conn = self.engine.raw_connection()
        except driver_error as exc:  # the server is unreachable: as engine.connect() would raise it
            raise sa.exc.DBAPIError.instance(None, None, exc, driver_error, dialect=dialect) from exc
        # PostgreSQL: the statement in autocommit, so no transaction is left for the pool's
        # reset to roll back (one round trip fewer; the pool's ping also leaves it idle).
        driver: Any = dbapi_conn.driver_connection  # sqlite3 or psycopg, as the URL says
        autocommit = self.dialect == "postgresql" and not driver.autocommit
        try:
            if autocommit:
                driver.autocommit = True
            cursor = dbapi_conn.cursor()
            try:
                cursor.execute(sql, params)
                return cursor.fetchone()
            finally:
                cursor.close()
                if autocommit and not driver.closed:
                    driver.autocommit = False
        except driver_error as exc:
            if dialect.is_disconnect(exc, dbapi_conn, None):
                dbapi_conn.invalidate(exc)
            raise sa.exc.DBAPIError.instance(sql, params, exc, driver_error, dialect=dialect) from exc
        finally:
            dbapi_conn.close()  # back to the pool, which rolls the driver's transaction back

    # -- short codes and external short URLs ----------------------------------------------------

    def target_for_code(self, code: str) -> tuple[str, str | None] | None:
        """(ref_id, anchor) for a paragraph's code, (ref_id, None) for a cable's; first stored wins."""
        with self.read() as conn:
            ref = conn.execute(sa.select(cables.c.ref_id).where(cables.c.short_code == code)
                               .order_by(cables.c.id).limit(1)).scalar()
            if ref is not None:
                return ref, None
            row = conn.execute(
                sa.select(cables.c.ref_id, paragraphs.c.anchor)
                .join(cables, cables.c.id == paragraphs.c.cable_id)
                .where(paragraphs.c.short_code == code).order_by(paragraphs.c.id).limit(1)
            ).first()
        return (row.ref_id, row.anchor) if row else None

    def shortened_url(self, long_url: str, service: str) -> str | None:
        query = sa.select(shortened_urls.c.short_url).where(shortened_urls.c.key == _url_key(long_url, service))
        with self.read() as conn:
            return conn.execute(query).scalar()

    def remember_shortened_url(self, long_url: str, service: str, short_url: str) -> None:
        """Insert-or-ignore: two app servers shortening the same URL at once both succeed; the first stays."""
        row = {"key": _url_key(long_url, service), "service": service, "long_url": long_url,
               "short_url": short_url}
        with self.write_transaction() as conn:
            _insert_ignore(conn, shortened_urls, row)


def bump_version(conn: sa.Connection) -> str:
    """Give the corpus a new version inside the caller's (import) transaction."""
    version = f"{time.time_ns():x}-{secrets.token_hex(3)}"
    conn.execute(meta.update().where(meta.c.key == "corpus_version").values(value=version))
    return version


def _schema_is_complete(conn: sa.Connection, dialect: str) -> bool:
    """Every table, index (and on SQLite the FTS table, without the old triggers) and the
    version row exist: what ``create_schema`` would otherwise create."""
    inspector = sa.inspect(conn)
    tables = set(inspector.get_table_names())
    if not {t.name for t in metadata.sorted_tables} <= tables:
        return False
    for table in metadata.sorted_tables:
        wanted = {i.name for i in table.indexes if _index_applies(i, dialect)}
        if not wanted <= {i["name"] for i in inspector.get_indexes(table.name)}:
            return False
    if dialect == "sqlite":
        names = set(conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE name = 'paragraphs_fts' OR name LIKE 'paragraphs_fts_a_'"
        ).scalars())
        if names != {"paragraphs_fts"}:
            return False
    return conn.execute(sa.select(meta.c.key).where(meta.c.key == "corpus_version")).first() is not None


def _index_applies(index: sa.Index, dialect: str) -> bool:
    ddl_if = getattr(index, "_ddl_if", None)
    return ddl_if is None or ddl_if.dialect in (None, dialect)


def _version(conn: sa.Connection) -> str:
    return conn.execute(sa.select(meta.c.value).where(meta.c.key == "corpus_version")).scalar() or "0"


def _url_key(long_url: str, service: str) -> str:
    return hashlib.sha256(f"{service}\n{long_url}".encode()).hexdigest()


def _insert_ignore(conn: sa.Connection, table: sa.Table, row: dict) -> None:
    insert = sqlite.insert if conn.dialect.name == "sqlite" else postgresql.insert
    conn.execute(insert(table).values(**row).on_conflict_do_nothing())


def _cable_from_tuple(row: tuple) -> Cable:
    """A ``_CABLE_ROWS`` row as a Cable. SQLite gives text where PostgreSQL's driver
    decodes: timestamps as SQLAlchemy stored them (ISO 8601), the paragraphs as JSON text."""
    ref_id, created, released, classification, origin, subject, tags, refs, header, body, pars = row
    if isinstance(pars, str):
        pars = json.loads(pars)
    return Cable(
        ref_id=ref_id, created=_datetime(created), released=_datetime(released) if released else None,
        classification=classification, origin=origin, subject=subject,
        tags=tuple(tags.split("\n")) if tags else (), references=tuple(refs.split("\n")) if refs else (),
        header=header, body=body,
        paragraphs=tuple(Paragraph(number=p[1], anchor=p[2], text=p[3], marking=p[4], heading=p[5])
                         for p in sorted(pars or (), key=lambda p: p[0])),
    )


def _datetime(value: datetime | str) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _db_bytes(conn: sa.Connection, dialect: str) -> int | None:
    if dialect == "sqlite":
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar() or 0
        return pages * (conn.exec_driver_sql("PRAGMA page_size").scalar() or 0)
    return conn.execute(sa.text(
        "SELECT sum(pg_total_relation_size(format('%I', t)::regclass)) FROM "
        "unnest(ARRAY['cables','paragraphs','meta','shortened_urls']) t")).scalar()


def _make_engine(url: str) -> sa.Engine:
    """SQLite: WAL, foreign keys, busy timeout and real transactions (the driver's own lazy BEGIN
    would let two SELECTs see different commits). PostgreSQL: a small pre-pinged pool (a connection
    the server dropped is replaced, so the app recovers by itself after an outage) whose connects
    and pool waits give up within seconds, so requests fail fast (503) while the server is away."""
    if not url.startswith("sqlite"):
        return sa.create_engine(url, pool_size=5, max_overflow=10, pool_pre_ping=True, pool_recycle=1800,
                                pool_timeout=10, connect_args={"connect_timeout": 5})
    engine = sa.create_engine(url, connect_args={"check_same_thread": False})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=10000", "synchronous=NORMAL"):
            dbapi_conn.execute(f"PRAGMA {pragma}")

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        write = conn.get_execution_options().get("cableshare_write")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine
