"""Link previews: the quote-card PNG and the oEmbed endpoint (thin views over cards/oembed)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from cableshare.errors import BadReference
from cableshare.resolve import resolve
from cableshare.share import ShareSettings, build_share
from webapp import cards, links, oembed
from webapp.errors import ApiError
from webapp.extensions import get_store
from webapp.http_cache import conditional, not_modified

bp = Blueprint("previews", __name__)


@bp.get("/card/<ref>.png", defaults={"anchor": None})
@bp.get("/card/<ref>/<anchor>.png")
def card(ref: str, anchor: str | None) -> Response:
    """Deterministic PNG: ETag'd, 304 before any rendering, and LRU-cached in ``cards.render``."""
    early = not_modified()
    if early is not None:
        return early
    found = resolve(get_store(), ref, anchor)
    png = cards.render_card(found.cable, found.paragraph)
    return conditional(Response(png, mimetype="image/png"))


@bp.get("/oembed")
def oembed_view() -> Response:
    fmt = request.args.get("format", "json")
    if fmt != "json":
        raise ApiError(501, "format_not_implemented",
                       f"format={fmt[:20]} is not available; use format=json.")
    url = request.args.get("url", "").strip()
    if not url:
        raise ApiError(400, "missing_parameter",
                       "The query parameter 'url' is required: the URL of a share or cable page.")
    maxwidth = oembed.dimension(request.args.get("maxwidth"), "maxwidth")
    maxheight = oembed.dimension(request.args.get("maxheight"), "maxheight")
    ref, paragraph = oembed.target_of(url)
    try:
        found = resolve(get_store(), ref, paragraph)
    except BadReference as exc:  # oEmbed: a URL we have no response for is a 404, however malformed
        raise ApiError(404, "not_embeddable", str(exc)) from exc
    result = build_share(get_store(), ShareSettings.from_config(current_app.config),
                         found.cable.ref_id, found.paragraph.anchor if found.paragraph else None)
    anchor = found.paragraph.anchor if found.paragraph else None
    card_url = links.absolute("previews.card", ref=found.cable.ref_id, anchor=anchor)
    title = cards.caption(found.cable, found.paragraph)
    return jsonify(oembed.payload(result.to_dict(), title, card_url, maxwidth, maxheight))
