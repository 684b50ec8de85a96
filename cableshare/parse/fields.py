"""Metadata read from a cable's own text (SUBJECT, TAGS, REF lines, routing header), and the
one place a ``Cable`` is assembled, so every format fills the fields the same way."""

from __future__ import annotations

import re
from datetime import datetime

from cableshare.model import Cable
from cableshare.parse.paragraphs import split_paragraphs
from cableshare.parse.refs import find_cited_refs, unique_refs

_FIELD_START = re.compile(r"\s*(?:SUBJECT|SUBJ|REF|REFS|REFTEL|TAGS|E\.\s?O\.|EO |CLASSIFIED BY|"
                          r"SIPDIS|NOFORN|\d{1,3}\s?[.,(]|¶)", re.IGNORECASE)
_SUBJECT = re.compile(r"\s*SUBJ(?:ECT)?\b\s*:?\s*(.*)", re.IGNORECASE)
_TAGS = re.compile(r"\s*TAGS\b\s*:?\s*(.*)")
_REF = re.compile(r"\s*(?:REFS?|REFTELS?|REFERENCES?)\b\s*:?\s*(.*)", re.IGNORECASE)
_HEAD_LINES = 80
_FAST_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d\d)")


def _field(lines: list[str], pattern: re.Pattern[str]) -> list[str] | None:
    """The value of a preamble field and its wrapped continuation lines (up to a blank line or
    the next field)."""
    for i, line in enumerate(lines[:_HEAD_LINES]):
        m = pattern.match(line)
        if m is None:
            continue
        parts = [m.group(1).strip()]
        for more in lines[i + 1:i + 8]:
            if not more.strip() or _FIELD_START.match(more):
                break
            parts.append(more.strip())
        return parts
    return None


def subject_of(lines: list[str]) -> str:
    """The ``SUBJECT:`` line, unwrapped; ``""`` when the text has none."""
    parts = _field(lines, _SUBJECT)
    return " ".join(" ".join(parts).split()) if parts else ""


def tags_of(lines: list[str]) -> tuple[str, ...]:
    """``TAGS: PGOV, PREL, …`` (commas, or spaces in older cables) as a tuple."""
    parts = _field(lines, _TAGS)
    if not parts:
        return ()
    text = " ".join(parts)
    items = [" ".join(i.split()) for i in text.split(",")] if "," in text else text.split()
    out: list[str] = []
    for item in items:  # ``KACT KNNP KSTC, IN``: space-separated codes inside a comma list
        words = item.split()
        codes = len(words) > 1 and all(w.isupper() and len(w) <= 6 for w in words)
        out += words if codes else [item] if item else []
    return tuple(out)


def references_of(lines: list[str], year: int) -> tuple[str, ...]:
    """Cables named in the ``REF:`` block, as ids; a citation without a year takes ``year``."""
    parts = _field(lines, _REF)
    if not parts:
        return ()
    block = [parts[0]]
    for i, line in enumerate(lines[:_HEAD_LINES]):
        if _REF.match(line):
            for more in lines[i + 1:i + 12]:
                if not more.strip() or re.match(r"\s*(?:¶\s*)?[A-Z]\s?[.)]\s", more):
                    block.append(more)
                    continue
                break
            break
    return unique_refs(find_cited_refs("\n".join(block), year))


def body_lines_head(body: str) -> list[str]:
    """The first lines of a body (enough for its preamble), cheaply."""
    return body.split("\n", _HEAD_LINES)[:_HEAD_LINES]


def parse_datetime(value: str) -> datetime:
    """``2007-03-16 13:52`` (pages), ``8/27/2004 14:41`` (cables.csv) or
    ``Wed May 17 00:00:00 +0200 2000`` (text conversions; local date and time kept)."""
    value = value.strip()
    fast = _FAST_DATE.fullmatch(value)
    if fast:  # the 251,287 dates of cables.csv: strptime would be a tenth of the parse time
        month, day, year, hour, minute = map(int, fast.groups())
        return datetime(year, month, day, hour, minute)
    for fmt in ("%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    m = re.fullmatch(r"\w{3} (\w{3}) (\d{1,2}) (\d\d):(\d\d):\d\d [+-]\d{4} (\d{4})", value)
    if m:
        return datetime.strptime(f"{m[5]} {m[1]} {m[2]} {m[3]}:{m[4]}", "%Y %b %d %H:%M")
    raise ValueError(f"unreadable date {value[:40]!r}")


def build_cable(*, ref_id: str, created: datetime, released: datetime | None, classification: str,
                origin: str, header: str, body: str, references: tuple[str, ...] | None = None) -> Cable:
    """A ``Cable`` with subject, tags, paragraphs (and, when the format has no references
    column, references from the REF block) read from ``body``."""
    head = body_lines_head(body)
    if references is None:
        references = references_of(head, created.year)
    return Cable(ref_id=ref_id, created=created, released=released, classification=classification,
                 origin=origin, subject=subject_of(head), tags=tags_of(head), references=references,
                 header=header, body=body, paragraphs=split_paragraphs(body))
