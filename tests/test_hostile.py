"""A hostile cable, written as a ``cables.csv`` row and imported with the real ``flask cables
import`` command: script tags, attribute breakouts, ``javascript:`` URLs, Markdown and BBCode links,
bidi overrides, zero-width characters, template syntax and a 10,000-character word, in its text,
subject and origin. Every page, API answer, post, embed, OG tag, oEmbed answer and quote card must
show them as inert text. ``tests/browser/test_hostile_browser.py`` checks the same in Chromium.
"""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from PIL import Image

from webapp.page_helpers import bookmarklet

REF = "09HOSTILE1"
FLAG = "window.__pwned=1"
SCRIPT = f"<script>{FLAG};alert(1)</script>"
BREAKOUT = f'"><img src=x onerror="{FLAG};alert(1)">'
BBCODE = "[url=javascript:alert(1)]click[/url]"
MARKDOWN = "[click](javascript:alert(1)) ![i](javascript:alert(1))"
BIDI = "\u202eexe.live\u202c"
ZERO_WIDTH = "zero\u200bwidth\u200c\u200d\ufeffjoin"
TEMPLATE = "{{7*7}} {% raw %}"
LONG_WORD = "W" * 10_000
SUBJECT = f"{SCRIPT} {BREAKOUT} {BBCODE} {BIDI}"
ORIGIN = f"Embassy {SCRIPT}{BREAKOUT}{BIDI}"
PARAGRAPHS = {
    "1": f"{SCRIPT} opening {BREAKOUT} text.",
    "2": f'javascript:alert(1) {BBCODE} {MARKDOWN} <a href="javascript:{FLAG}">x</a>',
    "3": f"{BIDI} reversed and {ZERO_WIDTH} words {TEMPLATE}.",
    "4": LONG_WORD,
    "5": f'<svg onload="{FLAG}"></svg><iframe src="javascript:{FLAG}"></iframe> end.',
}
BIDI_CONTROLS = {chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
BASE = "https://cableshare.test"
#: The one javascript: URL a page may carry: the home page's bookmarklet, which the app writes.
OWN_BOOKMARKLET = bookmarklet(BASE)


def write_hostile_csv(path: Path) -> Path:
    """One row in the release's cables.csv dialect (backslash-escaped quotes, fields over lines)."""
    pars = "\n\n".join(f"{n}. (C) {text}" for n, text in PARAGRAPHS.items())
    body = (f"C O N F I D E N T I A L HOSTILE 000001\n\nE.O. 12958: DECL: 01/01/2019\nTAGS: PREL, XX\n"
            f"SUBJECT: {SUBJECT}\n\nREF: 07MOSCOW1143\n\n{pars}\n")
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out, quoting=csv.QUOTE_ALL, escapechar="\\", doublequote=False,
                   lineterminator="\n").writerow(
            ["1", "1/15/2009 10:00", REF, ORIGIN, "CONFIDENTIAL", "07MOSCOW1143",
             "R 151000Z JAN 09\nFM AMEMBASSY HOSTILE\n", body])
    return path


def make_hostile_app(tmp: Path, base_url: str = BASE):
    """The app on a fresh SQLite file: the sample corpus plus the hostile cable, imported by the CLI."""
    from app import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp / 'hostile.db'}",
                      "SECRET_KEY": "hostile", "PUBLIC_BASE_URL": base_url, "RATELIMIT_ENABLED": False})
    result = app.test_cli_runner().invoke(args=["cables", "import",
                                                str(write_hostile_csv(tmp / "hostile.csv"))])
    assert result.exit_code == 0, result.output
    assert "new: 1" in result.output
    return app


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    app = make_hostile_app(tmp_path_factory.mktemp("hostile"))
    yield app
    app.extensions["cableshare"].close()


@pytest.fixture
def client(hostile_app):
    return hostile_app.test_client()


