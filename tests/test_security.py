"""Security headers on every kind of response, CORS for safe methods only, secret key, rate limit."""

from __future__ import annotations

import pytest

from webapp.security import CSP

REF = "07MOSCOW1143"
EXPECTED = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), geolocation=(), microphone=(), payment=(), usb=()",
}


def test_csp_is_the_documented_policy():
    assert CSP == ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                   "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


@pytest.mark.parametrize(("method", "url", "status"), [
    ("GET", "/", 200),                                   # HTML
    ("GET", f"/api/v1/cables/{REF}", 200),               # JSON
    ("GET", f"/card/{REF}/par5.png", 200),               # PNG
    ("GET", "/api/v1/cables/99NOWHERE1", 404),           # JSON error
    ("GET", "/no/such/page", 404),                       # HTML error
    ("POST", "/api/v1/share/batch", 400),                # POST error
    ("OPTIONS", f"/api/v1/cables/{REF}", 200),           # preflight
])
def test_security_headers_everywhere(client, method, url, status):
    response = client.open(url, method=method)
    assert response.status_code == status
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, name


def test_security_headers_on_304(client):
    etag = client.get(f"/api/v1/cables/{REF}").headers["ETag"]
    response = client.get(f"/api/v1/cables/{REF}", headers={"If-None-Match": etag})
    assert response.status_code == 304
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, name


def test_embed_paths_may_be_framed_by_anyone(app):
    app.add_url_rule("/embed/<ref>/<n>", "embed_probe", lambda ref, n: "embedded")
    response = app.test_client().get(f"/embed/{REF}/5")
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("url", [f"/api/v1/cables/{REF}", "/api/v1/cables/99NOWHERE1",
                                 f"/api/v1/share?ref={REF}&par=5", "/api/v1/openapi.json"])
def test_cors_for_api_get(client, url):
    assert client.get(url).headers["Access-Control-Allow-Origin"] == "*"


def test_no_cors_for_post(client):
    response = client.post("/api/v1/share/batch", json={"items": []})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers


def test_preflight_for_get_only(client):
    ok = client.options(f"/api/v1/cables/{REF}", headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET"})
    assert ok.headers["Access-Control-Allow-Origin"] == "*"
    assert ok.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    post = client.options("/api/v1/share/batch", headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in post.headers


def test_no_cors_on_pages(client):
    assert "Access-Control-Allow-Origin" not in client.get("/").headers


def _make(sqlite_url, **config):
    from app import create_app

    return create_app({"DATABASE_URL": sqlite_url, "PUBLIC_BASE_URL": "https://cableshare.test",
                       **config})


def test_secret_key_required_outside_debug_and_testing(sqlite_url, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("CABLESHARE_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set.*token_hex"):
        _make(sqlite_url, SECRET_KEY=None, SECRET_KEY_FILE="")


def test_secret_key_read_from_the_key_file_make_run_writes(sqlite_url, monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("CABLESHARE_SECRET_KEY", raising=False)
    (tmp_path / "secret_key").write_text("from-the-file\n")
    app = _make(sqlite_url, SECRET_KEY=None, SECRET_KEY_FILE=str(tmp_path / "secret_key"))
    assert app.config["SECRET_KEY"] == "from-the-file"


def test_debug_refused_outside_flask_run(sqlite_url, monkeypatch):
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    with pytest.raises(RuntimeError, match="must never run in production"):
        _make(sqlite_url, SECRET_KEY="x", DEBUG=True)


def test_rate_limit_answers_429_with_retry_after(sqlite_url):
    app = _make(sqlite_url, TESTING=True, SECRET_KEY="x", RATELIMIT_ENABLED=True,
                RATELIMIT_DEFAULT="2 per minute")
    client = app.test_client()
    statuses = [client.get(f"/api/v1/cables/{REF}").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = client.get(f"/api/v1/cables/{REF}")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    error = response.get_json()["error"]
    assert error["code"] == "rate_limited" and "2 per 1 minute" in error["message"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
