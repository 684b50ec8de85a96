"""Outages of what the app depends on, seen through its HTTP answers.

PostgreSQL going away: requests fail fast with 503 ``database_unavailable`` (JSON under the API,
the error page elsewhere) and Retry-After, and succeed again once it is back, in the same app.
The machine's real PostgreSQL is never stopped (other tests use it): the app reaches it through a
small TCP proxy run by this module, which can drop every connection and refuse new ones.

The external shortener failing (timeout, 500, garbage, slow): the share API still answers 200 with
the built-in short link, the configured timeout reaches the HTTP layer, and repeated failures open
the breaker so the service is no longer called. ``test_shortlinks.py`` covers the same cases one
level down; ``responses`` stands in for the network.
"""

from __future__ import annotations

import socket
import threading
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
import responses
import sqlalchemy as sa

from cableshare import shortlinks
from cableshare.links import short_url
from webapp import http_cache

REF = "07MOSCOW1143"


class Proxy:
    """127.0.0.1:<port> → upstream; ``down()`` closes the listener and every open connection."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = 0
        self.listener: socket.socket | None = None
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.threads: list[threading.Thread] = []

    def up(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port, self.listener = listener.getsockname()[1], listener
        self._spawn(self._accept, listener)

    def down(self) -> None:
        with self.lock:
            doomed, self.sockets = [self.listener, *self.sockets], set()
            self.listener = None
        for sock in doomed:
            if sock is not None:
                _close(sock)
        for thread in self.threads:
            thread.join(5)
        self.threads = [t for t in self.threads if t.is_alive()]

    def _spawn(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        self.threads.append(thread)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # listener closed: down()
            try:
                server = socket.create_connection(self.upstream, timeout=5)
                server.settimeout(None)
            except OSError:
                _close(client)
                continue
            with self.lock:
                if self.listener is not listener:
                    _close(client), _close(server)
                    return
                self.sockets |= {client, server}
            self._spawn(self._pump, client, server)
            self._spawn(self._pump, server, client)

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        _close(src), _close(dst)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


@pytest.fixture
def proxy(pg_url):
    parts = urlsplit(pg_url)
    proxy = Proxy((parts.hostname or "127.0.0.1", parts.port or 5432))
    proxy.up()
    yield proxy
    proxy.down()


@pytest.fixture
def clock(monkeypatch):
    """http_cache's clock, moved by hand: a worker re-reads the corpus version (and so meets the
    outage) only once its copy is ``DEFAULT_VERSION_TTL`` old."""
    now = [1000.0]
    monkeypatch.setattr(http_cache, "monotonic", lambda: now[0])
    return now


def go_down(proxy, clock) -> None:
    proxy.down()
    clock[0] += http_cache.DEFAULT_VERSION_TTL


@pytest.fixture
def outage_app(pg_url, proxy, clock):
    """The app on the real PostgreSQL, reached only through the proxy."""
    from app import create_app

    parts = urlsplit(pg_url)
    netloc = f"{parts.username}@127.0.0.1:{proxy.port}" if parts.username else f"127.0.0.1:{proxy.port}"
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "RATELIMIT_ENABLED": False,
                      "PUBLIC_BASE_URL": "https://cableshare.test",
                      "DATABASE_URL": urlunsplit(parts._replace(netloc=netloc))})
    yield app
    app.extensions["cableshare"].close()


API = [f"/api/v1/cables/{REF}", f"/api/v1/share?ref={REF}&par=5", "/api/v1/search?q=titov",
       f"/api/v1/resolve?q={REF}", f"/oembed?url=https://cableshare.test/share/{REF}/5"]
PAGES = [f"/share/{REF}/5", f"/cable/2007/03/{REF}.html", "/search?q=titov", f"/go?q={REF}"]


def test_engine_fails_fast_and_recovers_by_itself(outage_app):
    """Pre-ping replaces dropped connections; connects and pool waits are bounded (no wall clock
    is measured: the bounds handed to the driver and the pool are what is checked)."""
    engine = outage_app.extensions["cableshare"].engine
    seen: dict = {}
    sa.event.listen(engine, "do_connect", lambda _d, _r, _a, params: seen.update(params))
    engine.dispose()
    with engine.connect():
        pass
    assert engine.pool._pre_ping is True
    assert 0 < engine.pool.timeout() <= 10
    assert 0 < int(seen["connect_timeout"]) <= 5


def test_outage_answers_503_and_recovery_needs_no_restart(outage_app, proxy, clock):
    client = outage_app.test_client()
    before = {url: client.get(url).status_code for url in API + PAGES}
    assert set(before.values()) <= {200, 303}, before

    proxy.down()  # within the version's lifetime, what the worker already holds is still served
    assert client.get(f"/api/v1/share?ref={REF}&par=5").status_code == 200
    clock[0] += http_cache.DEFAULT_VERSION_TTL
    for url in API:
        response = client.get(url)
        assert response.status_code == 503, (url, response.get_data(as_text=True)[:300])
        assert response.mimetype == "application/json"
        assert response.get_json() == {"error": {
            "code": "database_unavailable",
            "message": "The database is unavailable right now; nothing was changed. "
                       "Retry in a few seconds."}}
        assert response.headers["Retry-After"] == "5"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 503 and response.mimetype == "text/html", url
        page = response.get_data(as_text=True)
        assert "503" in page and "database is unavailable" in page
        assert "Traceback" not in page and "psycopg" not in page and "5432" not in page
        assert response.headers["Retry-After"] == "5"
    batch = client.post("/api/v1/share/batch", json={"items": [{"ref": REF, "par": 5}]})
    assert batch.status_code == 503 and batch.get_json()["error"]["code"] == "database_unavailable"

    proxy.up()
    after = {url: client.get(url).status_code for url in API + PAGES}
    assert after == before


def test_repeated_outages(outage_app, proxy, clock):
    client = outage_app.test_client()
    for _ in range(3):
        assert client.get(f"/api/v1/cables/{REF}").status_code == 200
        go_down(proxy, clock)
        assert client.get(f"/api/v1/cables/{REF}").status_code == 503
        proxy.up()
    assert client.get(f"/api/v1/share?ref={REF}&par=5").status_code == 200


# -- the external shortener ----------------------------------------------------------------------

ISGD = "https://is.gd/create.php"
FAILURES = {
    "timeout": {"body": requests.exceptions.ReadTimeout()},
    "connect timeout": {"body": requests.exceptions.ConnectTimeout()},
    "500": {"status": 500, "body": "Internal Server Error"},
    "garbage": {"body": "<html>Error: rate limited</html>"},
    "redirect elsewhere": {"body": "https://evil.example/x"},
}


@pytest.fixture
def shortening_app(app):
    shortlinks.reset_breakers()
    app.config.update(SHORTENER="isgd", SHORTENER_TIMEOUT=1.5)
    yield app
    shortlinks.reset_breakers()


def _share(client, par: int):
    response = client.get(f"/api/v1/share?ref={REF}&par={par}&shorten=1")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()


@pytest.mark.parametrize("failure", list(FAILURES), ids=list(FAILURES))
def test_failing_shortener_falls_back_to_the_built_in_link(shortening_app, failure):
    with responses.RequestsMock() as mock:
        mock.get(ISGD, **FAILURES[failure])
        share = _share(shortening_app.test_client(), 5)
        assert len(mock.calls) == 1
        assert mock.calls[0].request.req_kwargs["timeout"] == 1.5  # the configured value, as a float
    builtin = short_url("https://cableshare.test", REF, "par5")
    assert share["links"]["short"] == builtin
    assert all(builtin in post["text"] for name, post in share["posts"].items() if name == "x")


def test_slow_shortener_is_cut_at_the_configured_timeout(shortening_app):
    shortening_app.config["SHORTENER_TIMEOUT"] = 0.1

    def slow(request):
        time.sleep(0.3)
        return 200, {}, "https://is.gd/late"

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_callback(responses.GET, ISGD, callback=slow)
        share = _share(shortening_app.test_client(), 6)
        assert share["links"]["short"] == short_url("https://cableshare.test", REF, "par6")
        time.sleep(0.3)  # let the abandoned call finish inside the mock
        assert mock.calls[0].request.req_kwargs["timeout"] == 0.1


def test_repeated_failures_open_the_breaker_and_answers_stay_200(shortening_app):
    client = shortening_app.test_client()
    with responses.RequestsMock() as mock:
        mock.get(ISGD, status=500)
        for par in range(1, shortlinks.BREAKER_FAILURES + 1):
            assert _share(client, par)["links"]["short"].startswith("https://cableshare.test/s/")
        assert len(mock.calls) == shortlinks.BREAKER_FAILURES
        for par in range(5, 9):  # open: not called, built-in link at once
            assert _share(client, par)["links"]["short"] == short_url("https://cableshare.test", REF,
                                                                      f"par{par}")
        assert len(mock.calls) == shortlinks.BREAKER_FAILURES


def test_working_shortener_is_used_and_the_page_never_waits_on_it(shortening_app):
    client = shortening_app.test_client()
    with responses.RequestsMock() as mock:
        mock.get(ISGD, body="https://is.gd/Ok123")
        assert _share(client, 5)["links"]["short"] == "https://is.gd/Ok123"
        page = client.get(f"/share/{REF}/7")
        assert page.status_code == 200
        assert len(mock.calls) == 1  # the share page never calls the shortener
