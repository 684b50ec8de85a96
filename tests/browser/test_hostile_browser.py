"""The hostile cable of ``tests/test_hostile.py`` in real Chromium: on every page no injected script
runs (a flag its payloads would set stays unset), no dialog opens, no element the corpus smuggled
in exists, CSP reports nothing (it had nothing to block), and the scripts of the pages (counters,
copy, quote button) handle the hostile text without injecting it.
"""

from __future__ import annotations

import threading
from urllib.parse import quote

import pytest
from playwright.sync_api import expect
from test_hostile import (
    BREAKOUT,
    LONG_WORD,
    PARAGRAPHS,
    REF,
    SCRIPT,
    SUBJECT,
    make_hostile_app,
)

pytestmark = pytest.mark.browser

LIVE = ("script:not([src]), script[src]:not([src^='/static/']), [onerror], [onload], [onclick], "
        "[onmouseover], iframe, object, embed, svg:not(.qr-code), img[src='x'], "
        "a[href^='javascript:']:not(.bookmarklet), form[action^='javascript:']")
PAGES = [
    f"/share/{REF}/1", f"/share/{REF}/2", f"/share/{REF}/3", f"/share/{REF}/4", f"/share/{REF}/5",
    f"/share/{REF}", f"/share/{REF}/1?view=thread", f"/share/{REF}/1?quote={quote(SCRIPT + ' opening')}",
    f"/cable/2009/01/{REF}.html", "/search?q=opening", f"/search?q={quote(SCRIPT)}",
    f"/go?q={quote(SCRIPT)}", f"/share/{REF}/{quote(BREAKOUT, safe='')}", "/",
]


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """Like conftest's, but the database also holds the hostile cable (imported by the CLI)."""
    from werkzeug.serving import make_server

    app = make_hostile_app(tmp_path_factory.mktemp("hostile-live"), "http://127.0.0.1")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_BASE_URL"] = base
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    thread.join(5)
    app.extensions["cableshare"].close()


def guarded(context_for):
    """A page whose dialogs are recorded (and dismissed) and the checks every page must pass."""
    _, page, watch = context_for()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    def assert_inert(status: int = 200) -> None:
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.evaluate(f"document.querySelectorAll({LIVE!r}).length") == 0
        assert dialogs == []
        if status >= 400:  # Chromium logs the error page's own status; nothing else may appear
            own = f"Failed to load resource: the server responded with a status of {status}"
            watch.errors = [e for e in watch.errors if not e.startswith(own)]
        watch.assert_clean()  # no console error: CSP had nothing to block; no foreign request

    return page, assert_inert


@pytest.mark.parametrize("url", PAGES)
def test_no_script_runs_and_no_dialog_opens(context_for, url):
    page, assert_inert = guarded(context_for)
    response = page.goto(url)
    page.wait_for_load_state("load")
    assert response is not None and response.status in (200, 400, 404)
    assert_inert(response.status)


def test_hostile_text_is_shown_as_text(context_for):
    page, assert_inert = guarded(context_for)
    page.goto(f"/cable/2009/01/{REF}.html")
    for anchor in ("par1", "par2", "par5"):
        assert PARAGRAPHS[anchor[3:]] in page.locator(f"#{anchor} .par-body").inner_text()
    assert SCRIPT in page.locator("h1").inner_text() or SCRIPT in page.title()
    assert_inert()


def test_editing_a_post_with_hostile_text(context_for):
    page, assert_inert = guarded(context_for)
    page.goto(f"/share/{REF}/1")
    for text in (SCRIPT, BREAKOUT, "[x](javascript:alert(1)) " + SUBJECT, LONG_WORD[:600]):
        page.fill("#post-x", text)
        page.fill("#post-bluesky", text)
    assert page.locator("#post-x").input_value() == LONG_WORD[:600]
    assert_inert()


def test_copy_and_quote_flow_with_hostile_text(context_for):
    _, page, watch = context_for(clipboard=True)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"/cable/2009/01/{REF}.html")
    page.evaluate("""() => {
        const body = document.querySelector('#par1 .par-body');
        const range = document.createRange();
        range.selectNodeContents(body);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
    }""")
    button = page.locator("#quote-button")
    button.wait_for(state="visible")
    button.click()
    page.wait_for_url("**/share/**quote=**")
    assert SCRIPT in page.locator("blockquote.quote").inner_text()
    page.click("button[data-copy='post-x']")
    expect(page.locator("#announce")).not_to_have_text("")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#post-x").input_value() and SCRIPT in copied
    assert page.evaluate("typeof window.__pwned") == "undefined" and dialogs == []
    assert page.evaluate(f"document.querySelectorAll({LIVE!r}).length") == 0
    watch.assert_clean()
