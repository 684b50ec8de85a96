"""oEmbed (https://oembed.com) for share pages and cable pages: ``type: rich``, JSON only.

A URL is ours when it is on ``PUBLIC_BASE_URL`` and the URL map routes it to a pages view with a
``ref`` argument; so any page route the pages blueprint adds for a cable is embeddable as-is.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app
from werkzeug.exceptions import HTTPException

from webapp import links
from webapp.errors import ApiError

DEFAULT_WIDTH, DEFAULT_HEIGHT = 550, 320
CARD_WIDTH, CARD_HEIGHT = 1200, 630
PARAGRAPH_ARGS = ("n", "number", "anchor", "paragraph", "par")
CACHE_AGE = 86400


def oembed_discovery_url(page_url: str) -> str:
    """The href of a page's ``<link rel="alternate" type="application/json+oembed">``."""
    return links.absolute("previews.oembed_view", url=page_url, format="json")


def target_of(url: str) -> tuple[str, str | None]:
    """(ref, paragraph or None) of a page URL of this site; 404 ``ApiError`` for anything else."""
    parts, ours = urlsplit(url), urlsplit(links.base())
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != ours.netloc.lower():
        raise ApiError(404, "not_embeddable",
                       f"Only pages of {links.base()} can be embedded, e.g. "
                       f"{links.base()}/share/07MOSCOW1143/5.")
    path = parts.path[len(ours.path.rstrip("/")):] or "/"
    try:
        endpoint, args = current_app.url_map.bind(ours.netloc).match(path, method="GET")
    except HTTPException:
        endpoint, args = "", {}
    if not endpoint.startswith("pages.") or not args.get("ref"):
        raise ApiError(404, "not_embeddable",
                       f"{url[:200]} is not a cable or share page of this site.")
    paragraph = next((str(args[k]) for k in PARAGRAPH_ARGS if args.get(k)), None)
    return str(args["ref"]), paragraph or (parts.fragment or None)


def dimension(raw: str | None, name: str) -> int | None:
    """A positive whole ``maxwidth``/``maxheight``, or None when absent."""
    if raw is None or raw == "":
        return None
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise ApiError(400, "bad_dimension", f"{name} must be a positive whole number of pixels.")
    return int(raw)


def payload(share: dict, title: str, card_url: str,
            maxwidth: int | None, maxheight: int | None) -> dict:
    """The oEmbed response; the thumbnail only when the 1200×630 card fits the limits."""
    data = {
        "version": "1.0", "type": "rich", "provider_name": "cableshare",
        "provider_url": links.base() + "/", "title": title, "cache_age": CACHE_AGE,
        "html": share["embeds"]["html"],  # built and escaped by the share engine
        "width": min(DEFAULT_WIDTH, maxwidth or DEFAULT_WIDTH),
        "height": min(DEFAULT_HEIGHT, maxheight or DEFAULT_HEIGHT),
    }
    if (maxwidth or CARD_WIDTH) >= CARD_WIDTH and (maxheight or CARD_HEIGHT) >= CARD_HEIGHT:
        data.update(thumbnail_url=card_url, thumbnail_width=CARD_WIDTH, thumbnail_height=CARD_HEIGHT)
    return data
