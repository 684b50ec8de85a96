"""The HTML pages through the Flask test client: routes, statuses, content, and CSP-safe markup."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

REF = "07MOSCOW1143"
VIEWER = f"/cable/2007/03/{REF}.html"


class Page(HTMLParser):
    """Collects what the markup checks need: tags with attributes, inline script text, labels."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.inline_scripts: list[str] = []
        self.labels_for: set[str] = set()
        self.text: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in ("script", "style"):
            self._in = tag
        if tag == "label" and attrs.get("for"):
            self.labels_for.add(attrs["for"])

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "script" and data.strip():
            self.inline_scripts.append(data)
        self.text.append(data)

    def all(self, tag: str) -> list[dict]:
        return [a for t, a in self.tags if t == tag]

    def meta(self, key: str) -> str | None:
        for attrs in self.all("meta"):
            if attrs.get("property") == key or attrs.get("name") == key:
                return attrs.get("content")
        return None

    def by_id(self, ident: str) -> dict | None:
        return next((a for _, a in self.tags if a.get("id") == ident), None)


def parse(response) -> Page:
    page = Page()
    page.feed(response.get_data(as_text=True))
    return page


def assert_csp_safe(page: Page) -> None:
    """Only our own external scripts; no inline script, style or event handler; labelled controls."""
    assert not page.inline_scripts
    for attrs in page.all("script"):
        assert attrs.get("src", "").startswith("/static/"), attrs
    assert not page.all("style")
    ids = [a["id"] for _, a in page.tags if "id" in a]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for tag, attrs in page.tags:
        assert "style" not in attrs, (tag, attrs)
        assert not [k for k in attrs if k.startswith("on")], (tag, attrs)
        if tag == "a" and attrs.get("target") == "_blank":
            assert "noopener" in attrs.get("rel", "")
        if tag in ("textarea", "select") or (tag == "input" and attrs.get("type") != "hidden"):
            assert attrs.get("id") in page.labels_for or attrs.get("aria-label"), (tag, attrs)


# -- home and /go -----------------------------------------------------------------------------

def test_home(client):
    response = client.get("/")
    assert response.status_code == 200
    page = parse(response)
    assert_csp_safe(page)
    form = next(a for a in page.all("form") if a.get("action") == "/go")
    assert form.get("method") == "get"
    assert page.by_id("q") and page.by_id("par")
    bookmarklet = next(a for a in page.all("a") if "bookmarklet" in a.get("class", ""))
    assert bookmarklet["href"].startswith("javascript:")
    assert "https://cableshare.test/" in bookmarklet["href"]


@pytest.mark.parametrize(("query", "location"), [
    ({"q": REF}, f"/share/{REF}"),
    ({"q": REF, "par": "5"}, f"/share/{REF}/par5"),
    ({"q": REF.lower(), "par": "¶5"}, f"/share/{REF}/par5"),
    ({"q": f"https://wikileaks.org/cable/2007/03/{REF}.html#par7"}, f"/share/{REF}/par7"),
])
def test_go_redirects_to_share_page(client, query, location):
    response = client.get("/go", query_string=query)
    assert response.status_code in (302, 303)
    assert response.headers["Location"] == location


@pytest.mark.parametrize("hostile", [
    "//evil.example/x", "https://evil.example/", "http://evil.example/cable/2007/03/07MOSCOW1143.html",
    "\\\\evil.example", "javascript:alert(1)", "/\\evil.example", "%2F%2Fevil.example",
    "\r\nLocation: https://evil.example", "07MOSCOW1143\r\nSet-Cookie: x=1",
])
def test_go_never_redirects_off_site(client, hostile):
    response = client.get("/go", query_string={"q": hostile})
    location = response.headers.get("Location")
    if location is not None:
        parts = urlsplit(location)
        assert not parts.netloc and not parts.scheme
        assert location.startswith("/") and not location.startswith(("//", "/\\"))
        assert "\n" not in location and "\r" not in location
    else:
        assert response.status_code in (400, 404)


def test_go_unknown_cable_renders_home_with_suggestions(client):
    response = client.get("/go", query_string={"q": "07MOSCOW1144"})
    assert response.status_code == 404
    page = parse(response)
    assert_csp_safe(page)
    assert page.by_id("error")
    hrefs = [a.get("href", "") for a in page.all("a")]
    assert any(h.startswith("/go?") and REF in h for h in hrefs)


def test_go_no_such_paragraph_lists_paragraphs(client):
    response = client.get("/go", query_string={"q": REF, "par": "99"})
    assert response.status_code == 404
    hrefs = [a.get("href", "") for a in parse(response).all("a")]
    assert any("par=par14" in h or "par=14" in h for h in hrefs)


def test_go_garbage_is_a_bad_request(client):
    response = client.get("/go", query_string={"q": "hello world"})
    assert response.status_code in (400, 404)
    assert "error" in response.get_data(as_text=True)


