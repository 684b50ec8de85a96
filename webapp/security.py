"""Security headers on every response, CORS for the read-only API, the secret-key guard, rate limits,
and the query-string length limit (the body's is Flask's ``MAX_CONTENT_LENGTH``).

What may be framed: only ``/embed/…`` (the oEmbed iframe target, if the pages serve one) gets
``frame-ancestors *`` and no X-Frame-Options; everything else refuses framing (``'none'`` +
``DENY``), which keeps share pages safe from click-jacking.

The rate limiter is module-level so views can decorate routes (``@limiter.limit("10 per minute")``).
Its storage is ``RATELIMIT_STORAGE_URI`` (``memory://`` per process; ``redis://…`` shares the counts
between app servers); the default limit is read per request from ``RATELIMIT_DEFAULT``. Behind a
reverse proxy, wrap the app in ``werkzeug.middleware.proxy_fix.ProxyFix`` so limits are per client.
"""

from __future__ import annotations

import os

from flask import Flask, Response, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import RequestURITooLarge

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
EMBED_CSP = CSP.replace("frame-ancestors 'none'", "frame-ancestors *")
EMBEDDABLE_PREFIXES = ("/embed/",)

#: Set on every response; CSP and X-Frame-Options depend on the path (see ``_frame_headers``).
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # The app never reads Referer; sending none keeps which cable a reader opened to ourselves.
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), geolocation=(), microphone=(), payment=(), usb=()",
}

#: Paths whose GET answers any origin may read (the API and oEmbed hold only public data).
CORS_PREFIXES = ("/api/", "/oembed")
CORS_SAFE_METHODS = ("GET", "HEAD")
#: Longest query string served (``MAX_QUERY_STRING_BYTES`` overrides): a quote of a long paragraph
#: fits; a 100 KB ``q`` is a 414 before any view parses it. gunicorn's own request-line limit is lower.
MAX_QUERY_STRING = 16 * 1024

limiter = Limiter(
    get_remote_address,
    default_limits=[lambda: current_app.config.get("RATELIMIT_DEFAULT", "120 per minute")],
    default_limits_exempt_when=lambda: request.endpoint == "static",
    headers_enabled=True,  # X-RateLimit-* and, on a 429, Retry-After
)


def require_secret_key(app: Flask) -> None:
    """Refuse to start without a real SECRET_KEY, and refuse debug mode outside ``flask run``."""
    if app.testing:
        return
    if app.debug and os.environ.get("FLASK_RUN_FROM_CLI") != "true":
        raise RuntimeError(
            "Debug mode is on outside `flask run` (FLASK_DEBUG or CABLESHARE_DEBUG is set). "
            "Debug mode shows tracebacks and must never run in production; unset it."
        )
    if not app.debug and not app.config.get("SECRET_KEY"):
        raise RuntimeError(
            "SECRET_KEY is not set. Set the SECRET_KEY (or CABLESHARE_SECRET_KEY) environment "
            "variable to a long random value, for example the output of "
            "`python -c 'import secrets; print(secrets.token_hex(32))'`. "
            "`make run` creates one in instance/secret_key."
        )


def init_app(app: Flask) -> None:
    """Start the rate limiter and add the headers to every response, errors and 304s included."""
    limiter.init_app(app)
    app.before_request(refuse_long_query_string)
    app.after_request(add_headers)


def query_string_limit() -> int:
    return int(current_app.config.get("MAX_QUERY_STRING_BYTES") or MAX_QUERY_STRING)


def refuse_long_query_string() -> None:
    """414 (in the one error shape) for a query string over the limit, before the view runs."""
    if len(request.query_string) > query_string_limit():
        raise RequestURITooLarge()


def add_headers(response: Response) -> Response:
    """Security headers for every response; CORS for safe methods on the public read-only paths."""
    response.headers.update(HEADERS)
    embeddable = request.path.startswith(EMBEDDABLE_PREFIXES)
    response.headers["Content-Security-Policy"] = EMBED_CSP if embeddable else CSP
    if embeddable:
        response.headers.pop("X-Frame-Options", None)  # it has no "anyone" value; CSP rules
    else:
        response.headers["X-Frame-Options"] = "DENY"
    if request.path.startswith(CORS_PREFIXES):
        _add_cors(response)
    return response


def _add_cors(response: Response) -> None:
    """``*`` for GET/HEAD and their preflight; never for POST, so the batch stays same-origin."""
    if request.method in CORS_SAFE_METHODS:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = (
            "ETag, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset")
    elif request.method == "OPTIONS":
        wanted = request.headers.get("Access-Control-Request-Method", "GET")
        if wanted in CORS_SAFE_METHODS and "GET" in response.headers.get("Allow", ""):
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "If-None-Match"
            response.headers["Access-Control-Max-Age"] = "86400"
