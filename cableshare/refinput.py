"""Read what users paste into a query: a reference, a URL or a short link, and maybe a paragraph.

Pure text work, no store: ``parse_input`` turns ``#07moscow1143 ¶5``, ``07 MOSCOW 1143``,
``MOSCOW 001143``, release/PlusD/own URLs and ``…/s/<code>`` into one ``RefQuery``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from cableshare.errors import BadReference

MAX_INPUT = 2000
# A paragraph as users write it: ``¶5``, ``para 5``, ``paragraph 5``, ``par5``, ``#par1-2``.
_PAR_WORDS = r"(?:¶|§|paragraphs?|paras?|par|pp?)"
_PAR = re.compile(rf"^\s*#?\s*(?:{_PAR_WORDS}\s*\.?\s*)?(\d{{1,6000}})(?:-(\d{{1,2}}))?\s*$", re.IGNORECASE)
_PAR_SUFFIX = re.compile(rf"(?:^|[\s,;:/#(])(?:{_PAR_WORDS})\s*\.?\s*(\d{{1,3}}(?:-\d{{1,2}})?)\)?\s*$", re.IGNORECASE)
_COMPACT = re.compile(r"^\d{2}[A-Z][A-Z0-9]*\d$")
_COMPACT_THEN_NUMBER = re.compile(r"^(\d{2}[A-Z][A-Z0-9]*\d)\s+(\d{1,3})$")
_SPACED = re.compile(r"^(\d{2})\s+([A-Z]{2,}(?:\s[A-Z]{2,}){0,3})\s+0*(\d{1,7})$")
_YEARLESS = re.compile(r"^([A-Z]{2,}(?:\s[A-Z]{2,}){0,3})\s+0*(\d{1,7})$")
_LOOSE_REF = re.compile(r"^[0-9A-Z][0-9A-Z_.-]{0,63}$")
_URLISH = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.|/)|^[\w.-]+\.[a-z]{2,}/", re.IGNORECASE)
_FRAGMENT_ANCHOR = re.compile(r"^(par\d{1,3}(?:-\d{1,2})?)(?::~:.*)?$", re.IGNORECASE)
_URL_REF = re.compile(r"^(.+?)(?:_a)?\.html?$", re.IGNORECASE)


@dataclass(frozen=True)
class RefQuery:
    """What the input names. Exactly one of ``ref`` (a normalised, upper-case id), ``short_code``
    or ``station`` + ``serial`` (a citation without year) is set; ``paragraph`` is an anchor
    (``par5``, ``par1-2``) or None for the whole cable."""

    ref: str | None = None
    paragraph: str | None = None
    short_code: str | None = None
    station: str | None = None
    serial: int | None = None


def parse_input(text: str, paragraph: str | int | None = None, *, year: int | None = None) -> RefQuery:
    """Read ``text`` (and a separately given ``paragraph``, which wins over one inside the text).

    ``year`` completes a citation without one (``MOSCOW 001143``); raises ``BadReference``.
    """
    raw = " ".join(str(text or "").split())
    if not raw:
        raise BadReference("Give a cable reference such as 07MOSCOW1143, or a link to a cable.")
    if len(raw) > MAX_INPUT:
        raise BadReference(f"The input is over {MAX_INPUT} characters; give just the reference or link.")
    given = parse_paragraph(paragraph) if paragraph not in (None, "") else None
    query = _parse_url(raw) if _URLISH.match(raw) else _parse_plain(raw, year)
    if given:
        return RefQuery(query.ref, given, query.short_code, query.station, query.serial)
    return query


def parse_paragraph(value: str | int) -> str:
    """``5``, ``¶5``, ``para 5``, ``#par5``, ``par1-2`` → the anchor (``par5``, ``par1-2``)."""
    match = _PAR.match(str(value))
    if not match:
        raise BadReference(f"{str(value)[:40]!r} is not a paragraph: give its number, e.g. 5 or ¶5 "
                           "(par1-2 for the second ¶1 where numbers repeat).")
    number, repeat = match.groups()
    number = number.lstrip("0") or "0"  # any length: a number no cable has is NoSuchParagraph
    return f"par{number}-{int(repeat)}" if repeat and int(repeat) > 1 else f"par{number}"


def _parse_plain(raw: str, year: int | None) -> RefQuery:
    paragraph = None
    suffix = _PAR_SUFFIX.search(raw)
    if suffix and suffix.start() > 0:
        paragraph = parse_paragraph(suffix.group(1))
        raw = raw[:suffix.start()].rstrip(" ,;:/#(")
    text = raw.lstrip("#").strip().upper()
    then_number = _COMPACT_THEN_NUMBER.match(text)
    if then_number and paragraph is None:
        text, paragraph = then_number.group(1), parse_paragraph(then_number.group(2))
    return RefQuery(paragraph=paragraph, **_ref_fields(text, year))


def _ref_fields(text: str, year: int | None) -> dict:
    """The ref part of a plain input, as RefQuery fields."""
    if _COMPACT.match(text) or (_LOOSE_REF.match(text) and not text.isdigit()):
        return {"ref": text}
    spaced = _SPACED.match(text)
    if spaced:
        return {"ref": f"{spaced.group(1)}{spaced.group(2).replace(' ', '')}{int(spaced.group(3))}"}
    yearless = _YEARLESS.match(text)
    if yearless:
        station, serial = yearless.group(1).replace(" ", ""), int(yearless.group(2))
        if year is not None:
            return {"ref": f"{int(year) % 100:02d}{station}{serial}"}
        return {"station": station, "serial": serial}
    raise BadReference(f"{text[:60]!r} is not a cable reference: write it like 07MOSCOW1143, "
                       "07 MOSCOW 1143 or a link to the cable.")


def _parse_url(raw: str) -> RefQuery:
    """Release, PlusD, mirror and own URLs (any host: only the path and fragment matter)."""
    url = raw if "://" in raw or raw.startswith("/") else "https://" + raw
    try:
        parts = urlsplit(url.replace(" ", ""))
    except ValueError as exc:
        raise BadReference(f"{raw[:80]!r} is not a link this app can read.") from exc
    segments = [unquote(s) for s in parts.path.split("/") if s]
    anchor = _fragment_anchor(unquote(parts.fragment))
    if len(segments) == 2 and segments[0] == "s":
        return RefQuery(short_code=segments[1], paragraph=anchor)
    if len(segments) in (2, 3) and segments[0] == "share":
        par = parse_paragraph(segments[2]) if len(segments) == 3 else anchor
        return RefQuery(ref=_url_ref(segments[1], raw), paragraph=par)
    if not segments:
        raise BadReference(f"{raw[:80]!r} does not link to a cable.")
    return RefQuery(ref=_url_ref(segments[-1], raw), paragraph=anchor)


def _url_ref(segment: str, raw: str) -> str:
    match = _URL_REF.match(segment)
    ref = (match.group(1) if match else segment).upper()
    if not _LOOSE_REF.match(ref) or ref.isdigit():
        raise BadReference(f"{raw[:80]!r} does not link to a cable: expected a path ending in a "
                           "reference such as /cable/2007/03/07MOSCOW1143.html.")
    return ref


def _fragment_anchor(fragment: str) -> str | None:
    if not fragment:
        return None
    match = _FRAGMENT_ANCHOR.match(fragment)
    return parse_paragraph(match.group(1)[3:]) if match else None
