"""Strong ETags, a CDN-friendly Cache-Control, and 304 on revalidation."""

from __future__ import annotations

import pytest

from webapp import http_cache, share_page
from webapp.extensions import get_store
from webapp.http_cache import CACHE_CONTROL

REF = "07MOSCOW1143"
CACHED = [f"/api/v1/cables/{REF}", f"/api/v1/share?ref={REF}&par=5", f"/card/{REF}/par5.png",
          f"/card/{REF}.png", f"/share/{REF}/5", f"/share/{REF}/5?view=thread",
          f"/cable/2007/03/{REF}.html"]


@pytest.mark.parametrize("url", CACHED)
def test_strong_etag_and_304(client, url):
    first = client.get(url)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["Cache-Control"] == CACHE_CONTROL == "public, max-age=300, s-maxage=86400"
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == CACHE_CONTROL
    assert client.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200
    assert client.get(url, headers={"If-None-Match": "*"}).status_code == 304


def test_etag_depends_on_query(client):
    five = client.get(f"/api/v1/share?ref={REF}&par=5").headers["ETag"]
    six = client.get(f"/api/v1/share?ref={REF}&par=6").headers["ETag"]
    assert five != six


def test_new_corpus_version_changes_the_etag(app, client, monkeypatch):
    app.config["CORPUS_VERSION_TTL"] = 0  # read on every request
    url = f"/api/v1/cables/{REF}"
    before = client.get(url).headers["ETag"]
    with app.app_context():
        monkeypatch.setattr(get_store(), "corpus_version", lambda: "after-reimport")
    after = client.get(url, headers={"If-None-Match": before})
    assert after.status_code == 200 and after.headers["ETag"] != before


def test_corpus_version_is_read_once_per_ttl(app, client, monkeypatch):
    """The default: a worker re-reads the version once a second, not on every request."""
    clock, reads = [1000.0], []
    monkeypatch.setattr(http_cache, "monotonic", lambda: clock[0])
    with app.app_context():
        store = get_store()
        real = store.corpus_version
        monkeypatch.setattr(store, "corpus_version", lambda: reads.append(1) or real())
    url = f"/api/v1/cables/{REF}"
    before = client.get(url).headers["ETag"]
    assert [client.get(url).headers["ETag"] for _ in range(5)] == [before] * 5
    assert len(reads) == 1
    monkeypatch.setattr(store, "corpus_version", lambda: reads.append(1) or "after-reimport")
    clock[0] += 0.5
    assert client.get(url).headers["ETag"] == before and len(reads) == 1
    clock[0] += 0.6  # past DEFAULT_VERSION_TTL (1 s) since the first read
    assert client.get(url).headers["ETag"] != before and len(reads) == 2


def test_code_version_is_part_of_the_etag(app, client):
    url = f"/api/v1/cables/{REF}"
    before = client.get(url).headers["ETag"]
    app.config["APP_VERSION"] = "next-deploy"
    assert client.get(url).headers["ETag"] != before


def test_errors_are_not_cached(client):
    response = client.get("/api/v1/cables/99NOWHERE1")
    assert response.status_code == 404
    assert "ETag" not in response.headers and "Cache-Control" not in response.headers


@pytest.mark.parametrize("url", [f"/share/{REF}/5", f"/api/v1/share?ref={REF}&par=5"])
def test_revalidation_and_repeats_cost_no_build(client, monkeypatch, url):
    """A 304 is answered before the share is built; a repeat is served from the worker's copy."""
    import webapp.api

    calls = []
    for module in (share_page, webapp.api):
        real = module.build_share
        monkeypatch.setattr(module, "build_share",
                            lambda *a, real=real, **k: calls.append(a) or real(*a, **k))
    first = client.get(url)
    assert first.status_code == 200 and len(calls) == 1
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    repeat = client.get(url)
    assert repeat.status_code == 200 and repeat.data == first.data
    assert repeat.headers["Content-Type"] == first.headers["Content-Type"]
    assert len(calls) == 1
