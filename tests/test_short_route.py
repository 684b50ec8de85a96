"""``/s/<code>``: every short link a share result hands out lands on its own paragraph, here."""

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