class Inert(HTMLParser):
    """Collects what would be live in a browser: elements, event handlers, script URLs."""

    URL_ATTRS = frozenset({"href", "src", "action", "formaction", "cite", "poster", "data", "xlink:href", "srcset"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text = ""
        self.tags: list[str] = []
        self.meta: dict[str, str] = {}
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        values = dict(attrs)
        if tag == "script":
            self._in_script = True
            if not (values.get("src") or "").startswith("/static/"):
                self.problems.append(f"script without a /static/ src: {attrs}")
        if tag in ("iframe", "object", "embed", "frame", "base") or (tag == "img" and values.get("src") == "x"):
            self.problems.append(f"<{tag}> from the corpus: {attrs}")
        if tag == "svg" and values.get("class") != "qr-code":
            self.problems.append(f"<svg> that is not the QR code: {attrs}")
        if tag == "meta" and (values.get("property") or values.get("name")):
            self.meta[values.get("property") or values.get("name") or ""] = values.get("content") or ""
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}={value!r} on <{tag}>")
            if name in self.URL_ATTRS and value:
                squashed = "".join(value.split()).lower()
                if squashed.startswith(("javascript:", "vbscript:", "data:text/html")) \
                        and value != OWN_BOOKMARKLET:
                    self.problems.append(f"script URL {name}={value!r} on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline script: {data[:80]!r}")
        self.text += data


def inert_page(response, *shown: str) -> Inert:
    """The page parsed; nothing live in it; each of ``shown`` visible as plain text."""
    assert response.mimetype == "text/html"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    html = response.get_data(as_text=True)
    page = Inert()
    page.feed(html)
    page.close()
    assert not page.problems, page.problems
    assert "<script>" not in html and "<img src=x" not in html and "<svg onload" not in html
    for text in shown:
        assert text in page.text, text[:60]
    return page


PAGES = [
    (f"/share/{REF}/1", [PARAGRAPHS["1"], SUBJECT]),
    (f"/share/{REF}/2", [PARAGRAPHS["2"]]),
    (f"/share/{REF}/3", [PARAGRAPHS["3"], TEMPLATE]),
    (f"/share/{REF}/4", [LONG_WORD]),
    (f"/share/{REF}/5", [PARAGRAPHS["5"]]),
    (f"/share/{REF}", [SUBJECT]),
    (f"/share/{REF}/1?view=thread", [SCRIPT]),
    (f"/share/{REF}/4?view=thread", []),
    (f"/share/{REF}/1?quote={quote(SCRIPT + ' opening')}", [SCRIPT + " opening"]),
    (f"/share/{REF}/1?instance={quote(BREAKOUT)}", []),
    (f"/cable/2009/01/{REF}.html", [SUBJECT, PARAGRAPHS["1"], PARAGRAPHS["2"], PARAGRAPHS["5"], TEMPLATE]),
    ("/search?q=opening", [SUBJECT]),
    ("/search?q=reversed", [ZERO_WIDTH]),
    (f"/search?q={quote(SCRIPT)}", [SCRIPT]),
    (f"/go?q={quote(SCRIPT)}", []),
    (f"/go?q={REF}&par={quote(BREAKOUT)}", []),
    (f"/share/{REF}/{quote(SCRIPT, safe='')}", []),
    (f"/cable/{quote(BREAKOUT, safe='')}", []),
    ("/", []),
]


@pytest.mark.parametrize(("url", "shown"), PAGES, ids=[u[:50] for u, _ in PAGES])
def test_pages_show_hostile_text_inert(client, url, shown):
    response = client.get(url)
    assert response.status_code < 500
    assert response.status_code in (200, 303, 400, 404)
    if response.status_code == 303:
        response = client.get(response.headers["Location"])
    inert_page(response, *shown)


def test_bulk_page(client):
    response = client.post("/bulk", data={"text": f"See {REF} and 07MOSCOW1143. {SCRIPT} {BREAKOUT}"})
    assert response.status_code == 200
    inert_page(response, SCRIPT)


@pytest.mark.parametrize("n", [None, "1", "2", "3", "4", "5"])
def test_og_tags_are_attribute_data(client, n):
    page = inert_page(client.get(f"/share/{REF}/{n}" if n else f"/share/{REF}"))
    assert page.meta["og:url"].startswith(BASE + "/share/")
    assert page.meta["og:image"].startswith(BASE + "/card/")
    if n == "1":
        assert SCRIPT in page.meta["og:description"] and BREAKOUT in page.meta["og:title"]


def _share(client, n: str | None) -> dict:
    response = client.get(f"/api/v1/share?ref={REF}" + (f"&par={n}" if n else ""))
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    return response.get_json()


@pytest.mark.parametrize("n", [None, "1", "2", "3", "4", "5"])
def test_api_share_posts_and_embeds_are_inert(client, n):
    share = _share(client, n)
    if n:
        assert share["paragraph"]["text"] == PARAGRAPHS[n]  # the data itself, unchanged
    assert share["cable"]["subject"] == SUBJECT and share["cable"]["origin"] == ORIGIN
    for name, post in share["posts"].items():
        assert post["length"] <= post["limit"], name
        assert not BIDI_CONTROLS & set(post["text"]), name
        if post["intent_url"]:
            assert post["intent_url"].startswith(("https://", "mailto:?")), name
            assert not set(post["intent_url"]) & set(' <>"\'\n'), name
    for name, posts in share["threads"].items():
        assert all(not BIDI_CONTROLS & set(p) for p in posts), name
    embeds = share["embeds"]
    snippet = Inert()
    snippet.feed(embeds["html"])
    assert not snippet.problems and snippet.tags == ["blockquote", "p", "footer", "a"]
    assert "](javascript" not in embeds["markdown"] and "](<javascript" not in embeds["markdown"]
    assert embeds["markdown"].count("](<") == 1
    assert embeds["bbcode"].count("[url=") == 1 and "[url=javascript" not in embeds["bbcode"]
    for text in embeds.values():
        assert not BIDI_CONTROLS & set(text)


def test_api_cable_answers_the_data_unchanged(client):
    response = client.get(f"/api/v1/cables/{REF}")
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    cable = response.get_json()
    assert cable["subject"] == SUBJECT and cable["origin"] == ORIGIN
    assert [p["text"] for p in cable["paragraphs"]] == list(PARAGRAPHS.values())


@pytest.mark.parametrize("q", ["opening", "reversed", "javascript", SCRIPT])
def test_api_search_highlight_is_escaped_html(client, q):
    response = client.get(f"/api/v1/search?q={quote(q)}")
    assert response.status_code == 200
    for hit in response.get_json()["hits"]:
        fragment = Inert()
        fragment.feed(hit["highlight"])
        assert not fragment.problems and set(fragment.tags) <= {"mark"}, hit["highlight"][:200]
        assert "".join(f["text"] for f in hit["fragments"]) == fragment.text


def test_api_resolve_and_error_answers(client):
    assert client.get(f"/api/v1/resolve?q={REF}%20%C2%B63").get_json()["paragraph"]["anchor"] == "par3"
    for url in [f"/api/v1/resolve?q={quote(SCRIPT)}", f"/api/v1/share?ref={REF}&par={quote(BREAKOUT)}",
                f"/api/v1/cables/{quote(BREAKOUT, safe='')}"]:
        response = client.get(url)
        assert 400 <= response.status_code < 500 and response.mimetype == "application/json"


@pytest.mark.parametrize("n", [None, "1", "4", "5"])
def test_oembed_html_is_inert(client, n):
    page = f"{BASE}/share/{REF}" + (f"/{n}" if n else "")
    response = client.get(f"/oembed?url={quote(page)}")
    assert response.status_code == 200 and response.mimetype == "application/json"
    answer = response.get_json()
    snippet = Inert()
    snippet.feed(answer["html"])
    assert not snippet.problems and snippet.tags == ["blockquote", "p", "footer", "a"]
    assert answer["thumbnail_url"].startswith(f"{BASE}/card/{REF}")
    assert answer["provider_url"] == BASE + "/"


@pytest.mark.parametrize("anchor", [None, "par1", "par2", "par3", "par4", "par5"])
def test_quote_cards_render(client, anchor):
    response = client.get(f"/card/{REF}/{anchor}.png" if anchor else f"/card/{REF}.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    image = Image.open(io.BytesIO(response.data))
    image.verify()
    assert image.size == (1200, 630)


@pytest.mark.parametrize("path", [f"/share/{REF}/3", f"/share/{REF}", f"/cable/2009/01/{REF}.html"])
def test_no_bidi_controls_in_title_and_og_tags(client, path):
    """Browser tabs and link previews show these outside any element that could contain an
    override; the hostile cable's subject, origin and ¶3 all carry bidi controls."""
    response = client.get(path)
    page = inert_page(response)
    title = re.search(r"<title>(.*?)</title>", response.get_data(as_text=True), re.DOTALL).group(1)
    shown = [title] + [page.meta.get(k, "") for k in ("og:title", "og:description", "twitter:title",
                                                      "twitter:description", "description")]
    assert all(shown[:3]) and not any(BIDI_CONTROLS & set(value) for value in shown)
