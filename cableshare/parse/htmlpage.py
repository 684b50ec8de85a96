"""The release site's cable pages (``/cable/YYYY/MM/REF.html``): a fixed, machine-generated
layout, so a few anchored regexes read it faster and more predictably than a DOM would."""

from __future__ import annotations

import html
import re

from cableshare.model import Cable
from cableshare.parse.errors import ParseError
from cableshare.parse.fields import build_cable, parse_datetime

_TABLE = re.compile(r"<table class=['\"]cable['\"]>(.*?)</table>", re.DOTALL | re.IGNORECASE)
_CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.DOTALL | re.IGNORECASE)
_PRE = re.compile(r"<code><pre>(.*?)</pre></code>", re.DOTALL | re.IGNORECASE)
_ANCHOR = re.compile(r"<a id=['\"]par[^'\"]*['\"] href=['\"]#par[^'\"]*['\"]>¶</a>")
_TAG = re.compile(r"<[^>]+>")


def is_html(text: str) -> bool:
    head = text[:4096].lower()
    return "<html" in head or "<!doctype html" in head or "class='cable'" in text[:200_000] \
        or "<pre>" in head


def pre_text(fragment: str) -> str:
    """Text of a ``<pre>`` block: the ¶ anchors and links dropped, entities decoded."""
    return html.unescape(_TAG.sub("", _ANCHOR.sub("", fragment))).replace("\r\n", "\n")


def parse_page(text: str, source: str) -> Cable:
    """A cable page: metadata from ``<table class='cable'>``, header and body from the two
    ``<code><pre>`` blocks (tag links in the body become plain text, read from its TAGS line)."""
    table = _TABLE.search(text)
    if table is None:
        raise ParseError(source, None, "HTML page without the cable table (<table class='cable'>)")
    cells = [" ".join(html.unescape(_TAG.sub("", c)).split()) for c in _CELL.findall(table.group(1))]
    if len(cells) < 5:
        raise ParseError(source, None, f"cable table has {len(cells)} cells, expected 5")
    ref_id, created, released, classification, origin = cells[:5]
    blocks = [pre_text(b) for b in _PRE.findall(text, table.end())]
    if not blocks:
        raise ParseError(source, None, "HTML page without the cable text (<code><pre>)")
    header, body = (blocks[0], blocks[1]) if len(blocks) >= 2 else ("", blocks[0])
    try:
        created_at = parse_datetime(created)
        released_at = parse_datetime(released) if released else None
    except ValueError as exc:
        raise ParseError(source, None, str(exc)) from None
    if not ref_id:
        raise ParseError(source, None, "cable table without a reference ID")
    return build_cable(ref_id=ref_id, created=created_at, released=released_at,
                       classification=classification, origin=origin, header=header, body=body)
