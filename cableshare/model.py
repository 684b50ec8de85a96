"""The one shape of a parsed cable, shared by the parser, the store and everything above them.

Plain frozen dataclasses: no framework, no database, so every layer can build and compare them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Paragraph:
    """One numbered paragraph of a cable body.

    ``number`` is the number as printed (``"5"``); ``anchor`` is the id used in links (``"par5"``),
    unique within its cable even where the printed numbering repeats.
    """

    number: str
    anchor: str
    text: str
    marking: str | None = None
    heading: str | None = None


@dataclass(frozen=True)
class Cable:
    """A cable as the release published it; ``ref_id`` is kept exactly as written there."""

    ref_id: str
    created: datetime
    released: datetime | None
    classification: str
    origin: str
    subject: str
    tags: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    header: str = ""
    body: str = ""
    paragraphs: tuple[Paragraph, ...] = field(default_factory=tuple)

    @property
    def year(self) -> int:
        return self.created.year

    @property
    def month(self) -> int:
        return self.created.month

    def paragraph(self, number_or_anchor: str) -> Paragraph | None:
        """Find a paragraph by its anchor (``par5``) or, failing that, its first printed number."""
        for par in self.paragraphs:
            if par.anchor == number_or_anchor:
                return par
        for par in self.paragraphs:
            if par.number == number_or_anchor:
                return par
        return None

    def to_dict(self) -> dict:
        """The API's JSON object for a cable (ISO 8601 timestamps)."""
        data = asdict(self)
        data["created"] = self.created.isoformat(timespec="minutes")
        data["released"] = self.released.isoformat(timespec="minutes") if self.released else None
        data["tags"] = list(self.tags)
        data["references"] = list(self.references)
        data["paragraphs"] = [asdict(p) for p in self.paragraphs]
        return data
