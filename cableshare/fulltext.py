"""Full-text search over paragraph text: FTS5 on SQLite, a stored tsvector + GIN on PostgreSQL.

User input is never passed through as query syntax: it is reduced to plain words, so quotes,
``*``, ``NEAR(``, ``-`` or ``:`` can never raise. Highlights come back as (text, is_match)
segments, so each renderer escapes them itself and no HTML ever comes out of the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from cableshare.schema import PG_TS_CONFIG, PG_TSV_COLUMN

MAX_TERMS = 16
MAX_PER_PAGE = 100
MAX_PAGE = 500
# Counting and ranking read every matching row (neither FTS5 nor GIN can count from the index):
# at 10,000 a word like "Mexico" cost ~200 ms on PostgreSQL's full corpus, at 1,000 it is a tenth.
COUNT_CAP = 1_000
_START, _STOP = "\ue000", "\ue001"  # private-use code points: never in cable text
# ts_headline drops anything that looks like an HTML tag; angle brackets travel as look-alikes.
_LT, _GT = "\u2039", "\u203a"
_WORD = re.compile(r"\w+")
_MARKED = re.compile(f"{_START}(.*?){_STOP}", re.DOTALL)


@dataclass(frozen=True)
class SearchHit:
    """One matching paragraph with the cable facts a result list shows."""

    ref_id: str
    created: datetime
    origin: str
    subject: str
    number: str
    anchor: str
    fragments: tuple[tuple[str, bool], ...]


@dataclass(frozen=True)
class SearchPage:
    """One page of hits; ``total`` counts matching paragraphs over all pages, up to ``COUNT_CAP``."""

    query: str
    page: int
    per_page: int
    total: int
    hits: list[SearchHit]
    total_is_exact: bool = True  # False: at least ``total`` matches (the count stops at COUNT_CAP)

    @property
    def pages(self) -> int:
        return (self.total + self.per_page - 1) // self.per_page


def query_words(query: str) -> list[str]:
    """The plain words of a user's query; everything else is dropped."""
    return _WORD.findall(query or "")[:MAX_TERMS]


def fragments(marked: str) -> tuple[tuple[str, bool], ...]:
    """Split a snippet carrying private-use highlight markers into (text, is_match) segments."""
    parts: list[tuple[str, bool]] = []
    pos = 0
    for match in _MARKED.finditer(marked):
        if match.start() > pos:
            parts.append((marked[pos:match.start()], False))
        parts.append((match.group(1), True))
        pos = match.end()
    if pos < len(marked):
        parts.append((marked[pos:], False))
    return tuple((_clean(text), hit) for text, hit in parts if text)


def _clean(text: str) -> str:
    return text.replace(_START, "").replace(_STOP, "")


_SQLITE_HITS = f"""
SELECT c.ref_id, c.created, c.origin, c.subject, p.number, p.anchor,
       snippet(paragraphs_fts, 0, '{_START}', '{_STOP}', '…', 32) AS snip
FROM paragraphs_fts
JOIN paragraphs p ON p.id = paragraphs_fts.rowid
JOIN cables c ON c.id = p.cable_id
WHERE paragraphs_fts MATCH :q
ORDER BY {{order}}
LIMIT :limit OFFSET :offset
"""
_SQLITE_ORDER = {True: "paragraphs_fts.rank, p.id", False: "paragraphs_fts.rowid"}
_SQLITE_COUNT = sa.text(
    "SELECT count(*) FROM (SELECT 1 FROM paragraphs_fts WHERE paragraphs_fts MATCH :q LIMIT :cap)")

_PG_VECTOR = f"p.{PG_TSV_COLUMN}"  # stored and GIN-indexed (cableshare.schema)
_PG_HITS = f"""
SELECT c.ref_id, c.created, c.origin, c.subject, p.number, p.anchor,
       ts_headline('{PG_TS_CONFIG}'::regconfig,
                   replace(replace(p.text, '<', '{_LT}'), '>', '{_GT}'), q.query,
                   'StartSel={_START}, StopSel={_STOP}, MinWords=15, MaxWords=35') AS snip
FROM (SELECT plainto_tsquery('{PG_TS_CONFIG}'::regconfig, :q) AS query) q
JOIN paragraphs p ON {_PG_VECTOR} @@ q.query
JOIN cables c ON c.id = p.cable_id
ORDER BY {{order}}
LIMIT :limit OFFSET :offset
"""
_PG_ORDER = {True: f"ts_rank({_PG_VECTOR}, q.query) DESC, p.id", False: "p.id"}
_PG_COUNT = sa.text(f"""
SELECT count(*) FROM (SELECT 1 FROM paragraphs p
WHERE {_PG_VECTOR} @@ plainto_tsquery('{PG_TS_CONFIG}'::regconfig, :q) LIMIT :cap) m
""")
_HITS = {
    (dialect, ranked): sa.text(sql.format(order=order[ranked])).columns(created=sa.DateTime)
    for dialect, sql, order in (("sqlite", _SQLITE_HITS, _SQLITE_ORDER), ("postgresql", _PG_HITS, _PG_ORDER))
    for ranked in (True, False)
}


def search(conn: sa.Connection, dialect: str, query: str, page: int, per_page: int) -> SearchPage:
    """Run a paginated search on an open connection; bad paging values are clamped, not refused.

    Words matching more than ``COUNT_CAP`` paragraphs (``government``) are neither counted nor
    ranked beyond the cap: hits come in corpus order, so such a query costs milliseconds, not seconds."""
    page = min(max(int(page), 1), MAX_PAGE)
    per_page = min(max(int(per_page), 1), MAX_PER_PAGE)
    words = query_words(query)
    if not words:
        return SearchPage(query, page, per_page, 0, [])
    # SQLite: every word quoted, so FTS5 reads it as a plain string, never as an operator.
    q = " ".join(f'"{w}"' for w in words) if dialect == "sqlite" else " ".join(words)
    count_sql = _SQLITE_COUNT if dialect == "sqlite" else _PG_COUNT
    total = conn.execute(count_sql, {"q": q, "cap": COUNT_CAP + 1}).scalar_one()
    exact = total <= COUNT_CAP
    rows = conn.execute(_HITS[dialect, exact], {"q": q, "limit": per_page, "offset": (page - 1) * per_page})
    unmask = (lambda s: s) if dialect == "sqlite" else (lambda s: s.replace(_LT, "<").replace(_GT, ">"))
    hits = [
        SearchHit(r.ref_id, r.created, r.origin, r.subject, r.number, r.anchor, fragments(unmask(r.snip or "")))
        for r in rows
    ]
    return SearchPage(query, page, per_page, min(total, COUNT_CAP), hits, total_is_exact=exact)
