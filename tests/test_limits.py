"""Request limits: oversize bodies, oversize batches, absurd query strings and path traversal all
answer a clean 4xx (JSON error shape under the API, the HTML error page elsewhere), never a 500.

``test_error_shape.py`` already checks one oversize batch body and one 101-item batch; this module
covers every way in that takes a body or a long string, and the paths that try to climb out.
"""

from __future__ import annotations

import json

import pytest

REF = "07MOSCOW1143"
BIG_Q = "x" * 100_000
LIMIT = 256 * 1024  # the app's MAX_CONTENT_LENGTH


def assert_json_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert set(error) <= {"code", "message", "suggestions"} and error["message"]
    if code:
        assert error["code"] == code
    assert "Traceback" not in response.get_data(as_text=True)
    return error


def assert_clean_page(response, statuses: tuple[int, ...]) -> None:
    assert response.status_code in statuses, response.status_code
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "root:" not in body  # no /etc/passwd, no stack


@pytest.mark.parametrize("body", [
    b"{" + b" " * LIMIT + b"}",                                     # just over, valid-ish JSON
    json.dumps({"items": [{"ref": REF, "quote": "q" * LIMIT}]}).encode(),
    b"\x00" * (LIMIT + 1),                                           # binary garbage
])
def test_oversize_batch_body_is_413_json(client, body):
    response = client.post("/api/v1/share/batch", data=body, content_type="application/json")
    error = assert_json_error(response, 413, "payload_too_large")
    assert str(LIMIT) in error["message"]


def test_oversize_body_on_any_api_route_is_413_json(client):
    response = client.post("/api/v1/share", data=b"x" * (LIMIT + 1), content_type="text/plain")
    assert response.status_code in (405, 413)  # GET-only route: refused either way, as JSON
    assert_json_error(response, response.status_code)


def test_oversize_bulk_form_is_413_page(client):
    response = client.post("/bulk", data={"text": "07MOSCOW1143 " * 30_000})
    assert_clean_page(response, (413,))
    assert response.mimetype == "text/html"


def test_body_just_under_the_limit_is_served(client):
    padding = " " * (LIMIT - 200)
    body = (json.dumps({"items": [{"ref": REF, "par": "5"}]})[:-1] + padding + "}").encode()
    assert len(body) < LIMIT
    response = client.post("/api/v1/share/batch", data=body, content_type="application/json")
    assert response.status_code == 200 and len(response.get_json()["results"]) == 1


@pytest.mark.parametrize("count, status", [(100, 200), (101, 422), (5_000, 422)])
def test_batch_item_count(client, count, status):
    response = client.post("/api/v1/share/batch", json={"items": [{"ref": REF, "par": 5}] * count})
    assert response.status_code == status
    if status == 422:
        error = assert_json_error(response, 422, "too_many_items")
        assert "at most 100 items" in error["message"] and str(count) in error["message"]
    else:
        assert len(response.get_json()["results"]) == count


@pytest.mark.parametrize("url", [
    f"/api/v1/search?q={BIG_Q}", f"/api/v1/resolve?q={BIG_Q}", f"/api/v1/share?ref={BIG_Q}",
    f"/api/v1/share?ref={REF}&par=5&quote={BIG_Q}", f"/api/v1/share?ref={REF}&hashtags={BIG_Q}",
    f"/oembed?url={BIG_Q}", f"/api/v1/cables/{REF}?{BIG_Q}",
])
def test_100kb_query_string_is_414_json(client, url):
    error = assert_json_error(client.get(url), 414, "uri_too_long")
    assert "16384" in error["message"]


@pytest.mark.parametrize("url", [f"/search?q={BIG_Q}", f"/go?q={BIG_Q}", f"/?{BIG_Q}",
                                 f"/share/{REF}/5?quote={BIG_Q}"])
def test_100kb_query_string_on_pages_is_414_page(client, url):
    response = client.get(url)
    assert_clean_page(response, (414,))
    assert response.mimetype == "text/html" and "414" in response.get_data(as_text=True)


@pytest.mark.parametrize("url, status", [
    (f"/api/v1/search?q={'x' * 2000}", 200),     # long but under the limit: served
    (f"/api/v1/resolve?q={'x' * 3000}", 400),    # the resolver's own 2,000-character limit
    (f"/search?q={'x' * 3000}", 200),
    (f"/go?q={'x' * 3000}", 400),
])
def test_long_query_under_the_limit_is_judged_by_the_view(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert "Traceback" not in response.get_data(as_text=True)


def test_query_limit_is_configurable(app):
    app.config["MAX_QUERY_STRING_BYTES"] = 100
    client = app.test_client()
    assert client.get("/api/v1/search?q=" + "a" * 90).status_code == 200
    error = assert_json_error(client.get("/api/v1/search?q=" + "a" * 101), 414)
    assert "100 bytes" in error["message"]


TRAVERSALS = [
    "/cable/../../etc/passwd", "/cable/%2e%2e/%2e%2e/etc/passwd", "/cable/..%2f..%2fetc%2fpasswd",
    "/cable/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/cable/2007/03/..%2f..%2fetc%2fpasswd.html",
    "/cable/2007/03/%2e%2e.html", "/cable/..%5c..%5cetc%5cpasswd", "/cable/%252e%252e%252fetc",
    "/share/..%2f..%2fetc%2fpasswd/5", "/share/%2e%2e/%2e%2e", "/card/..%2f..%2fetc%2fpasswd.png",
    "/card/%2e%2e/passwd.png", "/s/..%2f..%2fetc", "/static/../app.py", "/static/%2e%2e/app.py",
    "/static/..%2fapp.py", "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/cable/%00", "/share/%00/1",
]


@pytest.mark.parametrize("url", TRAVERSALS)
def test_path_traversal_on_pages_is_a_clean_4xx(client, url):
    response = client.get(url)
    assert_clean_page(response, (400, 404))
    assert "create_app" not in response.get_data(as_text=True)  # app.py never served


@pytest.mark.parametrize("url", [
    "/api/v1/cables/..%2f..%2fetc%2fpasswd", "/api/v1/cables/%2e%2e", "/api/v1/cables/..",
    "/api/v1/cables/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/api/v1/../../etc/passwd",
    "/api/v1/share?ref=../../etc/passwd&par=1", "/api/v1/resolve?q=%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/api/v1/cables/%00", "/oembed?url=https://cableshare.test/cable/..%2f..%2fetc%2fpasswd",
    "/oembed?url=file:///etc/passwd",
])
def test_path_traversal_in_the_api_is_a_clean_4xx_json(client, url):
    response = client.get(url)
    assert 400 <= response.status_code < 500
    assert_json_error(response, response.status_code)
    assert "root:" not in response.get_data(as_text=True)
