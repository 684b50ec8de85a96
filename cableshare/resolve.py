"""From what a user pasted to a cable of the corpus (and one of its paragraphs), or a named error.

``resolve`` costs one store round trip when the input is a known ref in the release's own case
(the usual case); a different case adds ``find_ref``; only failures pay for suggestions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from cableshare.errors import BadReference, NoSuchParagraph, UnknownCable
from cableshare.model import Cable, Paragraph
from cableshare.refinput import RefQuery, parse_input, parse_paragraph
from cableshare.shortlinks import resolve_short_code
from cableshare.suggest import suggest

__all__ = [
    "FoundRef",
    "Resolved",
    "StoreReader",
    "find_paragraph",
    "find_references_in_text",
    "resolve",
    "resolve_short_code",
]


class StoreReader(Protocol):
    """The part of ``cableshare.store.Store`` the resolver reads."""

    def get_cable(self, ref_id: str) -> Cable | None: ...
    def find_ref(self, ref: str) -> str | None: ...
    def candidate_refs(self, *, serial: int | None = None, station: str | None = None,
                       year: int | None = None, limit: int = 200) -> list[str]: ...
    def target_for_code(self, code: str) -> tuple[str, str | None] | None: ...


@dataclass(frozen=True)
class Resolved:
    """A cable of the corpus and, unless the whole cable is meant, one of its paragraphs."""

    cable: Cable
    paragraph: Paragraph | None = None

    @property
    def ref_id(self) -> str:
        return self.cable.ref_id

    @property
    def anchor(self) -> str | None:
        return self.paragraph.anchor if self.paragraph else None


def resolve(store: StoreReader, text: str, paragraph: str | int | None = None, *,
            year: int | None = None) -> Resolved:
    """Resolve an input (see ``refinput.parse_input``); raises a ``ShareError`` subclass."""
    query = parse_input(text, paragraph, year=year)
    if query.short_code is not None:
        ref, anchor = resolve_short_code(store, query.short_code)
        query = RefQuery(ref=ref, paragraph=query.paragraph or anchor)
    if query.ref is None:
        query = RefQuery(ref=_complete_yearless(store, query), paragraph=query.paragraph)
    cable = _get_cable(store, query.ref or "")
    return Resolved(cable, find_paragraph(cable, query.paragraph) if query.paragraph else None)


def find_paragraph(cable: Cable, paragraph: str | int) -> Paragraph:
    """The paragraph by anchor (``par5``, ``par1-2``) or printed number; ``NoSuchParagraph``."""
    anchor = parse_paragraph(paragraph)
    for par in cable.paragraphs:
        if par.anchor == anchor:
            return par
    number = anchor.removeprefix("par")
    for par in cable.paragraphs:
        if par.number == number:
            return par
    raise NoSuchParagraph(cable.ref_id, anchor, [p.anchor for p in cable.paragraphs])


def _get_cable(store: StoreReader, ref: str) -> Cable:
    cable = store.get_cable(ref)
    if cable is not None:
        return cable
    stored = store.find_ref(ref)
    cable = store.get_cable(stored) if stored else None
    if cable is None:
        raise UnknownCable(ref, suggest(store, ref))
    return cable


def _complete_yearless(store: StoreReader, query: RefQuery) -> str:
    """``MOSCOW 001143``: the one cable with that station and serial, else the choice of them."""
    found = store.candidate_refs(serial=query.serial, station=query.station, limit=20)
    if len(found) == 1:
        return found[0]
    cited = f"{query.station} {query.serial}"
    if not found:
        raise UnknownCable(cited, suggest(store, f"{query.station}{query.serial}"))
    raise BadReference(f"{cited} needs a year: it could be {', '.join(found[:5])}"
                       f"{' …' if len(found) > 5 else ''}. Write it like {found[0]}.")


# -- bulk mode -----------------------------------------------------------------------------------

_URL_IN_TEXT = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+", re.IGNORECASE)
_HASH_REF = re.compile(r"(?<![\w/#])#?(\d{2}[A-Z][A-Z0-9]*?[A-Z]\d{1,7})(?![\w/])")


@dataclass(frozen=True)
class FoundRef:
    """A reference found in free text: ``text[start:end]`` is how it was written there."""

    ref_id: str
    paragraph: str | None
    start: int
    end: int


def find_references_in_text(text: str) -> list[FoundRef]:
    """Every cable reference in ``text`` in order: links to cables, ``07MOSCOW1143`` and the
    citation style inside cables (``06 REYKJAVIK 431``). Not checked against the corpus."""
    found: list[FoundRef] = []
    for match in _URL_IN_TEXT.finditer(text):
        url = match.group(0).rstrip(".,;:!?")
        try:
            query = parse_input(url)
        except BadReference:
            continue
        if query.ref:
            found.append(FoundRef(query.ref, query.paragraph, match.start(), match.start() + len(url)))
    taken = [(f.start, f.end) for f in found]
    for ref_id, start, end in _citations(text):
        if not any(a <= start < b for a, b in taken):
            found.append(FoundRef(ref_id, None, start, end))
            taken.append((start, end))
    return sorted(found, key=lambda f: f.start)


def _citations(text: str) -> list[tuple[str, int, int]]:
    """Compact ids (also ``#07MOSCOW1143``) and the parser's citations, without duplicates."""
    out = [(m.group(1), m.start(), m.end()) for m in _HASH_REF.finditer(text)]
    try:
        from cableshare.parse.refs import find_cited_refs
    except ImportError:  # the parser is optional for the share engine
        return out
    spans = [(s, e) for _, s, e in out]
    for cited in find_cited_refs(text):
        if not any(s <= cited.start < e or cited.start <= s < cited.end for s, e in spans):
            out.append((str(cited), cited.start, cited.end))
    return out
