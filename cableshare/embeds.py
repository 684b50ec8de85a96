"""Embeddable citations: HTML, Markdown, BBCode and plain text, each escaping corpus text for its
own syntax so ``<script>``, ``[url]``, ``*``, ``_``, backticks, a leading ``#``/``>``/``1.`` or
``javascript:`` stay inert and read the same when rendered.

Links are ones this app built (http(s), percent-encoded), so they contain no quote, bracket or
space. BBCode has no escape, so ``[`` is written ``[[b][/b]`` (an empty bold tag breaks any tag
name while rendering as a plain ``[``) — understood by every BBCode dialect.
"""

from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass

# Escaped everywhere: what can open emphasis, code, links, HTML, entities, tables, math.
_MD_INLINE = re.compile(r"([\\`*_{}\[\]<>()#+!|~&$^:])")
# Escaped at the start of the text only: block syntax (headings, quotes, lists, rules).
_MD_LINE_START = re.compile(r"^(\s*)(\d+)([.)])|^(\s*)([-=+>])")


@dataclass(frozen=True)
class Embeds:
    html: str
    markdown: str
    bbcode: str
    text: str

    def to_dict(self) -> dict:
        return asdict(self)


def build_embeds(text: str, attribution: str, label: str, url: str) -> Embeds:
    """``text`` quoted, then ``— attribution`` with ``label`` (``07MOSCOW1143 ¶5``) linking ``url``."""
    return Embeds(
        html=html_embed(text, attribution, label, url),
        markdown=markdown_embed(text, attribution, label, url),
        bbcode=bbcode_embed(text, attribution, label, url),
        text=f"“{text}”\n— {attribution}, {label}: {url}",
    )


def html_embed(text: str, attribution: str, label: str, url: str) -> str:
    e = html.escape
    return (f'<blockquote class="cableshare-quote" cite="{e(url)}">\n'
            f'<p dir="auto">{e(text)}</p>\n'
            f'<footer>— {e(attribution)}, <a href="{e(url)}">{e(label)}</a></footer>\n'
            f"</blockquote>")


def markdown_escape(text: str) -> str:
    """Inert Markdown (CommonMark + GFM) that renders as ``text``."""
    escaped = _MD_INLINE.sub(r"\\\1", text)
    return _MD_LINE_START.sub(lambda m: (f"{m.group(1)}{m.group(2)}\\{m.group(3)}" if m.group(2)
                                         else f"{m.group(4)}\\{m.group(5)}"), escaped, count=1)


def markdown_embed(text: str, attribution: str, label: str, url: str) -> str:
    return (f"> {markdown_escape(text)}\n>\n"
            f"> — {markdown_escape(attribution)}, [{markdown_escape(label)}](<{url}>)")


def bbcode_escape(text: str) -> str:
    return text.replace("[", "[[b][/b]")


def bbcode_embed(text: str, attribution: str, label: str, url: str) -> str:
    return (f"[quote]{bbcode_escape(text)}\n"
            f"— {bbcode_escape(attribution)}, [url={url}]{bbcode_escape(label)}[/url][/quote]")
