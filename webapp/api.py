"""The JSON API, ``/api/v1``: thin views over the domain; the document is in ``webapp.openapi``.

Input is checked here only for shape (types, counts, page numbers: ``ApiError``); everything about
references is the domain's to judge, and ``webapp.errors`` turns its exceptions into responses.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request
from markupsafe import escape

from cableshare.errors import ShareError
from cableshare.fulltext import MAX_PAGE, SearchHit
from cableshare.resolve import resolve
from cableshare.share import ShareSettings, build_share
from webapp import links
from webapp.errors import ApiError, domain_error_body
from webapp.extensions import get_store
from webapp.http_cache import built
from webapp.openapi import DOCUMENT, MAX_BATCH

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(DOCUMENT)


@bp.get("/cables/<ref>")
def cable(ref: str) -> Response:
    return built(lambda: resolve(get_store(), ref).cable.to_dict())


@bp.get("/share")
def share() -> Response:
    args, settings, ref = request.args, ShareSettings.from_config(current_app.config), required_arg("ref")
    shorten = args.get("shorten") == "1"

    def result() -> dict:
        return build_share(
            get_store(), settings, ref, args.get("par") or None, quote=args.get("quote") or None,
            extra_hashtags=tuple(t.strip() for t in args.get("hashtags", "").split(",") if t.strip()),
            mastodon_instance=args.get("instance") or None, shorten=shorten,
        ).to_dict()

    # The settings are part of the answer; an external short URL may be a fallback: never kept.
    return built(result, settings, remember=not shorten)


@bp.post("/share/batch")
def share_batch() -> Response:
    items = batch_items(request.get_json(force=True, silent=True, cache=False))
    store, settings = get_store(), ShareSettings.from_config(current_app.config)
    results = []
    for item in items:
        try:
            par = item.get("par")
            results.append(build_share(store, settings, item["ref"],
                                       None if par is None else str(par),
                                       quote=item.get("quote") or None).to_dict())
        except ShareError as exc:
            results.append(domain_error_body(exc))
    return jsonify({"results": results})


@bp.get("/resolve")
def resolve_text() -> Response:
    found = resolve(get_store(), required_arg("q"))
    par = found.paragraph
    return jsonify({
        "ref_id": found.cable.ref_id,
        "paragraph": {"number": par.number, "anchor": par.anchor} if par else None,
        "links": links.for_target(found.cable.ref_id, found.cable.created,
                                  par.anchor if par else None),
    })


@bp.get("/search")
def search() -> Response:
    query, page = required_arg("q"), page_arg()
    result = get_store().search(query, page)
    more = page * result.per_page < result.total and page < MAX_PAGE
    return jsonify({
        "query": result.query, "page": result.page, "per_page": result.per_page,
        "total": result.total, "hits": [_hit(hit) for hit in result.hits],
        "next": links.absolute("api.search", q=query, page=page + 1) if more else None,
    })


def _hit(hit: SearchHit) -> dict:
    """A hit with its fragments raw and as escaped HTML with <mark> around the matches."""
    highlight = "".join(f"<mark>{escape(t)}</mark>" if match else str(escape(t))
                        for t, match in hit.fragments)
    return {
        "ref_id": hit.ref_id, "created": hit.created.isoformat(timespec="minutes"),
        "origin": hit.origin, "subject": hit.subject, "number": hit.number, "anchor": hit.anchor,
        "highlight": highlight,
        "fragments": [{"text": t, "match": match} for t, match in hit.fragments],
        "links": links.for_target(hit.ref_id, hit.created, hit.anchor),
    }


def required_arg(name: str) -> str:
    """A query parameter that must be present and not blank."""
    value = request.args.get(name, "").strip()
    if not value:
        raise ApiError(400, "missing_parameter",
                       f"The query parameter '{name}' is required, e.g. ?{name}=07MOSCOW1143.")
    return value


def page_arg() -> int:
    """``page``: an integer from 1 to ``MAX_PAGE``; 1 when absent."""
    raw = request.args.get("page", "1").strip()
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise ApiError(400, "bad_page",
                       f"page must be a whole number from 1 to {MAX_PAGE}, not {raw[:20]!r}.")
    return int(raw)


def batch_items(body: object) -> list[dict]:
    """The ``items`` of a batch body, checked for shape; 400 for non-JSON, 422 for a wrong shape."""
    if body is None:
        raise ApiError(400, "invalid_json", 'The body must be JSON: {"items": [{"ref": "07MOSCOW1143", '
                                            '"par": "5"}]}.')
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise ApiError(422, "invalid_body", 'The body must be an object with a list "items": '
                                            '{"items": [{"ref": "07MOSCOW1143", "par": "5"}]}.')
    if len(items) > MAX_BATCH:
        raise ApiError(422, "too_many_items", f"A batch holds at most {MAX_BATCH} items; this one "
                                              f"has {len(items)}. Split it into several requests.")
    for number, item in enumerate(items):
        problem = _item_problem(item)
        if problem:
            raise ApiError(422, "invalid_item", f"items[{number}]: {problem}")
    return items


def _item_problem(item: object) -> str | None:
    """What is wrong with one batch item, or None."""
    if not isinstance(item, dict):
        return 'each item must be an object like {"ref": "07MOSCOW1143", "par": "5"}.'
    if not isinstance(item.get("ref"), str):
        return '"ref" is required and must be a string, e.g. "07MOSCOW1143".'
    par = item.get("par")
    if par is not None and (isinstance(par, bool) or not isinstance(par, (str, int))):
        return '"par" must be a paragraph number or anchor ("5", 5 or "par5"), or null.'
    if not isinstance(item.get("quote"), (str, type(None))):
        return '"quote" must be a string or null.'
    return None
