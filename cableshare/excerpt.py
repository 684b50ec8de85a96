"""Cutting text to fit a limit: at a sentence or word boundary, never inside a grapheme.

Both helpers take ``size(candidate) -> int`` (the network's counter around the candidate) and a
``room``, and search the cut positions where a straight line through the sizes measured so far
meets ``room`` (bisecting when that stalls), so a paragraph costs about three counter calls.
Candidate cuts are capped at ``MAX_CHARS_PER_UNIT`` code points per unit of the limit, so hostile
text (10,000-character words, Zalgo) stays cheap; posts then come out shorter, never longer.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import accumulate, compress
from operator import add

from cableshare.counting import grapheme_bounds, has_joiners

ELLIPSIS = "…"
MAX_CHARS_PER_UNIT = 16
_TRAILING = " ,;:-–—(\"'“‘/"
_SENTENCE_END = re.compile(r"[.!?;][\"')\]”’]*(?= )")

Size = Callable[[str], int]


#: Bidi embedding, override and isolate controls (LRE…RLO, LRI…PDI): in corpus text they could
#: reorder whatever is shown after them (an attribution, a link, a page title).
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def strip_bidi_controls(text: str) -> str:
    """``text`` without bidi embedding/override/isolate controls (other characters untouched)."""
    return _BIDI_CONTROLS.sub("", text)


def squash(text: str) -> str:
    """White space runs (line breaks of the cable's wrapping too) as single spaces."""
    return " ".join(text.split())


def fit(text: str, size: Size, room: int, limit: int) -> str:
    """``text`` whole if its ``size`` is within ``room``, else its longest fitting prefix cut at a
    word (a grapheme when a single word is too long) plus ``…``; ``""`` when not even ``…`` fits."""
    if size(text) <= room:
        return text
    cuts = _fitting_cuts(text, lambda i: size(text[:i]) <= room, limit)
    cut = lambda i: _cut(text, i, cuts) + ELLIPSIS
    best = _last(cuts.words, lambda i: size(cut(i)), room)
    if best is None:
        best = _last(cuts.graphemes[1:], lambda i: size(cut(i)), room)
    if best is not None:
        return cut(best)
    return ELLIPSIS if size(ELLIPSIS) <= room else ""


def take(text: str, size: Size, room: int, limit: int) -> int:
    """How many characters of ``text`` start the next thread post: up to a sentence end when a
    sentence end gives at least half of what word cuts give, else a word, else graphemes."""
    if size(text) <= room:
        return len(text)
    prefix = lambda i: size(text[:i])
    cuts = _fitting_cuts(text, lambda i: prefix(i) <= room, limit)
    by_word = _last(cuts.words, prefix, room)
    by_sentence = _sentence_within(cuts.sentences, by_word, prefix, room)
    if by_sentence and (by_word is None or by_sentence * 2 >= by_word):
        return by_sentence
    if by_word:
        return by_word
    by_grapheme = _last(cuts.graphemes[1:], prefix, room)
    # A single grapheme over the limit (thousands of combining marks): code points, the only way.
    return by_grapheme or _last(range(1, len(cuts.graphemes) and cuts.graphemes[-1] or 1),
                                prefix, room) or 1


def _sentence_within(sentences: Sequence[int], by_word: int | None, prefix: Callable[[int], int],
                     room: int) -> int | None:
    """The last fitting sentence end: sentence ends are word ends, so it is the last one up to
    ``by_word`` (one count confirms it); a full search only when that one does not fit."""
    k = bisect_right(sentences, by_word) - 1 if by_word is not None else -1
    if k >= 0 and prefix(sentences[k]) <= room:
        return sentences[k]
    return _last(sentences, prefix, room)


class _Cuts:
    """Where ``text`` may be cut (up to ``cap`` code points): grapheme boundaries, word ends
    and sentence ends, each a sorted sequence of offsets."""

    def __init__(self, text: str, cap: int) -> None:
        plain = not has_joiners(text[:cap + 64])
        self.graphemes: Sequence[int] = (range(min(len(text), cap) + 1) if plain else
                                         [b for b in grapheme_bounds(text[:cap + 64]) if b <= cap])
        self._set = None if plain else frozenset(self.graphemes)
        top = self.graphemes[-1]
        words = text[:top + 1].split(" ")[:-1]
        ends = compress(map(add, accumulate(map(len, words)), range(len(words))), words)
        self.words = list(ends) if self._set is None else [i for i in ends if i in self._set]
        self.sentences = [m.end() for m in _SENTENCE_END.finditer(text, 0, top) if self.allows(m.end())]

    def allows(self, i: int) -> bool:
        return self._set is None or i in self._set


def _fitting_cuts(text: str, fits_prefix: Callable[[int], bool], limit: int) -> _Cuts:
    """Cuts within the first ``2 × limit`` code points, widened (up to ``MAX_CHARS_PER_UNIT``
    per unit) only while everything considered still fits: URLs count 23 however long they
    are, so a post can hold more characters than its limit, but rarely does."""
    cap = 2 * limit
    while True:
        cuts = _cuts(text, min(cap, len(text)))  # every cap past the end cuts alike: one entry
        top = cuts.graphemes[-1]
        if top >= len(text) or cap >= limit * MAX_CHARS_PER_UNIT or not fits_prefix(top):
            return cuts
        cap *= 4


@lru_cache(maxsize=64)
def _cuts(text: str, cap: int) -> _Cuts:
    return _Cuts(text, cap)


def _cut(text: str, i: int, cuts: _Cuts) -> str:
    head = text[:i]
    stripped = head.rstrip(_TRAILING)
    return stripped if cuts.allows(len(stripped)) else head


def _last(positions: Sequence[int], size: Callable[[int], int], room: int) -> int | None:
    """The last position whose ``size`` is within ``room``, assuming sizes grow with position.

    Probes where the line through the last measurement (slope from the last two, 1 per code
    point at first) reaches ``room``: plain text lands on the answer and its neighbour, 3 counts.
    A probe that does not halve the interval is followed by a bisection, so the worst case
    stays logarithmic."""
    lo, hi = -1, len(positions)
    ref: tuple[int, int] | None = None
    slope, bisect_next = 1.0, False
    while hi - lo > 1:
        width = hi - lo
        if ref is None or bisect_next:
            mid = (lo + hi) // 2 if ref is not None else _first_probe(positions, room, lo, hi)
        else:
            target = ref[0] + (room - ref[1]) / slope
            mid = min(max(bisect_right(positions, target) - 1, lo + 1), hi - 1)
        pos = positions[mid]
        measured = size(pos)
        if ref is not None and pos != ref[0] and (measured - ref[1]) / (pos - ref[0]) > 0:
            slope = (measured - ref[1]) / (pos - ref[0])
        ref = (pos, measured)
        if measured <= room:
            lo = mid
        else:
            hi = mid
        bisect_next = not bisect_next and hi - lo > width // 2
    return positions[lo] if lo >= 0 else None


def _first_probe(positions: Sequence[int], room: int, lo: int, hi: int) -> int:
    """Where ``room`` code points end: a post's size is about its length plus a few."""
    return min(max(bisect_right(positions, room) - 1, lo + 1), hi - 1)
