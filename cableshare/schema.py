"""The one schema definition for SQLite and PostgreSQL (SQLAlchemy Core).

Dialect differences are confined to full-text search: SQLite gets an FTS5 external-content table
kept in sync by ``cableshare.writer``, the only code that writes paragraphs; PostgreSQL gets a
stored generated ``tsv`` column with a GIN index. The column is stored, not an expression index,
because ranking and lossy-bitmap rechecks otherwise recompute ``to_tsvector`` for every matching
row (1.7 s for a common word on the full corpus). PostgreSQL computes it, so writers never list it.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

metadata = sa.MetaData()

#: The text-search configuration used by the PostgreSQL index and every query that must hit it.
PG_TS_CONFIG = "english"
#: PostgreSQL only: the stored tsvector column full-text queries match (``cableshare.fulltext``).
PG_TSV_COLUMN = "tsv"

cables = sa.Table(
    "cables",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("ref_id", sa.String, nullable=False, unique=True),
    # Upper-cased ref for case-insensitive exact lookups (find_ref).
    sa.Column("ref_key", sa.String, nullable=False, index=True),
    # The ref decomposed for "did you mean" suggestions; NULL where the release's id is malformed.
    sa.Column("ref_year", sa.Integer),
    sa.Column("ref_station", sa.String),
    sa.Column("ref_serial", sa.Integer, index=True),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("released", sa.DateTime),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("month", sa.Integer, nullable=False),
    sa.Column("classification", sa.String, nullable=False),
    sa.Column("origin", sa.String, nullable=False),
    sa.Column("subject", sa.String, nullable=False),
    sa.Column("tags", sa.Text, nullable=False),  # newline-joined
    sa.Column("refs", sa.Text, nullable=False),  # newline-joined
    sa.Column("header", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("content_hash", sa.String, nullable=False),
    sa.Column("short_code", sa.String, nullable=False, index=True),
    sa.Index("ix_cables_station_year", "ref_station", "ref_year"),
)

paragraphs = sa.Table(
    "paragraphs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("cable_id", sa.Integer, sa.ForeignKey("cables.id", ondelete="CASCADE"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("number", sa.String, nullable=False),
    sa.Column("anchor", sa.String, nullable=False),
    sa.Column("marking", sa.String),
    sa.Column("heading", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("short_code", sa.String, nullable=False, index=True),
    sa.UniqueConstraint("cable_id", "anchor", name="uq_paragraphs_cable_anchor"),
    sa.Index("ix_paragraphs_tsv", sa.text(PG_TSV_COLUMN), postgresql_using="gin").ddl_if(dialect="postgresql"),
)
_PG_TSV_INDEX = next(index for index in paragraphs.indexes if index.name == "ix_paragraphs_tsv")
# The column is added just before its index is created, both on a new database and (once, on the
# first start after an upgrade; it rewrites the table) on one made by an earlier version, whose
# expression index it replaces. Not in the Table: SQLite has no to_tsvector, and no writer sets it.
_PG_TSV_DDL = (
    (f"ALTER TABLE paragraphs ADD COLUMN IF NOT EXISTS {PG_TSV_COLUMN} tsvector GENERATED ALWAYS "
     f"AS (to_tsvector('{PG_TS_CONFIG}'::regconfig, text)) STORED"),
    "DROP INDEX IF EXISTS ix_paragraphs_fts",
)
for _ddl in _PG_TSV_DDL:
    sa.event.listen(_PG_TSV_INDEX, "before_create", sa.DDL(_ddl).execute_if(dialect="postgresql"))


meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String, primary_key=True),
    sa.Column("value", sa.String, nullable=False),
)

shortened_urls = sa.Table(
    "shortened_urls",
    metadata,
    # sha256 of service + long URL: long URLs can exceed PostgreSQL's btree entry limit.
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("service", sa.String, nullable=False),
    sa.Column("long_url", sa.Text, nullable=False),
    sa.Column("short_url", sa.Text, nullable=False),
)

# Kept in sync by cableshare.writer (the only write path), set-based per batch. Automatic merging
# is off: FTS5's crisis merges still bound the segment count, at a third of the import cost.
SQLITE_FTS_DDL = (
    ("CREATE VIRTUAL TABLE IF NOT EXISTS paragraphs_fts USING fts5("
     "text, content='paragraphs', content_rowid='id', tokenize='porter unicode61')"),
    "INSERT INTO paragraphs_fts(paragraphs_fts, rank) VALUES ('automerge', 0)",
    # Early development databases kept the index by triggers; the writer does it now.
    "DROP TRIGGER IF EXISTS paragraphs_fts_ai",
    "DROP TRIGGER IF EXISTS paragraphs_fts_ad",
    "DROP TRIGGER IF EXISTS paragraphs_fts_au",
)

_REF = re.compile(r"^(\d{2})([A-Z]+)(\d+)$")
_TAIL = re.compile(r"([A-Z]+)(\d+)$")
_HEAD = re.compile(r"^(\d{2})([A-Z]+)")


def split_ref(ref_id: str) -> tuple[int | None, str | None, int | None]:
    """(year, station, serial) of a reference ID, each None where the release's id is malformed.

    ``07MOSCOW1143`` → (2007, "MOSCOW", 1143). Malformed ids keep what can be read from them, so
    ``08ECTION01OF02MANAMA492`` still suggests MANAMA 492 and ``06ASTANA`` still has a station.
    """
    ref = ref_id.strip().upper()
    match = _REF.match(ref)
    if match:
        return _year(match.group(1)), match.group(2), int(match.group(3))
    year = _year(ref[:2]) if ref[:2].isdigit() else None
    tail = _TAIL.search(ref)
    if tail:
        return year, tail.group(1), int(tail.group(2))
    head = _HEAD.match(ref)
    return year, (head.group(2) if head else None), None


def _year(two_digits: str) -> int:
    """Cables run from the 1960s to 2010: two digits below 50 are this century."""
    yy = int(two_digits)
    return 2000 + yy if yy < 50 else 1900 + yy
