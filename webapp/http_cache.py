"""HTTP caching for answers that never change while the corpus stays the same.

Public API (the pages use it too)::

    conditional(payload, *parts) -> Response
        Turn ``payload`` (a Response, a dict/list for JSON, or str/HTML) into a cacheable response:
        strong ETag, ``Cache-Control: public, max-age=300, s-maxage=86400``, and a bare 304 when the
        request's If-None-Match already holds that ETag. Non-2xx responses pass through untouched.
    not_modified(*parts) -> Response | None
        The 304 to send *before* doing expensive work (rendering a card), or None to carry on.
    etag_for(*parts) -> str
        The ETag value (unquoted) for the current request and ``parts``.

The ETag is a hash of: the corpus version (``store.corpus_version()``), the code version (config
``APP_VERSION``, else a fingerprint of the app's source, templates and static files, so a deploy
that changes rendering changes every ETag), the request path and query string, and ``parts``
(anything else the representation depends on). No body is hashed, so a 304 costs no rendering.

Why these lifetimes: a browser may reuse an answer for 5 minutes and then revalidates (a cheap
304); a shared cache (CDN) keeps it for a day. A re-import changes ``corpus_version`` and so every
ETag; purge the CDN after a re-import if a day of lag is too much.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from flask import Response, current_app, jsonify, make_response, request

from webapp.extensions import get_store

CACHE_CONTROL = "public, max-age=300, s-maxage=86400"

_ROOT = Path(__file__).resolve().parents[1]
_FINGERPRINTED = ("app.py", "cableshare", "webapp", "templates", "static")


def conditional(payload: object, *parts: object) -> Response:
    """A cacheable response for ``payload``, or a 304 when the client already has this version."""
    early = not_modified(*parts)
    if early is not None:
        return early
    response = jsonify(payload) if isinstance(payload, (dict, list)) else make_response(payload)
    if 200 <= response.status_code < 300:
        _mark(response, etag_for(*parts))
    return response


def not_modified(*parts: object) -> Response | None:
    """A bare 304 if If-None-Match matches (GET/HEAD only), else None; check before costly work."""
    if request.method not in ("GET", "HEAD") or not request.if_none_match:
        return None
    etag = etag_for(*parts)
    if not request.if_none_match.contains_weak(etag):
        return None
    response = Response(status=304)
    _mark(response, etag)
    return response


def etag_for(*parts: object) -> str:
    """Hex digest over corpus version, code version, the request's path + query, and ``parts``."""
    version = current_app.config.get("APP_VERSION") or code_fingerprint()
    pieces = [str(get_store().corpus_version()), str(version), request.path,
              request.query_string.decode("latin-1"), *map(repr, parts)]
    return hashlib.blake2b("\x1f".join(pieces).encode(), digest_size=16).hexdigest()


@functools.cache
def code_fingerprint() -> str:
    """Hash of every source, template and static file: identical on every server of one deploy."""
    digest = hashlib.blake2b(digest_size=8)
    for name in _FINGERPRINTED:
        path = _ROOT / name
        files = [path] if path.is_file() else sorted(path.rglob("*"))
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                digest.update(file.relative_to(_ROOT).as_posix().encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


def _mark(response: Response, etag: str) -> None:
    response.set_etag(etag)  # strong: the bytes are identical for identical inputs
    response.headers["Cache-Control"] = CACHE_CONTROL
