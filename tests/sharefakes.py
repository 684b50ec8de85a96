"""Test helpers for the share engine: a tiny in-memory store and real-corpus loaders.

The fake implements only the ``resolve.StoreReader`` / shortener protocols; tests where the
store is the point use the real ``store`` fixture instead.
"""

from __future__ import annotations

import glob
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from cableshare.model import Cable, Paragraph
from cableshare.schema import split_ref
from cableshare.shortcodes import short_code

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def make_cable(ref_id: str = "07MOSCOW1143", texts: tuple[str, ...] = ("First paragraph.",),
               *, created: datetime = datetime(2007, 3, 16, 13, 52), origin: str = "Embassy Moscow",
               subject: str = "KOSOVO: TITOV ON AHTISAARI", numbers: tuple[str, ...] | None = None) -> Cable:
    numbers = numbers or tuple(str(i) for i in range(1, len(texts) + 1))
    seen: dict[str, int] = {}
    pars = []
    for number, text in zip(numbers, texts):
        seen[number] = seen.get(number, 0) + 1
        anchor = f"par{number}" if seen[number] == 1 else f"par{number}-{seen[number]}"
        pars.append(Paragraph(number, anchor, text))
    return Cable(ref_id=ref_id, created=created, released=None, classification="CONFIDENTIAL",
                 origin=origin, subject=subject, body="\n\n".join(texts), paragraphs=tuple(pars))


class FakeStore:
    """In memory: get_cable, find_ref, candidate_refs, target_for_code, shortened URLs."""

    def __init__(self, cables: list[Cable] = ()) -> None:
        self.cables = {c.ref_id: c for c in cables}
        self.short_urls: dict[tuple[str, str], str] = {}
        self.get_calls = 0

    def get_cable(self, ref_id: str) -> Cable | None:
        self.get_calls += 1
        return self.cables.get(ref_id)

    def find_ref(self, ref: str) -> str | None:
        return next((r for r in self.cables if r.upper() == ref.strip().upper()), None)

    def candidate_refs(self, *, serial=None, station=None, year=None, limit=200) -> list[str]:
        if serial is None and not station:
            return []
        out = []
        for ref in sorted(self.cables):
            y, s, n = split_ref(ref)
            if (serial is None or n == serial) and (not station or s == station.upper()) \
                    and (year is None or y == year):
                out.append(ref)
        return out[:limit]

    def target_for_code(self, code: str):
        for ref, cable in self.cables.items():
            if short_code(ref) == code:
                return ref, None
            for par in cable.paragraphs:
                if short_code(ref, par.anchor) == code:
                    return ref, par.anchor
        return None

    def shortened_url(self, long_url: str, service: str) -> str | None:
        return self.short_urls.get((long_url, service))

    def remember_shortened_url(self, long_url: str, service: str, short_url: str) -> None:
        self.short_urls.setdefault((long_url, service), short_url)


@lru_cache(maxsize=1)
def real_cables(limit: int = 250) -> tuple[Cable, ...]:
    """Cables parsed from ../shared/cables/html (else the bundled sample), once per run."""
    from cableshare.parse import read_sources

    paths = sorted(glob.glob(str(SHARED / "cables/html/**/*.html"), recursive=True))[:limit]
    if not paths:
        paths = sorted(str(p) for p in (ROOT / "cableshare/sample").glob("*.txt"))
    return tuple(c for c in read_sources(paths) if isinstance(c, Cable))


def real_paragraphs() -> list[str]:
    return [p.text for c in real_cables() for p in c.paragraphs if p.text.strip()]


def hostile_text(max_pieces: int = 60):
    """Hypothesis strategy: any text, plus the pieces that break naive counters and cutters."""
    from hypothesis import strategies as st

    piece = st.one_of(
        st.characters(blacklist_categories=("Cs",)),
        st.sampled_from(["👨‍👩‍👧‍👦", "🇺🇸", "🏳️‍🌈", "#️⃣", "©", "e\u0301", "\u202e", "\u200f", "\u2067",
                         "日本語", " ", "  ", "\r\n", "\n", "https://example.com/a?b=c", "state.gov",
                         "t.co/abc", "x.com", "…", "#tag", "<script>", "[url]", "*_`", "W" * 400]),
    )
    return st.lists(piece, max_size=max_pieces).map("".join)
