"""The one place where failures become responses, and the one JSON error shape.

Shape: ``{"error": {"code": str, "message": str, "suggestions": [str, ...]?}}``. JSON for the API and
oEmbed; ``error.html`` for pages. Domain exceptions map to status codes by class in ``STATUS``;
a real 500 answers the same shape (or page) and never a traceback. A database that cannot be
reached answers 503 ``database_unavailable`` with Retry-After: the store's pool pings before each
checkout, so the next request after the database is back succeeds without restarting the app.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Flask, Response, current_app, jsonify, render_template, request
from markupsafe import escape
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

from cableshare import errors as domain
from webapp.security import query_string_limit

JSON_PREFIXES = ("/api/", "/oembed")
#: Seconds a client should wait before retrying while the database is unreachable.
DB_RETRY_AFTER = 5
#: What an unreachable or refusing database raises (connect refused, connection lost, pool empty).
DB_UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.DisconnectionError,
                  sa_exc.TimeoutError)


class ApiError(Exception):
    """Bad input caught at the web edge (a missing parameter, a body of the wrong shape)."""

    def __init__(self, status: int, code: str, message: str,
                 suggestions: Sequence[str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.suggestions = list(suggestions) if suggestions else None


#: Domain exception class → HTTP status; looked up along the MRO, ``ShareError`` itself is a 400.
STATUS: dict[type[Exception], int] = {
    cls: status
    for name, status in (
        ("ShareError", 400), ("BadReference", 400), ("InvalidHashtag", 400),
        ("UnknownCable", 404), ("NoSuchParagraph", 404), ("UnknownShortLink", 404),
        ("QuoteNotFound", 422),
    )
    if (cls := getattr(domain, name, None)) is not None
}

#: Codes and default messages for HTTP errors raised by Flask itself (routing, size, limits).
HTTP_CODES = {
    400: ("bad_request", "The request was malformed."),
    404: ("not_found", "Nothing here. The API's routes are listed in /api/v1/openapi.json."),
    405: ("method_not_allowed", "This method is not allowed here."),
    413: ("payload_too_large", "The request body is too large."),
    414: ("uri_too_long", "The URL is too long."),
    429: ("rate_limited", "Too many requests."),
    500: ("internal_error", "Something went wrong on our side; it has been logged."),
    501: ("not_implemented", "Not implemented."),
}


def init_app(app: Flask) -> None:
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(domain.ShareError, _domain_error)
    app.register_error_handler(HTTPException, _http_error)
    for cls in DB_UNAVAILABLE:
        app.register_error_handler(cls, _database_unavailable)
    app.register_error_handler(Exception, _unexpected)


def error_body(code: str, message: str, suggestions: Sequence[str] | None = None) -> dict:
    """The error object; batch items reuse it in place of a result."""
    error: dict = {"code": code, "message": message}
    if suggestions:
        error["suggestions"] = [str(s) for s in suggestions]
    return {"error": error}


def domain_error_body(exc: Exception) -> dict:
    """Error object for a domain exception: its code, message and whatever it offers instead."""
    hints = getattr(exc, "suggestions", None) or getattr(exc, "available", None)
    code = getattr(exc, "code", None) or type(exc).__name__
    return error_body(str(code), str(getattr(exc, "message", None) or exc), hints)


def status_for(exc: Exception) -> int:
    """The status of a domain exception: the entry of its nearest class in ``STATUS``."""
    return next((STATUS[cls] for cls in type(exc).__mro__ if cls in STATUS), 400)


def respond(status: int, body: dict) -> Response:
    """JSON under the API and oEmbed, the HTML error page elsewhere."""
    if request.path.startswith(JSON_PREFIXES):
        response = jsonify(body)
    else:
        response = current_app.make_response(_error_page(status, body["error"]))
    response.status_code = status
    return response


def _error_page(status: int, error: dict) -> str:
    """``error.html``; should the template itself fail, a bare page rather than a traceback."""
    try:
        return render_template("error.html", status=status, message=error["message"],
                               suggestions=error.get("suggestions", []))
    except Exception:
        current_app.logger.exception("error.html failed to render")
        return f"<!doctype html><title>{status}</title><h1>{status}</h1><p>{escape(error['message'])}</p>"


def _api_error(exc: ApiError) -> Response:
    return respond(exc.status, error_body(exc.code, exc.message, exc.suggestions))


def _domain_error(exc: Exception) -> Response:
    return respond(status_for(exc), domain_error_body(exc))


def _http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    code, default = HTTP_CODES.get(status, (f"http_{status}", exc.name))
    message = _http_message(exc, default)
    response = respond(status, error_body(code, message))
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    if exc.response is not None and exc.response.headers.get("Retry-After"):
        response.headers["Retry-After"] = exc.response.headers["Retry-After"]
    return response


def _http_message(exc: HTTPException, default: str) -> str:
    """A message that says what was wrong and what would be right."""
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        allowed = ", ".join(m for m in exc.valid_methods if m not in ("HEAD", "OPTIONS"))
        return f"{request.method} is not allowed on {request.path}; use {allowed}."
    if exc.code == 404:
        return f"No route matches {request.path}. {default}"
    if exc.code == 413:
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        return f"The request body is over the limit of {limit} bytes; send fewer items per request."
    if exc.code == 414:
        return (f"The query string is over the limit of {query_string_limit()} bytes; send the text "
                "in a POST body or shorten it.")
    if exc.code == 429:
        return f"Rate limit exceeded ({exc.description}); retry after the Retry-After seconds."
    return default


def _database_unavailable(exc: Exception) -> Response:
    """503 with Retry-After, so clients and load balancers back off instead of seeing a 500."""
    current_app.logger.error("Database unavailable on %s %s: %s", request.method, request.path,
                             str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__)
    response = respond(503, error_body(
        "database_unavailable",
        "The database is unavailable right now; nothing was changed. Retry in a few seconds."))
    response.headers["Retry-After"] = str(DB_RETRY_AFTER)
    return response


def _unexpected(exc: Exception) -> Response:
    """Log it with its traceback; the client gets the plain 500 error, nothing more."""
    current_app.logger.exception("Unhandled exception on %s %s", request.method, request.path)
    return _http_error(InternalServerError())
