"""Line-level cleaning of a cable body: page breaks out, wrapped lines joined back.

Page breaks sit mid-sentence (``MOSCOW 00001143  002 OF 003``, ``PARIS 00002069 001.2 OF 002``,
``PAGE 02 ROME 01196 01 OF 02 082030Z``, a repeated ``UNCLASSIFIED`` footer, a repeated section
line); the release pads them with blank lines, so those go too, or a paragraph would split in two.
Everything here works on whole strings with compiled regexes: it runs once per cable on import.
"""

from __future__ import annotations

import re

_CLASSES = (r"(?:UNCLAS(?:SIFIED)?|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE|"
            r"C O N F I D E N T I A L|S E C R E T|U N C L A S)")
_BREAK = (
    r"[ \t]*(?:"
    r"[A-Z][A-Z .'-]{1,30} \d{4,8}[ \t]+\d{1,3}(?:\.\d)?[ \t]+OF[ \t]+\d{1,3}"   # MOSCOW 00001143  002 OF 003
    r"|PAGE \d{1,3}(?:[ \t]+\S[^\n]*\d{6}Z)?"                              # PAGE 02 ROME 01196 01 OF 02 082030Z
    rf"|{_CLASSES}(?:[ \t]*//?[ \t]*[A-Z]+)*(?:[ \t]+PTQ\d+)?"             # lone UNCLASSIFIED footer
    rf"|{_CLASSES}(?: E F T O)?[ \t]+SECTION \d+ (?:OF|of) \d+[ \t]+[A-Z][A-Z .]*\d{{2,7}}"  # section line
    rf"|{_CLASSES}[ \t]+[A-Z][A-Z .]* \d{{4,7}}"                           # UNCLAS MADRID 000572
    r")[ \t]*")
_PAGE_BREAK = re.compile(_BREAK)
# A page-break line inside the text, with the blank lines around it (kept: one line break).
_PAGE_BREAK_IN_TEXT = re.compile(rf"\n(?:[ \t]*\n)*{_BREAK}(?=\n|\Z)(?:\n[ \t]*(?=\n))*")
# Page breaks the release reflowed into the text: ``…Planning BRASILIA 00000129 002 OF 002 Minister``
# and, in 1990s cables, ``… A  CONFIDENTIAL\nPAGE 04 HARARE 06677 01 OF 03 291400Z COALITION…``,
# where a section's first page (``PAGE 01``) repeats the routing header up to ``PAGE 02``.
_INLINE_BREAK = re.compile(r"((?:[A-Z]{2,}[ \t]){0,3}[A-Z]{2,})[ \t]\d{8}[ \t]+\d{3}(?:\.\d)?[ \t]+OF[ \t]+\d{3}\b[ \t]*")
_INLINE_HINT = re.compile(r"0\d{7}[ \t]+\d{3}(?:\.\d)?[ \t]+OF ")
_OLD_PAGE = r"PAGE \d\d[ \t]+[A-Z][A-Z ]{1,30}?[ \t]\d{5}[ \t]+\d\d OF \d\d[ \t]+\d{6}Z"
_OLD_BREAK = re.compile(rf"(?:[ \t]+{_CLASSES}[ \t]*)?\n?(?:PAGE 01 .{{0,3000}}?{_OLD_PAGE}|{_OLD_PAGE})[ \t]*",
                        re.DOTALL)
_GLUE = "\x00"
# A line break right after a letter (no space) and before a lower-case letter: ``Ko\nsovo``.
# The literal ``\n`` first lets the regex engine scan fast; the lookbehind then checks the letter.
_CUT_WORD = re.compile(r"\n(?<=[^\W\d_]\n)(?=[a-z])")


def is_page_break(line: str) -> bool:
    """True for a page-break, footer or repeated classification/section line."""
    return _PAGE_BREAK.fullmatch(line) is not None


def clean_lines(body: str) -> tuple[list[str], bool]:
    """Lines with trailing blanks stripped and page breaks (with their padding) removed, and
    whether this text marks its soft wraps with a trailing space. When it does, a line ending
    without one inside a word (``Ko`` / ``sovo``) is cut mid-word: such a line carries a
    trailing ``\\x00`` that ``join_lines`` turns into "no space"."""
    body = _PAGE_BREAK_IN_TEXT.sub("", "\n" + body.replace(_GLUE, ""))[1:]
    if " OF 0" in body and _INLINE_HINT.search(body):
        body = _INLINE_BREAK.sub(_keep_words_before_post, body)
    if "PAGE 0" in body:
        body = _OLD_BREAK.sub(" ", body)
    breaks = body.count("\n")
    glue = breaks > 4 and body.count(" \n") >= 0.5 * breaks
    if glue:
        body = _CUT_WORD.sub(_GLUE + "\n", body)
    lines = list(map(str.rstrip, body.split("\n")))
    return lines, glue


def _keep_words_before_post(m: re.Match[str]) -> str:
    """Replacement for an inline page break: upper-case words before the post name stay."""
    from cableshare.parse.refs import known_posts

    words = m.group(1).split()
    posts = known_posts()
    for i in range(len(words)):
        if "".join(words[i:]) in posts:
            return " ".join(words[:i]) + " " if i else ""
    return " ".join(words[:-1]) + " " if len(words) > 1 else ""


def join_lines(lines: list[str]) -> str:
    """One paragraph's lines as text: wraps joined with single spaces, blank-line separated
    blocks kept apart by ``\\n\\n``, a word cut at a line end (marked by ``clean_lines``) joined
    back when the next line goes on in lower case."""
    text = "\n".join(lines)
    if _GLUE in text:
        text = text.replace(_GLUE + "\n", "").replace(_GLUE, "")
    if "\n\n" not in text:
        return " ".join(text.split())
    blocks = (" ".join(block.split()) for block in text.split("\n\n"))
    return "\n\n".join(b for b in blocks if b)
