"""Every embed escapes corpus text for its own syntax: hostile text stays inert, reads the same."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pytest

from cableshare.embeds import bbcode_embed, build_embeds, html_embed, markdown_escape

URL = "https://cableshare.test/cable/2007/03/07MOSCOW1143.html#par5"
HOSTILE = ['<script>alert(1)</script>', 'say "hi" & <b>', '] [url=javascript:x]click[/url]',
           '*bold* _em_ `code` **x**', '# heading', '> quote', '1. item', '- item',
           'javascript:alert(1)', '[link](javascript:alert(1))', '![img](x)', '&amp; &lt;',
           'a | b | c', '~~gone~~', '<https://evil.example>', 'back\\slash']


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data):
        self.text += data


@pytest.mark.parametrize("text", HOSTILE)
def test_html_is_inert(text):
    snippet = html_embed(text, "US Embassy Moscow, 16 Mar 2007, ¶5", "07MOSCOW1143 ¶5", URL)
    parsed = _Collect()
    parsed.feed(snippet)
    assert parsed.tags == ["blockquote", "p", "footer", "a"]
    assert dict(parsed.attrs)["cite"] == URL and dict(parsed.attrs)["href"] == URL
    assert text in html.unescape(snippet) and text in parsed.text
    assert "<script" not in snippet and "style" not in snippet


def _markdown_render_plain(escaped: str) -> str:
    """What CommonMark shows for backslash escapes of ASCII punctuation: the character."""
    out, i = [], 0
    while i < len(escaped):
        if escaped[i] == "\\" and i + 1 < len(escaped) and not escaped[i + 1].isalnum():
            out.append(escaped[i + 1])
            i += 2
        else:
            out.append(escaped[i])
            i += 1
    return "".join(out)


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_escapes(text):
    escaped = markdown_escape(text)
    assert _markdown_render_plain(escaped) == text
    for char in "*_`[]<>!|~&#":
        assert f"{char}" not in escaped.replace(f"\\{char}", "")
    assert not escaped.startswith(("#", ">", "-", "1.")) or escaped.startswith("\\")


@pytest.mark.parametrize("text, expected", [("1. item", "1\\. item"), ("# h", "\\# h"),
                                            ("> q", "\\> q"), ("- x", "\\- x"), ("+ x", "\\+ x"),
                                            ("a_b*c", "a\\_b\\*c"), ("`x`", "\\`x\\`")])
def test_markdown_block_syntax(text, expected):
    assert markdown_escape(text) == expected


@pytest.mark.parametrize("text", HOSTILE)
def test_bbcode_has_no_tags_from_corpus(text):
    snippet = bbcode_embed(text, "US Embassy Moscow", "07MOSCOW1143 ¶5", URL)
    body = snippet[len("[quote]"):snippet.index("\n")]
    assert body.replace("[[b][/b]", "[") == text
    assert "[url" not in body.replace("[[b][/b]url", "")


def test_all_four_and_plain_text():
    embeds = build_embeds("Text.", "US Embassy Moscow, 16 Mar 2007, ¶5", "07MOSCOW1143 ¶5", URL)
    assert set(embeds.to_dict()) == {"html", "markdown", "bbcode", "text"}
    assert embeds.text == f"“Text.”\n— US Embassy Moscow, 16 Mar 2007, ¶5, 07MOSCOW1143 ¶5: {URL}"
    assert embeds.markdown.endswith(f"[07MOSCOW1143 ¶5](<{URL}>)")
