"""Every error answers one JSON shape with a message that says what was wrong (table-driven)."""

from __future__ import annotations

import json

import pytest

REF = "07MOSCOW1143"
CARD_OK = f"https://cableshare.test/share/{REF}/5"

CASES = [
    # method, url, json body (or raw bytes), status, message fragment
    ("GET", "/api/v1/cables/99NOWHERE1", None, 404, "99NOWHERE1"),
    ("GET", "/api/v1/share", None, 400, "'ref' is required"),
    ("GET", "/api/v1/share?ref=%20", None, 400, "'ref' is required"),
    ("GET", f"/api/v1/share?ref={REF}&par=999", None, 404, "999"),
    ("GET", "/api/v1/share?ref=99NOWHERE1&par=1", None, 404, "99NOWHERE1"),
    ("GET", "/api/v1/resolve", None, 400, "'q' is required"),
    ("GET", "/api/v1/search", None, 400, "'q' is required"),
    ("GET", "/api/v1/search?q=titov&page=0", None, 400, "page must be a whole number"),
    ("GET", "/api/v1/search?q=titov&page=abc", None, 400, "'abc'"),
    ("GET", "/api/v1/search?q=titov&page=%C2%B2", None, 400, "page must be a whole number"),
    ("GET", "/api/v1/no-such-route", None, 404, "/api/v1/no-such-route"),
    ("DELETE", f"/api/v1/cables/{REF}", None, 405, "use GET"),
    ("GET", "/api/v1/share/batch", None, 405, "use POST"),
    ("POST", "/api/v1/share/batch", b"{not json", 400, "must be JSON"),
    ("POST", "/api/v1/share/batch", {"items": "x"}, 422, 'list "items"'),
    ("POST", "/api/v1/share/batch", [1, 2], 422, 'list "items"'),
    ("POST", "/api/v1/share/batch", {"items": [{"ref": REF}] * 101}, 422, "at most 100 items"),
    ("POST", "/api/v1/share/batch", {"items": [{"par": 1}]}, 422, "items[0]"),
    ("POST", "/api/v1/share/batch", {"items": [{"ref": REF, "par": True}]}, 422, '"par"'),
    ("POST", "/api/v1/share/batch", b'{"items": ["' + b"x" * 300_000 + b'"]}', 413, "bytes"),
    ("GET", f"/oembed?url={CARD_OK}&format=xml", None, 501, "format=json"),
    ("GET", "/oembed", None, 400, "'url' is required"),
    ("GET", f"/oembed?url=https://evil.example/share/{REF}/5", None, 404, "Only pages of"),
    ("GET", "/oembed?url=https://cableshare.test/share/99NOWHERE1/1", None, 404, "99NOWHERE1"),
    ("GET", f"/oembed?url={CARD_OK}&maxwidth=-3", None, 400, "maxwidth"),
]


@pytest.mark.parametrize(("method", "url", "body", "status", "fragment"), CASES,
                         ids=[f"{c[0]} {c[1][:60]} {c[3]}" for c in CASES])
def test_error_shape(client, method, url, body, status, fragment):
    data = body if isinstance(body, bytes) else None if body is None else json.dumps(body)
    response = client.open(url, method=method, data=data, content_type="application/json")
    assert response.status_code == status
    assert response.mimetype == "application/json"
    payload = response.get_json()
    assert set(payload) == {"error"}
    error = payload["error"]
    assert set(error) <= {"code", "message", "suggestions"}
    assert isinstance(error["code"], str) and error["code"]
    assert fragment in error["message"]
    assert all(isinstance(s, str) for s in error.get("suggestions", []))
    assert "Traceback" not in response.get_data(as_text=True)


def test_method_not_allowed_lists_allowed_methods(client):
    response = client.delete("/api/v1/cables/07MOSCOW1143")
    assert "GET" in response.headers["Allow"]


def test_real_500_is_the_same_shape_without_traceback(app):
    def boom():
        raise ValueError("secret internals")

    app.add_url_rule("/api/v1/boom", "boom", boom)
    app.add_url_rule("/boom", "boom_page", boom)
    client = app.test_client()
    response = client.get("/api/v1/boom")
    assert response.status_code == 500
    assert response.get_json() == {"error": {
        "code": "internal_error", "message": "Something went wrong on our side; it has been logged."}}
    page = client.get("/boom")
    assert page.status_code == 500 and page.mimetype == "text/html"
    assert "secret internals" not in page.get_data(as_text=True)
    assert "Traceback" not in page.get_data(as_text=True)


def test_html_error_page_outside_the_api(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "404" in response.get_data(as_text=True)


def test_batch_answers_each_item_in_place(client):
    response = client.post("/api/v1/share/batch", json={"items": [
        {"ref": "07MOSCOW1143", "par": "5"}, {"ref": "99NOWHERE1"}, {"ref": "07MOSCOW1143", "par": 999}]})
    assert response.status_code == 200
    first, missing, bad_par = response.get_json()["results"]
    assert "error" not in first
    assert set(missing) == {"error"} and "99NOWHERE1" in missing["error"]["message"]
    assert set(bad_par) == {"error"} and "999" in bad_par["error"]["message"]
