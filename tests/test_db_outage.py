"""PostgreSQL going away: requests fail fast with 503 ``database_unavailable`` (JSON under the API,
the error page elsewhere) and Retry-After, and succeed again once it is back, in the same app.

The machine's real PostgreSQL is never stopped (other tests use it): the app reaches it through a
small TCP proxy run by this module, which can drop every connection and refuse new ones.
"""

from __future__ import annotations

import socket
import threading
from urllib.parse import urlsplit, urlunsplit

import pytest
import sqlalchemy as sa

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
def outage_app(pg_url, proxy):
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


def test_outage_answers_503_and_recovery_needs_no_restart(outage_app, proxy):
    client = outage_app.test_client()
    before = {url: client.get(url).status_code for url in API + PAGES}
    assert set(before.values()) <= {200, 303}, before

    proxy.down()
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


def test_repeated_outages(outage_app, proxy):
    client = outage_app.test_client()
    for _ in range(3):
        assert client.get(f"/api/v1/cables/{REF}").status_code == 200
        proxy.down()
        assert client.get(f"/api/v1/cables/{REF}").status_code == 503
        proxy.up()
    assert client.get(f"/api/v1/share?ref={REF}&par=5").status_code == 200
