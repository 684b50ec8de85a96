"""HTTP caching for answers that never change while the corpus stays the same.

Public API (the pages use it too)::

    conditional(payload, *parts) -> Response
        Turn ``payload`` (a Response, a dict/list for JSON, or str/HTML) into a cacheable response:
        strong ETag, ``Cache-Control: public, max-age=300, s-maxage=86400``, and a bare 304 when the
        request's If-None-Match already holds that ETag. Non-2xx responses pass through untouched.
    not_modified(*parts) -> Response | None
        The 304 to send *before* doing expensive work (rendering a card), or None to carry on.
    built(build, *parts, remember=True) -> Response
        ``conditional`` for a payload not built yet: the ETag comes first, so a 304 costs no build
        and a body is never labelled with a corpus version newer than the one it was read from
        (the version is read before the body, so an import in between can only make a body
        newer than its ETag, which the next revalidation corrects). The answer's bytes are kept
        in a per-worker LRU keyed by the ETag (``RESPONSE_CACHE_SIZE`` entries, 0 = off), so a
        release-day crowd asking for the same paragraphs costs one build per worker each.
    etag_for(*parts) -> str
        The ETag value (unquoted) for the current request and ``parts``.

The ETag is a hash of: the corpus version (``store.corpus_version()``, re-read at most once a
second per worker: ``corpus_version``), the code version (config
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
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from time import monotonic

from flask import Flask, Response, current_app, jsonify, make_response, request

from webapp.extensions import get_store

CACHE_CONTROL = "public, max-age=300, s-maxage=86400"

_ROOT = Path(__file__).resolve().parents[1]
_FINGERPRINTED = ("app.py", "cableshare", "webapp", "templates", "static")
_CACHE_KEY = "cableshare.responses"
DEFAULT_CACHE_SIZE = 512  # about 10 MB of share results per worker
DEFAULT_VERSION_TTL = 1.0
_VERSION_KEY = "cableshare.corpus_version"


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
    return _not_modified_for(etag_for(*parts))


def built(build: Callable[[], object], *parts: object, remember: bool = True) -> Response:
    """A cacheable response for ``build()``, built only when neither the client nor this worker
    already has this version (see the module docstring); ``remember=False`` for answers that
    depend on more than the ETag's inputs (an external service's reply)."""
    etag = etag_for(*parts)
    early = _not_modified_for(etag) if request.method in ("GET", "HEAD") else None
    if early is not None:
        return early
    cache = response_cache(current_app)
    kept = cache.get(etag) if remember else None
    if kept is not None:
        response = Response(kept[0], mimetype=kept[1])
    else:
        payload = build()
        response = jsonify(payload) if isinstance(payload, (dict, list)) else make_response(payload)
        if remember and 200 <= response.status_code < 300:
            cache.put(etag, (response.get_data(), response.mimetype))
    if 200 <= response.status_code < 300:
        _mark(response, etag)
    return response


class ResponseCache:
    """A small thread-safe LRU of (body, mimetype) by ETag; one per app, so per worker."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[str, tuple[bytes, str | None]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[bytes, str | None] | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key: str, item: tuple[bytes, str | None]) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = item
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


def response_cache(app: Flask) -> ResponseCache:
    """The app's response cache, made on first use (``RESPONSE_CACHE_SIZE``; 0 turns it off)."""
    cache = app.extensions.get(_CACHE_KEY)
    if cache is None:
        size = int(app.config.get("RESPONSE_CACHE_SIZE", DEFAULT_CACHE_SIZE))
        cache = app.extensions.setdefault(_CACHE_KEY, ResponseCache(size))
    return cache


def _not_modified_for(etag: str) -> Response | None:
    if not request.if_none_match or not request.if_none_match.contains_weak(etag):
        return None
    response = Response(status=304)
    _mark(response, etag)
    return response


def etag_for(*parts: object) -> str:
    """Hex digest over corpus version, code version, the request's path + query, and ``parts``."""
    version = current_app.config.get("APP_VERSION") or code_fingerprint()
    pieces = [str(corpus_version()), str(version), request.path,
              request.query_string.decode("latin-1"), *map(repr, parts)]
    return hashlib.blake2b("\x1f".join(pieces).encode(), digest_size=16).hexdigest()


def corpus_version() -> str:
    """The store's corpus version, read at most once per ``CORPUS_VERSION_TTL`` seconds (default
    1; 0 reads it on every request) by each worker. Every cacheable answer needs it, and reading
    it was most of a cached answer's cost on PostgreSQL (pool ping and query: two round trips,
    three before the store's reads ran in autocommit). The price: a worker may label answers with the previous version for up to that long
    after an import commits, which a CDN's ``s-maxage`` dwarfs anyway."""
    ttl = float(current_app.config.get("CORPUS_VERSION_TTL", DEFAULT_VERSION_TTL))
    if ttl <= 0:
        return get_store().corpus_version()
    kept = current_app.extensions.setdefault(_VERSION_KEY, {})
    now = monotonic()
    if "value" not in kept or now - kept["read_at"] >= ttl:
        kept.update(value=get_store().corpus_version(), read_at=now)
    return kept["value"]


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
