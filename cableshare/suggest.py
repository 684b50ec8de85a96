""""Did you mean": corpus refs close to an unknown one (typos, transposed serials, the release's
own malformed ids such as ``08ECTION01OF02MANAMA492`` for ``08MANAMA492``).

Candidates come from indexed store queries (same serial, same station and year, transposed
serials), then a cheap ranking: difflib's ratio plus bonuses for the parts that agree.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Protocol

from cableshare.schema import split_ref

MAX_SUGGESTIONS = 3
_MIN_SCORE = 0.55
_MIN_RATIO = 0.6


class CandidateSource(Protocol):
    def candidate_refs(self, *, serial: int | None = None, station: str | None = None,
                       year: int | None = None, limit: int = 200) -> list[str]: ...


def suggest(store: CandidateSource, ref: str, *, limit: int = MAX_SUGGESTIONS) -> list[str]:
    """Up to ``limit`` refs of the corpus that the user probably meant, best first."""
    year, station, serial = split_ref(ref)
    pool: set[str] = set()
    if serial is not None:
        pool.update(store.candidate_refs(serial=serial, year=year, limit=500))
        pool.update(store.candidate_refs(serial=serial, limit=500))
        for variant in _serial_variants(serial):
            pool.update(store.candidate_refs(serial=variant, station=station, limit=50))
    if station:
        pool.update(store.candidate_refs(station=station, year=year, limit=2000))
    key = ref.upper()
    pool.discard(key)
    scored = sorted(((_score(key, (year, station, serial), c), c) for c in pool), reverse=True)
    return [c for score, c in scored if score >= _MIN_SCORE][:limit]


def _serial_variants(serial: int) -> set[int]:
    """Serials one slip away: adjacent digits swapped (1143 → 1134, 1413)."""
    digits = str(serial)
    out = set()
    for i in range(len(digits) - 1):
        swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:]
        if swapped[0] != "0":
            out.add(int(swapped))
    out.discard(serial)
    return out


def _score(key: str, parts: tuple, candidate: str) -> float:
    year, station, serial = parts
    c_year, c_station, c_serial = split_ref(candidate)
    score = SequenceMatcher(None, key, candidate.upper(), autojunk=False).ratio()
    same_station = bool(station and c_station and (station in c_station or c_station in station))
    if score < _MIN_RATIO and not same_station:
        return 0.0  # sharing a short serial alone (…1, …12) means nothing
    if serial is not None and c_serial == serial:
        score += 0.25
    if same_station:
        score += 0.2
    if year is not None and c_year == year:
        score += 0.1
    if serial is not None and c_serial is not None and sorted(str(serial)) == sorted(str(c_serial)):
        score += 0.1
    return score
