"""The real app on a real socket and Debian's Chromium through Playwright.

The server and the browser are started once per module (starting Chromium takes a second); every
test gets a fresh browser context, so no cookies, storage or permissions leak between tests.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The app served by werkzeug on 127.0.0.1 and a free port; yields its base URL."""
    from werkzeug.serving import make_server

    from app import create_app

    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Chromium is not installed")
    db = tmp_path_factory.mktemp("live") / "cableshare.db"
    server = make_server("127.0.0.1", 0, _app(create_app, db), threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    server.app.config["PUBLIC_BASE_URL"] = base
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    thread.join(5)


def _app(create_app, db):
    return create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{db}", "SECRET_KEY": "browser-test",
                       "PUBLIC_BASE_URL": "http://127.0.0.1", "RATELIMIT_ENABLED": False})


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


class Watch:
    """Console errors, CSP violations and requests to other origins seen by one page."""

    def __init__(self, page, base: str) -> None:
        self.errors: list[str] = []
        self.foreign: list[str] = []
        origin = urlsplit(base).netloc
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self._request(r.url, origin))

    def _request(self, url: str, origin: str) -> None:
        parts = urlsplit(url)
        if parts.scheme in ("data", "about", "blob"):
            return
        if parts.netloc != origin:
            self.foreign.append(url)

    def assert_clean(self) -> None:
        assert not self.errors, self.errors
        assert not self.foreign, self.foreign


@pytest.fixture
def context_for(browser, live_server):
    """``context_for(viewport="desktop", js=True, clipboard=False)`` → (context, page, watch)."""
    contexts = []

    def make(viewport: str = "desktop", js: bool = True, clipboard: bool = False):
        context = browser.new_context(viewport=VIEWPORTS[viewport], java_script_enabled=js,
                                      base_url=live_server)
        if clipboard:
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(5000)
        watch = Watch(page, live_server)
        return context, page, watch

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def shot():
    SCREENSHOTS.mkdir(exist_ok=True)

    def save(page, name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)

    return save
