"""Every link cableshare hands out resolves here: short links, paragraph anchors, text fragments."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

REF = "07MOSCOW1143"


def short_path(client, par: str | None) -> str:
    query = {"ref": REF, **({"par": par} if par else {})}
    share = client.get("/api/v1/share", query_string=query).get_json()
    url = urlsplit(share["links"]["short"])
    assert f"{url.scheme}://{url.netloc}" == "https://cableshare.test"
    return url.path


@pytest.mark.parametrize("par", ["1", "5", "14"])
def test_paragraph_short_link_redirects_to_its_anchor(client, par):
    response = client.get(short_path(client, par))
    assert response.status_code == 301
    assert response.headers["Location"] == f"/cable/2007/03/{REF}.html#par{par}"
    assert client.get(response.headers["Location"].split("#")[0]).status_code == 200


def test_cable_short_link_redirects_to_the_cable(client):
    response = client.get(short_path(client, None))
    assert response.status_code == 301
    assert response.headers["Location"] == f"/cable/2007/03/{REF}.html"


@pytest.mark.parametrize("code", ["zzzzzzzzz", "a" * 500, "..%2f..%2fetc", "<script>"])
def test_unknown_code_is_a_404_page_never_a_redirect(client, code):
    response = client.get(f"/s/{code}")
    assert response.status_code == 404
    assert "Location" not in response.headers
    assert b"<script>" not in response.data


def own_urls(value: object) -> set[str]:
    """Every URL on this deployment anywhere in a share result (links, posts, embeds, intents)."""
    if isinstance(value, dict):
        return set().union(*(own_urls(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(own_urls(v) for v in value)) if value else set()
    if isinstance(value, str) and value.startswith("https://cableshare.test/"):
        return {value.split()[0]}
    return set()


def test_every_own_link_in_every_share_result_resolves(client):
    cable = client.get(f"/api/v1/cables/{REF}").get_json()
    urls: set[str] = set()
    for par in [None] + [p["anchor"] for p in cable["paragraphs"]]:
        query = {"ref": REF, **({"par": par} if par else {})}
        urls |= own_urls(client.get("/api/v1/share", query_string=query).get_json()["links"])
    assert len(urls) > 2 * len(cable["paragraphs"])
    for url in sorted(urls):
        parts = urlsplit(url)
        response = client.get(parts.path, query_string=parts.query)
        if response.status_code == 301:
            response = client.get(response.headers["Location"].split("#")[0])
        assert response.status_code == 200, url
        anchor = (response.request.path, parts.fragment.split(":~:")[0])
        if anchor[1] and response.mimetype == "text/html":
            assert f'id="{anchor[1]}"'.encode() in response.data, url
