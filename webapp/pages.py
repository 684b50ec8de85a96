"""The HTML pages: home, the /go lookup, bulk mode and search; share page and viewer are wired here.

Views stay thin: they call the same domain functions as the API and hand one data shape to a
template. Every page works without JavaScript; the scripts under ``static/`` only add one-click
copying, live counters and the quote button.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup

from cableshare.errors import ShareError
from cableshare.excerpt import strip_bidi_controls
from cableshare.fulltext import MAX_PAGE
from cableshare.resolve import resolve
from cableshare.shortlinks import resolve_short_code
from webapp import page_helpers as ph
from webapp import share_page, viewer
from webapp.errors import status_for
from webapp.extensions import get_store
from webapp.http_cache import conditional
from webapp.security import limiter

bp = Blueprint("pages", __name__)

SEARCH_PER_PAGE = 20
BULK_MAX_CHARS = 100_000
BULK_MAX_REFS = 200


@bp.app_template_filter("no_bidi")
def no_bidi(value: str) -> str:
    """For the page ``<title>``: a browser tab or bookmark shows it outside any element that
    could contain a bidi override in a cable's subject or a search query. Stripping characters
    from escaped text keeps it escaped."""
    cleaned = strip_bidi_controls(str(value))
    return Markup(cleaned) if isinstance(value, Markup) else cleaned


bp.add_url_rule("/share/<ref>", "share", share_page.share_view, defaults={"n": None})
bp.add_url_rule("/share/<ref>/<n>", "share", share_page.share_view)
bp.add_url_rule("/cable/<year>/<month>/<ref>.html", "cable", viewer.cable_view)
bp.add_url_rule("/cable/<ref>", "cable_short", viewer.cable_redirect)


@bp.get("/")
def home() -> Response:
    page = render_template("home.html", q="", par="", error=None,
                           bookmarklet=ph.bookmarklet(current_app.config["PUBLIC_BASE_URL"]))
    return conditional(page)


@bp.get("/go")
def go() -> Response:
    """Resolve whatever was pasted and redirect to its share page; errors re-render home."""
    q = request.args.get("q", "").strip()[:2000]
    par = request.args.get("par", "").strip().removeprefix("¶")[:20]
    if not q:
        return redirect(url_for(".home"))
    try:
        found = resolve(get_store(), q, par or None)
    except ShareError as exc:
        status = status_for(exc)
        error = ph.error_box(exc, status, q, par)
        page = render_template("home.html", q=q, par=par, error=error,
                               bookmarklet=ph.bookmarklet(current_app.config["PUBLIC_BASE_URL"]))
        return Response(page, status=status)
    anchor = found.paragraph.anchor if found.paragraph else None
    # Only ever our own path, built from the ref the store knows: never an open redirect.
    return redirect(url_for(".share", ref=found.cable.ref_id, n=anchor), code=303)


@bp.get("/s/<code>")
def short_link(code: str) -> Response:
    """The built-in short link: always to this site's own viewer, so it can never redirect elsewhere.

    The code is derived from the target (``cableshare.shortcodes``); an unknown one is a 404 page.
    """
    ref_id, anchor = resolve_short_code(get_store(), code[:40])  # UnknownShortLink: the 404 page
    cable = resolve(get_store(), ref_id).cable
    path = ph.cable_path(cable.ref_id, cable.created.isoformat())
    return redirect(f"{path}#{anchor}" if anchor else path, code=301)


@bp.route("/bulk", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def bulk() -> Response:
    """Every cable reference in a pasted text, with its links and hashtags."""
    text = request.form.get("text", "")[:BULK_MAX_CHARS] if request.method == "POST" else ""
    rows = share_page.bulk_rows(text, BULK_MAX_REFS) if text.strip() else None
    return Response(render_template("bulk.html", text=text, rows=rows, max_refs=BULK_MAX_REFS))


@bp.get("/search")
def search() -> Response:
    query = request.args.get("q", "").strip()[:500]
    raw = request.args.get("page", "1")
    page = min(int(raw), MAX_PAGE) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 7 else 1
    page = max(page, 1)
    results = get_store().search(query, page, SEARCH_PER_PAGE) if query else None
    return conditional(render_template("search.html", search_query=query, results=results,
                                       last_page=min(results.pages, MAX_PAGE) if results else 0,
                                       cable_path=ph.cable_path))

