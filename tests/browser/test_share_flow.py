"""The pages in real Chromium: the share flow, copying, live counters, ¶ links, quotes, no-JS."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
# Waiting uses Playwright's expect(), never wait_for_function("<expression>"): under the pages'
# CSP (no 'unsafe-eval') an expression that is not true at once fails when polled again
# (microsoft/playwright#36986).

REF = "07MOSCOW1143"
VIEWER = f"/cable/2007/03/{REF}.html"
VALIDATE = Path(__file__).resolve().parents[3] / "shared/conformance/twitter-text/validate.yml"


def server_x_length(text: str) -> int:
    """The server's X counter: cableshare.counting when it exposes one, else twitter-text itself."""
    try:
        from cableshare import counting
    except ImportError:
        counting = None
    for name in ("x_length", "weighted_length", "x_weighted_length", "count_x"):
        func = getattr(counting, name, None)
        if callable(func):
            return int(func(text))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from twitter_text import parse_tweet
    return parse_tweet(text).weightedLength


def counter_value(page, counter_id: str) -> int:
    return int(page.locator(f"#{counter_id} .n").inner_text())


def test_home_to_share_page(context_for):
    _, page, watch = context_for()
    page.goto("/")
    page.fill("#q", REF)
    page.fill("#par", "5")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(rf"/share/{REF}/par5$"))
    assert "¶5" in page.locator("h1").inner_text()
    assert page.locator("#post-x").input_value()
    watch.assert_clean()


