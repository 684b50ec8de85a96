"""Single cables as plain text: a cable page copied from a browser (metadata row, header, body,
the blog around it), a conversion with a five-line header, or a bare cable whose metadata must
come from its own routing lines (date-time group, ``FM``, classification line)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import PurePath

from cableshare.model import Cable
from cableshare.parse.errors import ParseError
from cableshare.parse.fields import build_cable, parse_datetime

_CLASS_WORD = (r"(?:UNCLAS(?:SIFIED)?|C O N F I D E N T I A L|S E C R E T|CONFIDENTIAL|SECRET|"
               r"LIMITED OFFICIAL USE)")
# The body's first line, possibly glued to the end of the header (``COLLECTIVEUNCLAS SECTION…``).
_CLASS_LINE = re.compile(rf"{_CLASS_WORD}(?: E F T O)?(?:\s+SECTION \d+ OF \d+)?\s+"
                         r"([A-Z][A-Z .]*?)\s+(\d{2,7})[ \t]*$", re.MULTILINE)
_TABLE_HEAD = re.compile(r"^\s*Reference ID\s+Created\s+Released\s+Classification\s+Origin\s*$", re.MULTILINE)
_CLASSIFICATION = (r"(UNCLASSIFIED//FOR OFFICIAL USE ONLY|(?:UNCLASSIFIED|CONFIDENTIAL|SECRET)"
                   r"(?://NOFORN)?)")
_TABLE_ROW = re.compile(r"\s*(\S+)\s+(\d{4}-\d\d-\d\d \d\d:\d\d)\s+(\d{4}-\d\d-\d\d \d\d:\d\d)?\s*"
                        + _CLASSIFICATION + r"\s+(\S.*?)\s*$")
_REF_ID = re.compile(r"\d{2}[A-Z0-9]{3,60}")
_DATE_LINE = re.compile(r"\w{3} \w{3} \d\d \d\d:\d\d:\d\d [+-]\d{4} \d{4}")
_DTG = re.compile(r"^[A-Z]{1,2} (\d\d)(\d\d)(\d\d)Z ([A-Z]{3}) (\d\d)\b", re.MULTILINE)
_FROM = re.compile(r"^FM (.+?)\s*$", re.MULTILINE)
# Where a blog page resumes after the cable (comment forms, share buttons).
_JUNK = re.compile(r"^(?:Post a comment|Leave a Reply|Leave a comment|Share this:|Like this:|"
                   r"Related\s*$|Comments\s*$|\d+ (?:Comments|Responses)|Fill in your details|"
                   r"Trackback|You are commenting using)", re.MULTILINE | re.IGNORECASE)
_ORIGIN_KIND = {"AMEMBASSY": "Embassy", "AMCONSUL": "Consulate", "USMISSION": "Mission",
                "AMCONSULATE": "Consulate", "USOFFICE": "Office", "USLO": "Liaison Office"}


def split_header_body(text: str, serial: str | None = None) -> tuple[str, str]:
    """Header and body around the classification line that opens the body (the one naming
    ``serial`` when known); no such line → no header."""
    first = None
    for m in _CLASS_LINE.finditer(text):
        if serial is None or int(m.group(2)) == int(serial):
            first = m
            break
    if first is None:
        return "", text
    return text[:first.start()].rstrip(), text[first.start():]


def _serial(ref_id: str) -> str | None:
    m = re.search(r"(\d+)$", ref_id)
    return m.group(1) if m else None


def parse_pasted(text: str, source: str) -> Cable | None:
    """A cable page copied as text: ``Reference ID Created Released…`` then one row."""
    head = _TABLE_HEAD.search(text)
    if head is None:
        return None
    rest = text[head.end():].lstrip("\n")
    row_line, _, after = rest.partition("\n")
    row = _TABLE_ROW.match(row_line)
    if row is None:
        raise ParseError(source, text.count("\n", 0, head.end()) + 2, "unreadable metadata row")
    ref_id, created, released, classification, origin = row.groups()
    junk = _JUNK.search(after)
    if junk:
        after = after[:junk.start()]
    header, body = split_header_body(after, _serial(ref_id))
    return build_cable(ref_id=ref_id, created=parse_datetime(created),
                       released=parse_datetime(released) if released else None,
                       classification=classification, origin=origin, header=header.strip("\n"),
                       body=body.rstrip() + "\n" if body.strip() else "")


def parse_five_line(text: str, source: str) -> Cable | None:
    """A conversion opening with refid, subject, date, classification and origin lines."""
    lines = text.split("\n", 5)
    if len(lines) < 5 or not _REF_ID.fullmatch(lines[0].strip()) \
            or not _DATE_LINE.fullmatch(lines[2].strip()):
        return None
    ref_id, subject, date, classification, origin = (line.strip() for line in lines[:5])
    header, body = split_header_body(lines[5] if len(lines) > 5 else "", _serial(ref_id))
    cable = build_cable(ref_id=ref_id, created=parse_datetime(date), released=None,
                        classification=classification, origin=origin, header=header, body=body)
    if subject and not cable.subject:
        from dataclasses import replace

        cable = replace(cable, subject=subject)
    return cable


def _origin(sender: str) -> str:
    """``AMEMBASSY NEW DELHI`` → ``Embassy New Delhi``; ``SECSTATE WASHDC`` → ``Secretary of State``."""
    words = sender.split()
    if words[:1] == ["SECSTATE"]:
        return "Secretary of State"
    if words[:1] == ["AIT"]:
        return "American Institute Taiwan, " + " ".join(w.title() for w in words[1:])
    kind = _ORIGIN_KIND.get(words[0]) if words else None
    place = " ".join(w if w.startswith("US") else w.title() for w in (words[1:] if kind else words))
    return f"{kind} {place}" if kind else place


def _classification(body: str, word: str) -> str:
    """The release's six classifications from the body's first lines."""
    top = body[:600]
    word = word.replace(" ", "")
    if word.startswith(("UNCLAS", "LIMITED")):
        sensitive = word.startswith("LIMITED") or re.search(r"^\s*SENSITIVE\b", top, re.MULTILINE)
        return "UNCLASSIFIED//FOR OFFICIAL USE ONLY" if sensitive else "UNCLASSIFIED"
    noforn = re.search(r"^\s*NOFORN\b", top, re.MULTILINE)
    return word + ("//NOFORN" if noforn else "")


def parse_bare(text: str, source: str) -> Cable | None:
    """A cable with only its routing lines: the id is year (from the date-time group) + post +
    serial (from the classification line); the file name is used when the text lacks them."""
    header, body = split_header_body(text)
    if not header and not body.strip():
        return None
    dtg = _DTG.search(header or text[:3000])
    first = _CLASS_LINE.match(body)
    stem = PurePath(source.rsplit("!", 1)[-1]).stem if source else ""
    if dtg is None or first is None:
        return None
    day, hour, minute, mon, yy = dtg.groups()
    try:
        created = datetime.strptime(f"{yy} {mon} {day} {hour}:{minute}", "%y %b %d %H:%M")
    except ValueError:
        return None
    ref_id = f"{yy}{first.group(1).replace(' ', '')}{int(first.group(2))}"
    if _REF_ID.fullmatch(stem) and stem.endswith(str(int(first.group(2)))) and stem[:2] == yy:
        ref_id = stem  # the file's name spells the post the release's way (STATE, not SECSTATE)
    sender = _FROM.search(header)
    word = re.match(_CLASS_WORD, body)
    return build_cable(ref_id=ref_id, created=created, released=None,
                       classification=_classification(body, word.group(0) if word else "UNCLAS"),
                       origin=_origin(sender.group(1)) if sender else "", header=header, body=body)
