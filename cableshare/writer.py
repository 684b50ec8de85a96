"""Batched writes of cables inside a caller's transaction: the only code that changes the corpus.

One batch costs one lookup of stored hashes, one multi-row insert of new cables, one executemany
of their paragraphs. Unchanged cables (same content hash) are skipped without writing; an older
release of a cable (earlier ``released``) never overwrites a newer one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from cableshare.model import Cable
from cableshare.schema import cables, paragraphs, split_ref
from cableshare.shortcodes import short_code

_MAX_INT = 2**31 - 1
_SEP = "\x1f"

_STATE = sa.select(cables.c.ref_id, cables.c.id, cables.c.content_hash, cables.c.released).where(
    cables.c.ref_id.in_(sa.bindparam("refs", expanding=True))
)
_PAR_COLUMNS = ("cable_id", "position", "number", "anchor", "marking", "heading", "text", "short_code")
_SQLITE_NEXT_IDS = sa.text("SELECT coalesce(max(id), 0) + 1 FROM cables")
_PG_NEXT_IDS = sa.text("SELECT nextval(pg_get_serial_sequence('cables', 'id')) FROM generate_series(1, :n)")
# SQLite's FTS5 index is maintained here, set-based per batch: per-row triggers cost 3x (every
# statement flushes FTS5's pending terms). PostgreSQL's expression index maintains itself.
_FTS_ADD = sa.text(
    "INSERT INTO paragraphs_fts(rowid, text) SELECT id, text FROM paragraphs WHERE cable_id IN :ids"
).bindparams(sa.bindparam("ids", expanding=True))
_FTS_REMOVE = sa.text(
    "INSERT INTO paragraphs_fts(paragraphs_fts, rowid, text) "
    "SELECT 'delete', id, text FROM paragraphs WHERE cable_id IN :ids"
).bindparams(sa.bindparam("ids", expanding=True))
_DELETE_PARS = paragraphs.delete().where(paragraphs.c.cable_id.in_(sa.bindparam("ids", expanding=True)))
_UPDATE_CABLE = (
    cables.update().where(cables.c.id == sa.bindparam("b_id"))
    .values({c.name: sa.bindparam(c.name) for c in cables.c if c.name != "id"})
)


@dataclass
class BatchResult:
    """What one batch did; ``failed`` holds (ref_id, message) for cables that could not be stored."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


def content_hash(cable: Cable) -> str:
    """A digest of everything stored for a cable, to tell unchanged from updated on re-import."""
    h = hashlib.blake2b(digest_size=16)
    head = (cable.ref_id, cable.created.isoformat(), cable.released.isoformat() if cable.released else "",
            cable.classification, cable.origin, cable.subject, "\n".join(cable.tags),
            "\n".join(cable.references), cable.header, cable.body)
    h.update(_SEP.join(head).encode())
    for p in cable.paragraphs:
        h.update(_SEP.join(("\x1e", p.number, p.anchor, p.text, p.marking or "\x00",
                            p.heading or "\x00")).encode())
    return h.hexdigest()


def check(cable: Cable) -> str | None:
    """Why a cable cannot be stored, caught before the database would abort the batch."""
    if not cable.ref_id or not cable.ref_id.strip():
        return "empty reference ID"
    anchors = [p.anchor for p in cable.paragraphs]
    if len(set(anchors)) != len(anchors):
        dupes = sorted({a for a in anchors if anchors.count(a) > 1})
        return f"duplicate paragraph anchor(s) {', '.join(dupes)}"
    return None


def cable_row(cable: Cable, digest: str) -> dict:
    """The ``cables`` row of a cable (without id)."""
    year, station, serial = split_ref(cable.ref_id)
    return {
        "ref_id": cable.ref_id, "ref_key": cable.ref_id.upper(), "ref_year": year,
        "ref_station": station, "ref_serial": serial if serial is None or serial <= _MAX_INT else None,
        "created": cable.created, "released": cable.released, "year": cable.year, "month": cable.month,
        "classification": cable.classification, "origin": cable.origin, "subject": cable.subject,
        "tags": "\n".join(cable.tags), "refs": "\n".join(cable.references), "header": cable.header,
        "body": cable.body, "content_hash": digest, "short_code": short_code(cable.ref_id),
    }


def paragraph_rows(cable: Cable) -> list[tuple]:
    """The ``paragraphs`` rows of a cable in body order, as tuples in ``_PAR_COLUMNS`` order
    minus ``cable_id`` (filled in when stored)."""
    ref = cable.ref_id
    return [(i, p.number, p.anchor, p.marking, p.heading, p.text, short_code(ref, p.anchor))
            for i, p in enumerate(cable.paragraphs)]


@dataclass(frozen=True)
class Prepared:
    """A cable turned into rows, done by the reading thread so the writer only talks to the database."""

    ref_id: str
    released: datetime | None
    digest: str
    row: dict
    pars: list[tuple]