def test_copy_button_copies_the_exact_post_text(context_for):
    _, page, watch = context_for(clipboard=True)
    page.goto(f"/share/{REF}/5")
    expected = page.locator("#post-x").input_value()
    page.click("button[data-copy='post-x']")
    expect(page.locator("button[data-copy='post-x']")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == expected
    page.click("button[data-copy='link-paragraph']")
    page.wait_for_timeout(100)
    assert page.evaluate("navigator.clipboard.readText()") == page.locator("#link-paragraph").input_value()
    watch.assert_clean()


def test_counter_and_intent_follow_edits(context_for):
    _, page, watch = context_for()
    page.goto(f"/share/{REF}/5")
    server = counter_value(page, "post-x-count")
    text = page.locator("#post-x").input_value()
    assert server == server_x_length(text)
    page.locator("#post-x").press("Control+End")
    page.keyboard.type(" ok")
    assert counter_value(page, "post-x-count") == server + 3
    href = page.get_attribute("#post-x-intent", "href")
    assert parse_qs(urlsplit(href).query)["text"] == [text + " ok"]
    page.fill("#post-x", "x" * 300)
    assert "over" in page.get_attribute("#post-x-count", "class")
    assert page.get_attribute("#post-x", "aria-invalid") == "true"
    page.fill("#post-bluesky", "👨‍👩‍👧‍👦 e\u0301")
    assert counter_value(page, "post-bluesky-count") == 3
    watch.assert_clean()


def test_x_counter_agrees_with_the_server_on_conformance_strings(context_for):
    if not VALIDATE.exists():
        pytest.skip("twitter-text conformance data is not present")
    yaml = pytest.importorskip("yaml")
    cases = yaml.safe_load(VALIDATE.read_text())["tests"]["WeightedTweetsWithDiscountedEmojiCounterTest"]
    _, page, watch = context_for()
    page.goto(f"/share/{REF}/5")
    got = page.evaluate("""(texts) => texts.map((t) => {
        const area = document.getElementById('post-x');
        area.value = t;
        area.dispatchEvent(new Event('input', {bubbles: true}));
        return Number(document.querySelector('#post-x-count .n').textContent);
    })""", [case["text"] for case in cases])
    for case, page_count in zip(cases, got, strict=True):
        server = server_x_length(case["text"])
        assert page_count == server == case["expected"]["weightedLength"], case["description"]
    page.fill("#post-x", cases[0]["text"])  # real input events too
    assert counter_value(page, "post-x-count") == cases[0]["expected"]["weightedLength"]
    watch.assert_clean()


def test_paragraph_link_scrolls_to_and_highlights_it(context_for):
    _, page, watch = context_for()
    page.goto(VIEWER)
    before = page.eval_on_selector("#par12", "el => getComputedStyle(el).backgroundColor")
    page.click("a[href='#par12']")
    expect(page).to_have_url(re.compile(r"#par12$"))
    after = page.eval_on_selector("#par12", "el => getComputedStyle(el).backgroundColor")
    other = page.eval_on_selector("#par11", "el => getComputedStyle(el).backgroundColor")
    assert after != before and other == before
    top = page.eval_on_selector("#par12", "el => el.getBoundingClientRect().top")
    assert 0 <= top < 200
    page.goto(VIEWER + "#par3")
    assert page.evaluate("document.querySelector(':target').id") == "par3"
    watch.assert_clean()


def test_selection_becomes_a_quote_to_share(context_for):
    _, page, watch = context_for()
    page.goto(VIEWER)
    selected = page.evaluate("""() => {
        const body = document.querySelector('#par5 .par-body');
        const node = [...body.childNodes].find((n) => n.nodeType === 3 && n.textContent.length > 60);
        const range = document.createRange();
        const start = node.textContent.indexOf(' ') + 1;
        range.setStart(node, start);
        range.setEnd(node, node.textContent.indexOf(' ', start + 30));
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        return getSelection().toString().replace(/\\s+/g, ' ').trim();
    }""")
    button = page.locator("#quote-button")
    button.wait_for(state="visible")
    assert unquote(button.get_attribute("href")).endswith("?quote=" + selected)
    button.click()
    page.wait_for_url(re.compile(r"/share/.*\?quote="))
    assert page.locator("blockquote.quote").inner_text().strip() == selected
    assert ":~:text=" in page.locator("#link-text_fragment").input_value()
    watch.assert_clean()


def test_mastodon_server_is_remembered_in_the_browser(context_for):
    _, page, watch = context_for()
    page.goto(f"/share/{REF}/5")
    page.fill("#instance", "social.example.org")
    page.press("#instance", "Enter")
    assert urlsplit(page.get_attribute("#post-mastodon-intent", "href")).netloc == "social.example.org"
    page.goto(f"/share/{REF}/7")
    assert page.locator("#instance").input_value() == "social.example.org"
    assert urlsplit(page.get_attribute("#post-mastodon-intent", "href")).netloc == "social.example.org"
    watch.assert_clean()


def test_share_page_without_javascript(context_for):
    _, page, watch = context_for(js=False)
    page.goto(f"/share/{REF}/5")
    assert page.locator("#post-x").input_value()
    assert page.locator("#link-paragraph").input_value().endswith("#par5")
    assert page.get_attribute("#post-x-intent", "href").startswith("http")
    assert not page.locator("button[data-copy]").first.is_visible()
    assert not page.locator("button[data-webshare]").is_visible()
    page.goto("/")
    page.fill("#q", f"{REF} ¶7")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(rf"/share/{REF}/par7$"))
    watch.assert_clean()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_screenshots(context_for, shot, viewport):
    _, page, watch = context_for(viewport=viewport)
    for name, path in (("home", "/"), ("share", f"/share/{REF}/5"), ("viewer", VIEWER + "#par5"),
                       ("search", "/search?q=Titov")):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
        shot(page, f"{name}-{viewport}")
    watch.assert_clean()


def test_qr_code_as_chromium_draws_it_decodes_to_the_paragraph_link(context_for):
    """The page's inline SVG, screenshot in the browser and read by a real decoder (zxing-cpp)."""
    import io

    import zxingcpp
    from PIL import Image

    _, page, watch = context_for()
    page.goto(f"/share/{REF}/5")
    link = page.locator("#link-paragraph").input_value()
    shot = page.locator("svg.qr-code").screenshot()
    found = [barcode.text for barcode in zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))]
    assert found == [link] and link.endswith(f"/{REF}.html#par5")
    watch.assert_clean()