def test_go_empty_goes_home(client):
    response = client.get("/go?q=")
    assert response.status_code in (302, 303) and response.headers["Location"] == "/"


# -- share page -------------------------------------------------------------------------------

def share_dict(client, par="5", **args):
    response = client.get("/api/v1/share", query_string={"ref": REF, "par": par, **args})
    assert response.status_code == 200
    return response.get_json()


def test_share_page_shows_posts_links_and_tags(client):
    expected = share_dict(client)
    response = client.get(f"/share/{REF}/5")
    assert response.status_code == 200
    assert response.headers.get("ETag")
    page = parse(response)
    assert_csp_safe(page)
    html = response.get_data(as_text=True)
    for network, post in expected["posts"].items():
        area = page.by_id(f"post-{network}")
        assert area is not None, network
        assert area["data-limit"] == str(post["limit"])
        assert post["text"] in "".join(page.text)
        count = page.by_id(f"post-{network}-count")
        assert count is not None
    for key in ("paragraph", "cable", "short", "text_fragment"):
        if expected["links"].get(key):
            assert page.by_id(f"link-{key}")["value"] == expected["links"][key]
    assert "#cablegate" in html and f"#{REF}" in html
    assert page.meta("og:title") == f"{REF} ¶5 — Embassy Moscow"
    assert page.meta("og:url").startswith("https://cableshare.test/share/")
    assert page.meta("og:image") == f"https://cableshare.test/card/{REF}/par5.png"
    assert page.meta("twitter:card") == "summary_large_image"
    assert expected["paragraph"]["text"][:40] in page.meta("og:description")
    oembed = [a for a in page.all("link") if a.get("type") == "application/json+oembed"]
    assert oembed and oembed[0]["href"].startswith("https://cableshare.test/oembed?")
    assert "<svg" in html and "<?xml" not in html
    intents = [a for a in page.all("a") if a.get("target") == "_blank"]
    assert intents


def intent_of(client, href):
    """Where a post button leads: its href, or where the page's ``?go=`` redirect sends it."""
    if href.startswith("http"):
        return href
    response = client.get(href)
    assert response.status_code == 302, href
    return response.headers["Location"]


def test_share_page_intent_links_carry_post_text(client):
    expected = share_dict(client)
    page = parse(client.get(f"/share/{REF}/5"))
    for network, post in expected["posts"].items():
        if post.get("intent_url"):
            assert intent_of(client, page.by_id(f"post-{network}-intent")["href"]) == post["intent_url"]


@pytest.mark.parametrize("go", ["nosuch", "mastodon", ""])
def test_share_page_go_redirects_only_to_a_post_intent(client, go):
    response = client.get(f"/share/{REF}/5", query_string={"go": go})
    assert response.status_code == 400  # Mastodon has no intent without a server


def test_share_page_lists_configured_mirrors(tmp_path):
    from app import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "t", "RATELIMIT_ENABLED": False,
                      "DATABASE_URL": f"sqlite:///{tmp_path}/m.db", "PUBLIC_BASE_URL": "https://cableshare.test",
                      "MIRRORS": "name=https://mirror.example/cable/{year}/{month}/{ref}.html#{anchor}"})
    page = parse(app.test_client().get(f"/share/{REF}/5"))
    hrefs = [a.get("href") for a in page.all("a")]
    assert f"https://mirror.example/cable/2007/03/{REF}.html#par5" in hrefs
    assert any(h and h.startswith(f"https://wikileaks.org/cable/2007/03/{REF}.html") for h in hrefs)


def test_share_page_whole_cable(client):
    response = client.get(f"/share/{REF}")
    assert response.status_code == 200
    page = parse(response)
    assert page.meta("og:title") == f"{REF} — Embassy Moscow"


def test_share_page_quote(client):
    text = share_dict(client)["paragraph"]["text"]
    quote = " ".join(text.split()[3:9])
    response = client.get(f"/share/{REF}/5", query_string={"quote": quote})
    assert response.status_code == 200
    page = parse(response)
    fragment = page.by_id("link-text_fragment")
    assert fragment and ":~:text=" in fragment["value"]
    assert quote in "".join(page.text)


def test_share_page_mastodon_instance(client):
    response = client.get(f"/share/{REF}/5", query_string={"instance": "social.example.org"})
    assert response.status_code == 200
    link = parse(response).by_id("post-mastodon-intent")
    assert link and urlsplit(intent_of(client, link["href"])).netloc == "social.example.org"


@pytest.mark.parametrize(("path", "status"), [
    ("/share/07MOSCOW1144/5", 404), (f"/share/{REF}/99", 404), ("/share/%3Cscript%3E/1", 400),
])
def test_share_page_errors(client, path, status):
    response = client.get(path)
    assert response.status_code in (status, 400, 404)
    assert "<script>" not in response.get_data(as_text=True)
    assert_csp_safe(parse(response))


