"""Rows of the release's ``cables.csv`` (1.7 GB, 251,287 rows), read as a stream.

Fields are double-quoted, span lines, and escape a quote as ``\\"`` (not ``""``), hence the
reader's dialect. The file has no released date: ``released`` is ``None`` (the cables were
published on various dates between November 2010 and 2011-08-30, and the CSV does not say which),
rather than a guess that would differ from the release pages of the same cables.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterable, Iterator
from functools import partial

from cableshare.model import Cable
from cableshare.parse.errors import ParseError
from cableshare.parse.fields import build_cable, parse_datetime
from cableshare.parse.workers import chunked, ordered_map

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
_FIELDS = 8
#: Rows per worker task: ~1.7 MB of cables.csv, enough to amortise the hand-over.
CHUNK_ROWS = 250


def looks_like_csv(head: str) -> bool:
    """The start of a cables.csv row: ``"15843","4/9/2004 6:06","04VILNIUS395",``."""
    return re.match(r'\s*"\d+","\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d\d","', head) is not None


def row_to_cable(row: list[str], source: str, line: int) -> Cable:
    """One row (id, date, refid, origin, classification, references, header, body)."""
    if len(row) != _FIELDS:
        raise ParseError(source, line, f"row has {len(row)} fields, expected {_FIELDS}")
    _id, date, ref_id, origin, classification, refs, header, body = row
    if not ref_id.strip():
        raise ParseError(source, line, "row without a reference ID")
    try:
        created = parse_datetime(date)
    except ValueError as exc:
        raise ParseError(source, line, str(exc)) from None
    references = tuple(r.strip() for r in refs.split(",") if r.strip())
    return build_cable(ref_id=ref_id.strip(), created=created, released=None,
                       classification=classification.strip(), origin=origin.strip(),
                       header=header, body=body, references=references)


def read_rows(lines: Iterable[str], source: str) -> Iterator[Cable | ParseError]:
    """Cables from an open text stream, one row at a time (flat memory); a bad row yields a
    ``ParseError`` at the line the row starts on and the reading goes on. Inputs of more than
    one chunk are parsed in worker processes (``workers.ordered_map``), in order."""
    chunks = chunked(raw_rows(lines, source), CHUNK_ROWS)
    yield from ordered_map(partial(parse_rows, source=source), chunks)


def raw_rows(lines: Iterable[str], source: str) -> Iterator[tuple[int, list[str]] | ParseError]:
    """(line the row starts on, fields) for each non-empty row; unreadable CSV as ``ParseError``."""
    reader = csv.reader(lines, escapechar="\\", doublequote=False, strict=False)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield ParseError(source, start, f"unreadable CSV: {exc}")
            start = reader.line_num + 1
            continue
        if row and any(row):
            yield start, row
        start = reader.line_num + 1


def parse_rows(rows: list[tuple[int, list[str]] | ParseError], source: str) -> list[Cable | ParseError]:
    """One chunk of ``raw_rows`` as cables (errors passed through): the work a worker does."""
    out: list[Cable | ParseError] = []
    for item in rows:
        if isinstance(item, ParseError):
            out.append(item)
            continue
        try:
            out.append(row_to_cable(item[1], source, item[0]))
        except ParseError as exc:
            out.append(exc)
    return out
