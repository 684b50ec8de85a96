"""Split a cable body into its numbered paragraphs: the part the release site got wrong.

The site anchored any line starting with a number or a capital and a dot (wrapped years, ``A.``
reference lines) and missed ``1.(C)`` written without a space. Here a line is a paragraph start
only if its number continues the numbering (or restarts at 1 where a quoted cable begins, or
returns to an outer numbering after one) and the line before ends a sentence, is blank, or the
number carries a classification marking. See ``split_paragraphs`` for the anchor scheme.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from cableshare.model import Paragraph
from cableshare.parse.lines import clean_lines, join_lines

_NUMBER = re.compile(r"[ \t]{0,8}(?:¶[ \t]*)?(\d{1,3})(?:[ \t]?([.,])(?!\d)|(\))|(?=[ \t]))[ \t]*")
_MARKING = re.compile(r"(\()?[ \t]*([A-Za-z][A-Za-z/ ,-]{0,44}?)[ \t]*\)[ \t]*")
_MARK_HEADS = frozenset({"U", "C", "S", "TS", "SBU", "LOU", "FOUO", "SNF", "UNCLAS", "UNCLASSIFIED",
                         "CONFIDENTIAL", "SECRET"})
_SENTENCE_END = frozenset('.:;!?")\'”’]')
_UNDERLINE = re.compile(r"[ \t]*[-=_*]{3,}[-=_* \t]*")
_NOT_HEADING = re.compile(r"(?:REFS?\b|REFTEL|TAGS\b|SUBJ|E\.\s?O\.|EO\b|CLASSIFIED BY|SIPDIS|NOFORN|"
                          r"END\b|BEGIN\b|[A-Z]\.\s|-|\(|\d)", re.IGNORECASE)
_TAIL_JUNK = re.compile(r"(?:NNNN|End Cable Text|[A-Z][A-Z'.-]*(?: [A-Z][A-Z'.-]*){0,2})")
_DIGITS_START = frozenset("0123456789 \t¶")
_MARK_SPLIT = re.compile(r"[/\s,-]+")


class _Start(NamedTuple):
    line: int
    number: int
    marking: str | None
    rest: str


def _marking(rest: str) -> tuple[str | None, str]:
    """(marking, text after it) when ``rest`` opens with a classification marking like ``(S/NF)``."""
    if not rest or rest[0] not in "(ACFLSTUacflstu":
        return None, rest
    m = _MARKING.match(rest)
    if m is None:
        return None, rest
    inner = " ".join(m.group(2).split())
    head = _MARK_SPLIT.split(inner, maxsplit=1)[0].upper()
    if head not in _MARK_HEADS or (m.group(1) is None and (" " in inner or len(inner) > 7)):
        return None, rest
    return (inner.upper() if len(inner) <= 3 else inner), rest[m.end():]


def _candidate(line: str, index: int) -> _Start | None:
    """A line that could open paragraph N: ``1. text``, ``¶1.``, ``1 .``, ``1.(C)``; ``1,`` /
    ``1)`` / ``1`` only when a marking follows (``10  (C)``), since ``1)`` lists and ``15 percent``
    wraps are not paragraphs."""
    if line[0] not in _DIGITS_START:
        return None
    m = _NUMBER.match(line)
    if m is None:
        return None
    marking, rest = _marking(line[m.end():])
    if m.group(2) != "." and marking is None:
        return None
    return _Start(index, int(m.group(1)), marking, rest)


def _boundary(lines: list[str], i: int) -> tuple[bool, bool]:
    """(the previous line closes a sentence or block, the previous line is blank)."""
    if i == 0 or not lines[i - 1]:
        return True, True
    prev = lines[i - 1]
    closes = prev[-1] in _SENTENCE_END or prev.endswith("--") or bool(_UNDERLINE.fullmatch(prev)) \
        or not any(ch.isalnum() for ch in prev)
    return closes or looks_heading(prev), False


def _accept(stack: list[int], c: _Start, closes: bool, blank: bool) -> bool:
    """Sequence logic: ``stack`` holds the last number of each open numbering (outer cable,
    quoted cables); accepting a start updates it."""
    strong = c.marking is not None
    ok_text = strong or not c.rest[:1].islower() or c.rest[:2].lower() == "xx"  # xx…: redacted
    n = c.number
    for level in range(len(stack) - 1, -1, -1):
        if n == stack[level] + 1 and (strong or closes) and ok_text:
            del stack[level + 1:]
            stack[level] = n
            return True
    top = stack[-1]
    if n == 1 and top >= 1 and (strong or closes) and ok_text:
        stack.append(1)  # a quoted cable (or a numbered list) restarts at 1
        return True
    if top == 0 and n == 1 and ok_text:
        stack[-1] = 1  # the first paragraph may follow a wrapped SUBJECT line
        return True
    first = top == 0 and n <= 9
    skip = top + 1 < n <= top + 3 or (n == top and n > 0)
    if (first or skip) and (strong or (blank and c.rest[:1].isupper())):
        stack[-1] = n
        return True
    return False


def find_starts(lines: list[str]) -> list[_Start]:
    """The lines that open numbered paragraphs, by sequence logic (see ``_accept``). Lines that
    cannot be one (no digit, blank or ``¶`` first) are skipped by a set lookup on their first
    character, cheaper than any scan of the text."""
    stack = [0]
    starts: list[_Start] = []
    for index, line in enumerate(lines):
        if line[:1] not in _DIGITS_START:
            continue
        cand = _candidate(line, index)
        if cand is None:
            continue
        closes, blank = _boundary(lines, index)
        if _accept(stack, cand, closes, blank):
            starts.append(cand)
    return starts


def looks_heading(line: str) -> bool:
    """A short capitalised line without closing punctuation (``Russia: No Swaps``)."""
    s = line.strip()
    if not 3 <= len(s) <= 70 or s[-1] in ".,;:" or not (s[0].isupper() or s[0] in "\"'“"):
        return False
    if _NOT_HEADING.match(s) or any(ch.isdigit() for ch in s[:1]) or re.search(r"\d{4}", s):
        return False
    if s.isupper():
        return True
    words = [w for w in s.split() if len(w) > 3 and w[0].isalpha()]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _heading(lines: list[str], i: int, floor: int) -> tuple[str | None, int]:
    """(heading of the paragraph starting at line ``i``, first line index it occupies)."""
    j = i - 1
    while j >= floor and not lines[j]:
        j -= 1
    if j < floor:
        return None, i
    if _UNDERLINE.fullmatch(lines[j]):
        k = j - 1
        if k < floor or not lines[k] or _UNDERLINE.fullmatch(lines[k]):
            return None, j
        return " ".join(lines[k].split()), k
    prev_closes = j - 1 < 0 or not lines[j - 1] or lines[j - 1][-1] in _SENTENCE_END
    if j - 1 >= floor - 1 and prev_closes and looks_heading(lines[j]):
        return " ".join(lines[j].split()), j
    return None, i


def _trim_tail(lines: list[str], start: int, end: int) -> int:
    """New end of the last paragraph without the sign-off: ``NNNN``, ``End Cable Text`` and an
    upper-case signature (``BURNS``) after a closed sentence."""
    for _ in range(4):
        while end - 1 > start and not lines[end - 1]:
            end -= 1
        if end - 1 <= start:
            break
        last = lines[end - 1].strip()
        before = lines[end - 2]
        if not _TAIL_JUNK.fullmatch(last) or (before and before[-1] not in _SENTENCE_END
                                               and last not in ("NNNN", "End Cable Text")):
            break
        end -= 1
    return end


_SIGNED = re.compile(r"(.*[.!?\"”)])\s+[A-Z][A-Z'-]{2,}", re.DOTALL)


def _drop_signature(text: str) -> str:
    """``… Action Request. DRUCKER`` → ``… Action Request.``: reflowed pages put the sign-off on
    the last paragraph's line (left alone in all-capitals cables, where it cannot be told)."""
    m = _SIGNED.fullmatch(text)
    return m.group(1) if m and text != text.upper() else text


