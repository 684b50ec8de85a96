"""Two real app servers (gunicorn, one worker each) on one PostgreSQL schema and one Redis.

What one server creates, the other serves: a short link, a remembered external short URL, an
import made by the CLI. Rate limits count across both. Nothing here is mocked in-process: the
external shortener is a fake HTTP service on 127.0.0.1 that the servers reach through the
``CABLESHARE_SHORTENER_API_URL`` hook of ``cableshare.shortlinks``.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import urlsplit

import pytest

from cableshare.parse import read_sources
from cableshare.store import Store
from tests.conftest import PG_SERVER
from tests.liveserver import AppServer, app_env, pg_reachable, reachable, run_cli
from webapp.extensions import load_sample_corpus

REDIS = ("127.0.0.1", 6379)
SHARE = "/api/v1/share?ref=07MOSCOW1143&par=5"


@pytest.fixture
def pg_seeded(pg_url) -> str:
    """The servers' database: a fresh schema holding the sample cable (seeded once, up front, so
    two servers booting together never race to seed it)."""
    if not pg_reachable(PG_SERVER):
        pytest.skip("PostgreSQL is not reachable")
    store = Store(pg_url)
    store.create_schema()
    load_sample_corpus(store)
    store.close()
    return pg_url


class FakeShortener:
    """TinyURL's API on 127.0.0.1: the n-th call answers ``https://tinyurl.com/fake<n>``."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.calls.append(self.path)
                body = f"https://tinyurl.com/fake{len(owner.calls)}".encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api-create.php"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def shortener() -> Iterator[FakeShortener]:
    with FakeShortener() as fake:
        yield fake


@pytest.fixture
def servers(pg_seeded, shortener) -> Iterator[tuple[AppServer, AppServer]]:
    env = app_env(pg_seeded, SHORTENER="tinyurl", CABLESHARE_SHORTENER_API_URL=shortener.url,
                  CABLESHARE_RATELIMIT_ENABLED="false")
    with ExitStack() as stack:
        yield stack.enter_context(AppServer(env)), stack.enter_context(AppServer(env))


def test_short_link_from_a_is_served_by_b(servers):
    a, b = servers
    answer = a.get(SHARE)
    assert answer.status == 200
    short = urlsplit(answer.json()["links"]["short"])
    assert short.path.startswith("/s/")
    redirect = b.get(short.path)
    assert redirect.status == 301
    assert redirect.headers["Location"].endswith("/cable/2007/03/07MOSCOW1143.html#par5")


def test_shortened_url_made_through_a_is_served_by_b(servers, shortener):
    a, b = servers
    first = a.get(SHARE + "&shorten=1")
    assert first.status == 200, a.output()
    assert first.json()["links"]["short"] == "https://tinyurl.com/fake1"
    assert len(shortener.calls) == 1
    # B has never called the service; a call now would answer fake2. fake1 can only come from the store.
    again = b.get(SHARE + "&shorten=1")
    assert again.json()["links"]["short"] == "https://tinyurl.com/fake1"
    assert len(shortener.calls) == 1


def test_cli_import_is_served_by_both(servers, pg_seeded, shared_dir):
    a, b = servers
    csv_file = shared_dir / "cables" / "csv" / "Embassy_Dublin.csv"
    if not csv_file.is_file():
        pytest.skip(f"{csv_file} is not present")
    refs = sorted(c.ref_id for c in read_sources([csv_file]) if hasattr(c, "ref_id"))
    assert refs
    assert b.get(f"/api/v1/cables/{refs[0]}").status == 404
    done = run_cli(app_env(pg_seeded), "cables", "import", str(csv_file))
    assert done.returncode == 0, done.stderr
    assert f"new: {len(refs)}," in done.stdout
    for server in (a, b):
        for ref in (refs[0], refs[-1]):
            answer = server.get(f"/api/v1/cables/{ref}")
            assert answer.status == 200
            assert answer.json()["ref_id"] == ref


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of this test's own in the shared Redis, deleted afterwards."""
    if not reachable(*REDIS):
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    import redis

    prefix = f"cableshare-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    client = redis.Redis(*REDIS)
    keys = list(client.scan_iter(match=f"*{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


def test_rate_limit_is_shared_through_redis(pg_seeded, redis_prefix):
    # A moving window: no window boundary can fall between the requests and reset the count.
    env = app_env(pg_seeded, RATELIMIT_STORAGE_URI=f"redis://{REDIS[0]}:{REDIS[1]}",
                  CABLESHARE_RATELIMIT_DEFAULT="3 per hour", CABLESHARE_RATELIMIT_STRATEGY="moving-window",
                  CABLESHARE_RATELIMIT_KEY_PREFIX=redis_prefix)
    with AppServer(env) as a, AppServer(env) as b:
        assert [a.get("/api/v1/cables/07MOSCOW1143").status for _ in range(3)] == [200, 200, 200]
        refused = b.get("/api/v1/cables/07MOSCOW1143")
        assert refused.status == 429, b.output()
        assert "Retry-After" in refused.headers
        assert a.get("/api/v1/cables/07MOSCOW1143").status == 429
