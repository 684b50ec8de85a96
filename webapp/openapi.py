"""The OpenAPI 3.1 document served at ``/api/v1/openapi.json``; a test keeps it equal to the routes.

Written as data so it can be checked: ``tests/test_api.py`` compares its paths with the URL map and
``tests/test_schemathesis.py`` checks that the answers conform to it.
"""

from __future__ import annotations

API = "/api/v1"
MAX_BATCH = 100


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _ok(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def _query(name: str, description: str, schema: dict | None = None, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": schema or {"type": "string"}}


#: A required text parameter: something other than blanks.
TEXT = {"type": "string", "minLength": 1, "pattern": r"\S"}

COMMON = {
    "405": _error("Method not allowed; the Allow header lists the methods this path has."),
    "414": _error("The query string is over the limit (MAX_QUERY_STRING_BYTES, 16 KB by default)."),
    "429": _error("Rate limit exceeded; see Retry-After."),
}
#: Every operation that reads the corpus: the database is down or unreachable (fails fast).
UNAVAILABLE = {"503": _error("The database is unavailable; retry shortly.")}
CACHED = {"304": {"description": "Not modified: the If-None-Match ETag is still current."}}

SHARE_PARAMS = [
    _query("ref", "A cable reference as written anywhere (07MOSCOW1143, 07 MOSCOW 1143, a URL).",
           TEXT, required=True),
    _query("par", "Paragraph number (5) or anchor (par5); omit to share the whole cable."),
    _query("quote", "An excerpt of the paragraph to quote instead of the whole paragraph."),
    _query("hashtags", "Extra hashtags, comma-separated, without #."),
    _query("instance", "A Mastodon instance host for the Mastodon share link (mastodon.social)."),
    _query("shorten", "1 to shorten the links with the configured shortener.",
           {"type": "string", "enum": ["0", "1"]}),
]

SCHEMAS: dict = {
    "Error": {
        "type": "object", "required": ["error"], "additionalProperties": False,
        "properties": {"error": {
            "type": "object", "required": ["code", "message"], "additionalProperties": False,
            "properties": {
                "code": {"type": "string"}, "message": {"type": "string"},
                "suggestions": {"type": "array", "items": {"type": "string"}},
            },
        }},
    },
    "Paragraph": {
        "type": "object", "required": ["number", "anchor", "text"],
        "properties": {"number": {"type": "string"}, "anchor": {"type": "string"},
                       "text": {"type": "string"}, "marking": {"type": ["string", "null"]},
                       "heading": {"type": ["string", "null"]}},
    },
    "Cable": {
        "type": "object",
        "required": ["ref_id", "created", "classification", "origin", "subject", "paragraphs"],
        "properties": {
            "ref_id": {"type": "string"}, "created": {"type": "string"},
            "released": {"type": ["string", "null"]}, "classification": {"type": "string"},
            "origin": {"type": "string"}, "subject": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "references": {"type": "array", "items": {"type": "string"}},
            "header": {"type": "string"}, "body": {"type": "string"},
            "paragraphs": {"type": "array", "items": _ref("Paragraph")},
        },
    },
    "ShareResult": {"type": "object", "description": "ShareResult.to_dict() of cableshare.share."},
    "BatchRequest": {
        "type": "object", "required": ["items"],
        "properties": {"items": {"type": "array", "maxItems": MAX_BATCH, "items": {
            "type": "object", "required": ["ref"],
            "properties": {"ref": {"type": "string"},
                           "par": {"type": ["string", "integer", "null"]},
                           "quote": {"type": ["string", "null"]}},
        }}},
    },
    "BatchResponse": {
        "type": "object", "required": ["results"],
        "properties": {"results": {"type": "array", "items": {
            "description": "A share result, or an error object in the place of the failed item.",
            "oneOf": [_ref("Error"), {"allOf": [_ref("ShareResult"), {"not": {"required": ["error"]}}]}],
        }}},
    },
    "Links": {
        "type": "object", "required": ["cable", "api"],
        "properties": {"cable": {"type": "string"}, "paragraph": {"type": ["string", "null"]},
                       "share": {"type": ["string", "null"]}, "api": {"type": "string"},
                       "card": {"type": "string"}},
    },
    "Resolution": {
        "type": "object", "required": ["ref_id", "paragraph", "links"],
        "properties": {
            "ref_id": {"type": "string"},
            "paragraph": {"oneOf": [{"type": "null"}, {
                "type": "object", "required": ["number", "anchor"],
                "properties": {"number": {"type": "string"}, "anchor": {"type": "string"}}}]},
            "links": _ref("Links"),
        },
    },
    "SearchHit": {
        "type": "object",
        "required": ["ref_id", "created", "origin", "subject", "number", "anchor", "highlight",
                     "fragments", "links"],
        "properties": {
            "ref_id": {"type": "string"}, "created": {"type": "string"},
            "origin": {"type": "string"}, "subject": {"type": "string"},
            "number": {"type": "string"}, "anchor": {"type": "string"},
            "highlight": {"type": "string", "description": "HTML-escaped text, <mark> on matches."},
            "fragments": {"type": "array", "items": {
                "type": "object", "required": ["text", "match"],
                "properties": {"text": {"type": "string"}, "match": {"type": "boolean"}}}},
            "links": _ref("Links"),
        },
    },
    "SearchPage": {
        "type": "object", "required": ["query", "page", "per_page", "total", "next", "hits"],
        "properties": {
            "query": {"type": "string"}, "page": {"type": "integer"},
            "per_page": {"type": "integer"}, "total": {"type": "integer"},
            "next": {"type": ["string", "null"]},
            "hits": {"type": "array", "items": _ref("SearchHit")},
        },
    },
}


def _get(summary: str, params: list, ok: dict, errors: dict, cached: bool = False) -> dict:
    return {"get": {"summary": summary, "parameters": params,
                    "responses": {"200": ok, **(CACHED if cached else {}), **errors, **UNAVAILABLE,
                                  **COMMON}}}


PATHS: dict = {
    f"{API}/cables/{{ref}}": _get(
        "One cable with all its paragraphs.",
        [{"name": "ref", "in": "path", "required": True, "schema": {"type": "string"}}],
        _ok("Cable", "The cable."),
        {"400": _error("Not a cable reference."),
         "404": _error("Unknown cable; suggestions name close references.")}, cached=True),
    f"{API}/share": _get(
        "Share texts and links for a cable or one of its paragraphs.", SHARE_PARAMS,
        _ok("ShareResult", "The share result."),
        {"400": _error("Missing or malformed parameter."),
         "404": _error("Unknown cable or paragraph."),
         "422": _error("The quote is not in the paragraph.")}, cached=True),
    f"{API}/share/batch": {"post": {
        "summary": f"Up to {MAX_BATCH} shares at once; each item gets a result or an error in place.",
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": _ref("BatchRequest")}}},
        "responses": {"200": _ok("BatchResponse", "One entry per item, in order."),
                      "400": _error("The body is not JSON."),
                      "413": _error("The body is over the size limit."),
                      "422": _error("JSON of the wrong shape, or too many items."), **UNAVAILABLE,
                      **COMMON},
    }},
    f"{API}/resolve": _get(
        "Find the cable (and paragraph) a piece of text refers to.",
        [_query("q", "Text naming a cable: 07MOSCOW1143, 07 MOSCOW 1143 ¶5, a cable URL.",
                TEXT, required=True)],
        _ok("Resolution", "The cable and paragraph found, with canonical links."),
        {"400": _error("Missing q or no reference in it."),
         "404": _error("Unknown cable or paragraph; suggestions where there are close ones.")}),
    f"{API}/search": _get(
        "Full-text search over paragraphs, paginated.",
        [_query("q", "Words to find.", TEXT, required=True),
         _query("page", "Page number, from 1.", {"type": "integer", "minimum": 1})],
        _ok("SearchPage", "One page of hits."),
        {"400": _error("Missing q or a bad page number.")}),
    f"{API}/openapi.json": {"get": {
        "summary": "This document.",
        "responses": {"200": {"description": "OpenAPI 3.1",
                              "content": {"application/json": {"schema": {"type": "object"}}}},
                      **COMMON}}},
}

DOCUMENT: dict = {
    "openapi": "3.1.0",
    "info": {"title": "cableshare API", "version": "1.0.0",
             "description": "Cite and share paragraphs of the Cablegate cables. Every error "
                            "answers the Error schema. GET answers allow any origin (CORS)."},
    "paths": PATHS,
    "components": {"schemas": SCHEMAS},
}
