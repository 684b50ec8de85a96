"""oEmbed for share and cable pages; discovery URLs; hostile input never breaks it."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from webapp.oembed import oembed_discovery_url

BASE = "https://cableshare.test"
REF = "07MOSCOW1143"
SHARE_URL = f"{BASE}/share/{REF}/5"


def test_rich_response_for_a_share_page(client):
    response = client.get("/oembed", query_string={"url": SHARE_URL, "format": "json"})
    assert response.status_code == 200
    data = response.get_json()
    assert data["version"] == "1.0" and data["type"] == "rich"
    assert data["provider_name"] == "cableshare" and data["provider_url"] == f"{BASE}/"
    assert data["title"].startswith(f"{REF} ¶5 — ")
    assert data["html"] and "<script" not in data["html"].lower()
    assert data["thumbnail_url"] == f"{BASE}/card/{REF}/par5.png"
    assert (data["thumbnail_width"], data["thumbnail_height"]) == (1200, 630)
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_cable_page_is_embeddable_too(client):
    response = client.get("/oembed", query_string={"url": f"{BASE}/cable/2007/03/{REF}.html"})
    assert response.status_code == 200
    assert response.get_json()["thumbnail_url"] == f"{BASE}/card/{REF}.png"


def test_maxwidth_and_maxheight_are_honoured(client):
    data = client.get("/oembed", query_string={
        "url": SHARE_URL, "maxwidth": "300", "maxheight": "200"}).get_json()
    assert data["width"] <= 300 and data["height"] <= 200
    assert "thumbnail_url" not in data  # the 1200×630 card would not fit


@pytest.mark.parametrize("url", [
    f"{BASE}/share/{REF}/<script>alert(1)</script>",
    f"{BASE}/share/{REF}/" + "9" * 5_000,
    f"{BASE}/share/\u202e{REF}/5",
    f"{BASE}/api/v1/cables/{REF}",
    f"javascript:alert(1)//{BASE}/share/{REF}/5",
    f"{BASE}.evil.example/share/{REF}/5",
])
def test_hostile_urls_are_a_clean_404(client, url):
    response = client.get("/oembed", query_string={"url": url})
    assert response.status_code == 404
    assert set(response.get_json()) == {"error"}


def test_discovery_url(app):
    with app.test_request_context():
        url = oembed_discovery_url(SHARE_URL)
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{BASE}/oembed"
    assert parse_qs(parts.query) == {"url": [SHARE_URL], "format": ["json"]}