def _anchor(number: str, seen: dict[str, int]) -> str:
    seen[number] = seen.get(number, 0) + 1
    k = seen[number]
    return f"par{number}" if k == 1 else f"par{number}-{k}"


def split_paragraphs(body: str) -> tuple[Paragraph, ...]:
    """The paragraphs of ``body``, page breaks removed and wraps joined.

    Anchors: the k-th paragraph printed with number N gets ``parN`` for k = 1 (the release
    site's id) and ``parN-k`` after that (a quoted cable's second ``1.`` is ``par1-2``), so
    anchors stay unique while ``number`` keeps the printed number. A body without numbered
    paragraphs is split by ``unnumbered_paragraphs`` instead.
    """
    lines, _glue = clean_lines(body)
    starts = find_starts(lines)
    if not starts:
        return unnumbered_paragraphs(lines)
    headings = []
    floor = 0
    for c in starts:
        headings.append(_heading(lines, c.line, floor))
        floor = c.line + 1
    seen: dict[str, int] = {}
    out = []
    for k, c in enumerate(starts):
        end = headings[k + 1][1] if k + 1 < len(starts) else _trim_tail(lines, c.line, len(lines))
        text_lines = [c.rest] + lines[c.line + 1:end]
        number = str(c.number)
        text = join_lines(text_lines)
        if k + 1 == len(starts):
            text = _drop_signature(text)
        out.append(Paragraph(number, _anchor(number, seen), text, c.marking, headings[k][0]))
    return tuple(out)


