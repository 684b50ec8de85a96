"""The JSON API's routes: happy paths, pagination, highlight escaping, and docs equal to the code."""

from __future__ import annotations

import re

REF = "07MOSCOW1143"
BASE = "https://cableshare.test"


def test_cable(client):
    response = client.get(f"/api/v1/cables/{REF}")
    assert response.status_code == 200
    data = response.get_json()
    assert data["ref_id"] == REF and data["origin"] == "Embassy Moscow"
    assert any(p["number"] == "5" for p in data["paragraphs"])


def test_share(client):
    response = client.get("/api/v1/share", query_string={"ref": REF, "par": "5"})
    assert response.status_code == 200
    assert REF in response.get_data(as_text=True)


def test_batch(client):
    items = [{"ref": REF, "par": str(n)} for n in range(1, 6)] + [{"ref": REF, "par": 5}]
    response = client.post("/api/v1/share/batch", json={"items": items})
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert len(results) == 6 and not any("error" in r for r in results)


def test_batch_of_exactly_100_is_allowed(client):
    response = client.post("/api/v1/share/batch", json={"items": [{"ref": REF, "par": "1"}] * 100})
    assert response.status_code == 200 and len(response.get_json()["results"]) == 100


def test_resolve(client):
    data = client.get("/api/v1/resolve", query_string={"q": REF.lower()}).get_json()
    assert data["ref_id"] == REF and data["paragraph"] is None
    assert data["links"]["api"] == f"{BASE}/api/v1/cables/{REF}"
    assert data["links"]["card"] == f"{BASE}/card/{REF}.png"


def test_search_highlight_and_fragments(client):
    data = client.get("/api/v1/search", query_string={"q": "Titov"}).get_json()
    assert data["total"] >= 1 and data["page"] == 1
    hit = data["hits"][0]
    assert "<mark>" in hit["highlight"].lower()
    assert any(f["match"] for f in hit["fragments"])
    plain = re.sub(r"</?mark>", "", hit["highlight"])
    assert "<" not in plain  # everything else escaped
    assert hit["links"]["share"] == f"{BASE}/share/{REF}/{hit['anchor']}"
    assert hit["links"]["paragraph"] == f"{BASE}/cable/2007/03/{REF}.html#{hit['anchor']}"


def test_search_pagination(client):
    first = client.get("/api/v1/search", query_string={"q": "Titov"}).get_json()
    if first["total"] <= first["per_page"]:
        assert first["next"] is None
        return
    assert first["next"].startswith(f"{BASE}/api/v1/search?")
    second = client.get(first["next"].removeprefix(BASE)).get_json()
    assert second["page"] == 2


def test_search_escapes_hostile_text(client):
    data = client.get("/api/v1/search", query_string={"q": "<script>alert(1)</script>"}).get_json()
    for hit in data["hits"]:
        assert "<script" not in hit["highlight"].lower()


def test_openapi_document_describes_exactly_the_routes(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    documented = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    routed = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method)
        for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert documented == routed


def test_every_documented_error_uses_the_error_schema(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    for ops in doc["paths"].values():
        for op in ops.values():
            for status, response in op["responses"].items():
                if status[0] in "45":
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}


def test_links_point_at_real_routes(app):
    from datetime import datetime

    from webapp import links

    with app.test_request_context():
        target = links.for_target(REF, datetime(2007, 3, 16), "par5")
    adapter = app.url_map.bind("cableshare.test")
    expected = {"cable": "pages.cable", "share": "pages.share", "api": "api.cable",
                "card": "previews.card"}
    for key, endpoint in expected.items():
        assert adapter.match(target[key].removeprefix(BASE))[0] == endpoint, key