def prepare(cable: Cable) -> Prepared:
    """Rows for a cable; ValueError says why it cannot be stored."""
    problem = check(cable)
    if problem:
        raise ValueError(f"{cable.ref_id}: {problem}")
    digest = content_hash(cable)
    return Prepared(cable.ref_id, cable.released, digest, cable_row(cable, digest), paragraph_rows(cable))


def write_batch(conn: sa.Connection, batch: Sequence[Prepared]) -> BatchResult:
    """Store a batch (distinct ref_ids) in the caller's transaction; a batch that a cable made
    fail falls back to one savepoint per cable so one bad cable never aborts the import. A failure
    of the database itself (``OperationalError``) aborts it: nothing is committed."""
    savepoint = conn.begin_nested()
    try:
        result = _write(conn, batch)
    except sa.exc.OperationalError:
        # The database itself failed (disk full, read-only, connection lost), not a cable. The
        # savepoint is left to the caller's rollback: SQLite has already rolled the whole
        # transaction back on SQLITE_FULL, so rolling back to it would fail ("no such savepoint"),
        # and a new savepoint would open a new transaction and commit cables one by one.
        raise
    except Exception:  # noqa: BLE001 - any bad cable; Ctrl-C (BaseException) still aborts
        savepoint.rollback()
    else:
        savepoint.commit()
        return result
    total = BatchResult()
    for item in batch:
        try:
            with conn.begin_nested():
                one = _write(conn, [item])
        except sa.exc.OperationalError:
            raise
        except Exception as exc:  # noqa: BLE001
            reason = getattr(exc, "orig", None) or exc
            total.failed.append((item.ref_id, f"{item.ref_id}: not stored: {reason}"))
            continue
        total.new += one.new
        total.updated += one.updated
        total.unchanged += one.unchanged
    return total


def _write(conn: sa.Connection, batch: Sequence[Prepared]) -> BatchResult:
    result = BatchResult()
    state = {r.ref_id: r for r in conn.execute(_STATE, {"refs": [c.ref_id for c in batch]})}
    new = [item for item in batch if item.ref_id not in state]
    changed: list[tuple[int, Prepared]] = []
    for item in batch:
        old = state.get(item.ref_id)
        if old is None:
            continue
        if old.content_hash == item.digest or _is_older(item.released, old.released):
            result.unchanged += 1
        else:
            changed.append((old.id, item))
    pars: list[tuple] = []
    if new:
        ids = _next_ids(conn, len(new))
        _insert_cables(conn, [{"id": i, **item.row} for i, item in zip(ids, new, strict=True)])
        pars += [(i, *p) for i, item in zip(ids, new, strict=True) for p in item.pars]
    if changed:
        changed_ids = [cable_id for cable_id, _ in changed]
        if conn.dialect.name == "sqlite":
            conn.execute(_FTS_REMOVE, {"ids": changed_ids})
        conn.execute(_DELETE_PARS, {"ids": changed_ids})
        conn.execute(_UPDATE_CABLE, [{"b_id": i, **item.row} for i, item in changed])
        pars += [(i, *p) for i, item in changed for p in item.pars]
    if pars:
        _insert_paragraphs(conn, pars)
        if conn.dialect.name == "sqlite":
            conn.execute(_FTS_ADD, {"ids": sorted({p[0] for p in pars})})
    result.new, result.updated = len(new), len(changed)
    return result


def _insert_cables(conn: sa.Connection, rows: list[dict]) -> None:
    """Driver-level executemany of tuples, as for paragraphs: Core's processing of 19 bound
    values per row is a tenth of the write thread's time. SQLite gets its datetimes as the
    text SQLAlchemy's DateTime stores (``2004-04-09 06:06:00.000000``), so reads are unchanged."""
    if conn.dialect.name == "sqlite":
        rows = [{**row, "created": _sqlite_datetime(row["created"]), "released": _sqlite_datetime(row["released"])}
                for row in rows]
    columns = list(rows[0])
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO cables ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"
    conn.exec_driver_sql(sql, [tuple(row[c] for c in columns) for row in rows])


def _sqlite_datetime(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(" ", "microseconds")


def _insert_paragraphs(conn: sa.Connection, rows: list[tuple]) -> None:
    """Driver-level executemany of plain tuples: the bulk of an import's rows, and a third
    cheaper than Core's per-row parameter processing."""
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO paragraphs ({', '.join(_PAR_COLUMNS)}) VALUES ({', '.join([mark] * len(_PAR_COLUMNS))})"
    conn.exec_driver_sql(sql, rows)


def _next_ids(conn: sa.Connection, n: int) -> list[int]:
    """Cable ids for a batch without RETURNING: SQLite holds the write lock (BEGIN IMMEDIATE),
    PostgreSQL draws from the sequence."""
    if conn.dialect.name == "sqlite":
        first = conn.execute(_SQLITE_NEXT_IDS).scalar_one()
        return list(range(first, first + n))
    return list(conn.execute(_PG_NEXT_IDS, {"n": n}).scalars())


def _is_older(released: datetime | None, stored_released: datetime | None) -> bool:
    """True when both versions carry a release date and the incoming one is the earlier."""
    return bool(released and stored_released and released < stored_released)