_PREAMBLE = re.compile(r"\s*(?:(?:SUBJECT|SUBJ|REF|REFS|REFTEL|TAGS|E\.\s?O\.|EO|SIPDIS|NOFORN|SENSITIVE)\b|"
                       r"CLASSIFIED BY|Classified [Bb]y|(?:[A-Z/]+ )*FOR [A-Z/])")


def _preamble_end(lines: list[str]) -> int:
    """Index of the first line after the routing preamble (classification line, E.O., TAGS,
    SUBJECT, REF and their continuation lines)."""
    end = 0
    in_field = False
    for i, line in enumerate(lines[:60]):
        if not line:
            in_field = False
            continue
        if i == 0 or _PREAMBLE.match(line) or in_field:
            end = i + 1
            in_field = True
    return end


def unnumbered_paragraphs(lines: list[str]) -> tuple[Paragraph, ...]:
    """A body without numbered paragraphs (3% of the release) is still shareable: after the
    routing preamble, each blank-line separated block becomes a paragraph numbered 1, 2, …
    (positions, not printed numbers; anchors ``par1``, ``par2``…), a lone heading-like line is
    the next block's heading, and the sign-off is trimmed from the last block."""
    start = _preamble_end(lines)
    end = _trim_tail(lines, start - 1, len(lines)) if start else _trim_tail(lines, -1, len(lines))
    blocks: list[tuple[int, int]] = []
    i = start
    while i < end:
        if not lines[i]:
            i += 1
            continue
        j = i
        while j < end and lines[j]:
            j += 1
        blocks.append((i, j))
        i = j
    out: list[Paragraph] = []
    heading = None
    for a, b in blocks:
        if b - a == 1 and looks_heading(lines[a]) and (a, b) != blocks[-1]:
            heading = " ".join(lines[a].split())
            continue
        n = str(len(out) + 1)
        out.append(Paragraph(n, f"par{n}", join_lines(lines[a:b]), None, heading))
        heading = None
    return tuple(out)
