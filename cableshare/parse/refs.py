"""Find citations of other cables inside cable text: ``06 REYKJAVIK 431``, ``ASUNCION 00211``,
``07MOSCOW1143``.

Only the release's own post names count as a post (``posts.txt``, taken from its index), so
``UNSCR 1244`` or ``MARCH 15`` are never mistaken for cables. Ids come back normalised the way the
release writes them: two-digit year, post without spaces, serial without leading zeros.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Self

# An optional two-digit year, one to four upper-case words, then a serial number.
_CITATION = re.compile(r"(?<![\w/])(?:(\d{2}) ?)?([A-Z]{2,}(?: [A-Z]{2,}){0,3}) ?(\d{1,7})(?![\w/]|\.\d)")
_ALIASES = {"SECSTATE": "STATE", "DEPT": "STATE", "USNATOBRUSSELS": "USNATO"}


class CitedRef(str):
    """A cited reference id (a plain ``str``, e.g. ``"06REYKJAVIK431"``) that also knows where it
    was found: ``text[start:end]`` is the citation as written, for linking it in place."""

    start: int
    end: int

    def __new__(cls, ref_id: str, start: int, end: int) -> Self:
        obj = super().__new__(cls, ref_id)
        obj.start, obj.end = start, end
        return obj

    @property
    def ref_id(self) -> str:
        return str(self)

    def __reduce__(self):
        return (CitedRef, (str(self), self.start, self.end))


@lru_cache(maxsize=1)
def known_posts() -> frozenset[str]:
    """Post names of the release (``MOSCOW``, ``KUALALUMPUR``, ``STATE``…)."""
    text = (Path(__file__).with_name("posts.txt")).read_text(encoding="utf-8")
    names = {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}
    return frozenset(names | set(_ALIASES))


def _post_suffix(words: str, posts: frozenset[str]) -> tuple[str, int] | None:
    """The longest run of trailing words that spells a post, and its offset in ``words``
    (``"REFTEL KUALA LUMPUR"`` → ``("KUALALUMPUR", 7)``)."""
    offset = 0
    while True:
        name = words[offset:].replace(" ", "")
        if name in posts:
            return _ALIASES.get(name, name), offset
        space = words.find(" ", offset)
        if space < 0:
            return None
        offset = space + 1


def find_cited_refs(text: str, default_year: int | str | None = None) -> list[CitedRef]:
    """Every cable citation in ``text``, in order (repeats included), as normalised ids.

    A citation without a year (``ASUNCION 00211``) takes ``default_year`` (a year such as 2006 or
    ``"06"``, usually the citing cable's own); without one it is skipped, as it cannot be named.
    """
    if not text:
        return []
    posts = known_posts()
    year_default = None if default_year is None else f"{int(default_year) % 100:02d}"
    found: list[CitedRef] = []
    for match in _CITATION.finditer(text):
        year, words, serial = match.groups()
        hit = _post_suffix(words, posts)
        if hit is None:
            continue
        post, offset = hit
        if offset:
            year = None  # the year must sit right before the post's first word
        year = year or year_default
        if year is None:
            continue
        start = match.start(2) + offset if (offset or match.group(1) is None) else match.start()
        found.append(CitedRef(f"{year}{post}{int(serial)}", start, match.end()))
    return found


def unique_refs(refs: list[CitedRef] | list[str]) -> tuple[str, ...]:
    """Distinct ids in first-seen order, as plain strings (the ``Cable.references`` shape)."""
    return tuple(dict.fromkeys(str(r) for r in refs))
