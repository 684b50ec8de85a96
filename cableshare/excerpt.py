"""Cutting text to fit a limit: at a sentence or word boundary, never inside a grapheme.

Both helpers take a predicate ``fits(candidate) -> bool`` (the network's counter around the
candidate) and binary-search the cut positions, so a paragraph costs a handful of counter calls.
Candidate cuts are capped at ``MAX_CHARS_PER_UNIT`` code points per unit of the limit, so hostile
text (10,000-character words, Zalgo) stays cheap; posts then come out shorter, never longer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import accumulate, compress
from operator import add

from cableshare.counting import grapheme_bounds, has_joiners

ELLIPSIS = "…"
MAX_CHARS_PER_UNIT = 16
_TRAILING = " ,;:-–—(\"'“‘/"
_SENTENCE_END = re.compile(r"[.!?;][\"')\]”’]*(?= )")

Fits = Callable[[str], bool]


def squash(text: str) -> str:
    """White space runs (line breaks of the cable's wrapping too) as single spaces."""
    return " ".join(text.split())


def fit(text: str, fits: Fits, limit: int) -> str:
    """``text`` whole if it fits, else its longest fitting prefix cut at a word (a grapheme when a
    single word is too long) plus ``…``; ``""`` when not even ``…`` fits."""
    if fits(text):
        return text
    cuts = _fitting_cuts(text, lambda i: fits(text[:i]), limit)
    cut = lambda i: _cut(text, i, cuts) + ELLIPSIS
    best = _last(cuts.words, lambda i: fits(cut(i)))
    if best is None:
        best = _last(cuts.graphemes[1:], lambda i: fits(cut(i)))
    if best is not None:
        return cut(best)
    return ELLIPSIS if fits(ELLIPSIS) else ""


def take(text: str, fits: Fits, limit: int) -> int:
    """How many characters of ``text`` start the next thread post: up to a sentence end when a
    sentence end gives at least half of what word cuts give, else a word, else graphemes."""
    if fits(text):
        return len(text)
    cuts = _fitting_cuts(text, lambda i: fits(text[:i]), limit)
    by_word = _last(cuts.words, lambda i: fits(text[:i]))
    by_sentence = _last(cuts.sentences, lambda i: fits(text[:i]))
    if by_sentence and (by_word is None or by_sentence * 2 >= by_word):
        return by_sentence
    if by_word:
        return by_word
    by_grapheme = _last(cuts.graphemes[1:], lambda i: fits(text[:i]))
    # A single grapheme over the limit (thousands of combining marks): code points, the only way.
    return by_grapheme or _last(range(1, len(cuts.graphemes) and cuts.graphemes[-1] or 1),
                                lambda i: fits(text[:i])) or 1


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
        cuts = _cuts(text, cap)
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


def _last(positions: Sequence[int], ok: Callable[[int], bool]) -> int | None:
    """The last position where ``ok`` holds, assuming it holds up to some point and then not."""
    lo, hi, best = 0, len(positions) - 1, None
    while lo <= hi:
        mid = (lo + hi) // 2
        if ok(positions[mid]):
            best, lo = positions[mid], mid + 1
        else:
            hi = mid - 1
    return best