def test_share_page_304(client):
    first = client.get(f"/share/{REF}/5")
    again = client.get(f"/share/{REF}/5", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


# -- viewer -----------------------------------------------------------------------------------

def test_viewer(client):
    response = client.get(VIEWER)
    assert response.status_code == 200
    page = parse(response)
    assert_csp_safe(page)
    for n in range(1, 15):
        container = page.by_id(f"par{n}")
        assert container is not None and "par" in container.get("class", "").split()
        assert any(a.get("href") == f"#par{n}" for a in page.all("a"))
        assert any(a.get("href", "").startswith(f"/share/{REF}/par{n}") for a in page.all("a"))
    assert page.meta("og:title", ) and page.meta("og:url") == f"https://cableshare.test{VIEWER}"
    assert "Embassy Moscow" in "".join(page.text)
    assert response.headers.get("ETag")
    again = client.get(VIEWER, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("path", [
    f"/cable/2008/01/{REF}.html", f"/cable/2007/3/{REF}.html", f"/cable/{REF}",
    f"/cable/{REF.lower()}", f"/cable/{REF}.html", f"/cable/2007/03/{REF.lower()}.html",
])
def test_viewer_redirects_to_canonical(client, path):
    response = client.get(path)
    assert response.status_code == 301
    assert response.headers["Location"] == VIEWER


def test_viewer_unknown_cable_suggests(client):
    response = client.get("/cable/2007/03/07MOSCOW1144.html")
    assert response.status_code == 404
    hrefs = [a.get("href", "") for a in parse(response).all("a")]
    assert any(REF in h for h in hrefs)


@pytest.mark.parametrize("path", [
    "/cable/2007/03/..%2F..%2Fetc%2Fpasswd.html", "/cable/2007/03/%00.html", "/cable/..",
    "/cable/2007/03/a%20b%3Cc.html", "/cable/" + "A" * 300, "/cable/2007/03/x/y.html",
])
def test_viewer_weird_paths_are_clean_404s(client, path):
    response = client.get(path)
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "<c" not in body


# -- search and bulk --------------------------------------------------------------------------

def test_search(client):
    response = client.get("/search", query_string={"q": "Titov"})
    assert response.status_code == 200
    page = parse(response)
    assert_csp_safe(page)
    assert page.all("mark")
    hrefs = [a.get("href", "") for a in page.all("a")]
    assert any(h.startswith(VIEWER + "#par") for h in hrefs)
    assert any(h.startswith(f"/share/{REF}/par") for h in hrefs)


def test_search_escapes_the_query(client):
    response = client.get("/search", query_string={"q": "<img src=x onerror=alert(1)>"})
    assert response.status_code == 200
    assert "<img src=x" not in response.get_data(as_text=True)


def test_search_form_without_query(client):
    response = client.get("/search")
    assert response.status_code == 200
    assert parse(response).by_id("q") is not None


def test_search_pagination(client):
    response = client.get("/search", query_string={"q": "the", "page": "1"})
    assert response.status_code == 200
    page = parse(response)
    nxt = [a for a in page.all("a") if a.get("rel") == "next"]
    if nxt:
        assert parse_qs(urlsplit(nxt[0]["href"]).query)["page"] == ["2"]
        assert client.get(nxt[0]["href"]).status_code == 200


def test_bulk_form(client):
    response = client.get("/bulk")
    assert response.status_code == 200
    assert_csp_safe(parse(response))


def test_bulk_lists_references(client):
    text = (f"As {REF} shows, and 06 REYKJAVIK 431 too (https://wikileaks.org/cable/2007/03/"
            f"{REF}.html#par5), not 09STATE999999.")
    response = client.post("/bulk", data={"text": text})
    assert response.status_code == 200
    page = parse(response)
    assert_csp_safe(page)
    body = response.get_data(as_text=True)
    assert f"#{REF}" in body and "#cablegate" in body
    assert "Not in the corpus" in body
    assert "06REYKJAVIK431" in body or "06 REYKJAVIK 431" in body


def test_pages_escape_user_input(client):
    response = client.get("/go", query_string={"q": '"><script>alert(1)</script>'})
    assert "<script>alert" not in response.get_data(as_text=True)


@pytest.mark.parametrize("page", ["0", "-1", "abc", "9" * 5000, "999999", "１"])
def test_search_page_argument_never_fails(client, page):
    assert client.get("/search", query_string={"q": "Titov", "page": page}).status_code == 200


def test_share_thread_view(client):
    expected = share_dict(client, par="1")["threads"]
    response = client.get(f"/share/{REF}/1", query_string={"view": "thread"})
    assert response.status_code == 200
    page = parse(response)
    assert_csp_safe(page)
    for network, posts in expected.items():
        for number, text in enumerate(posts, 1):
            area = page.by_id(f"thread-{network}-{number}")
            assert area is not None and page.by_id(f"thread-{network}-{number}-count")
            assert text in "".join(page.text)
    main = parse(client.get(f"/share/{REF}/1"))
    assert any(a.get("href") == f"/share/{REF}/1?view=thread" for a in main.all("a"))
