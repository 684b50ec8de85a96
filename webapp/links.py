"""Canonical absolute links for the API, on ``PUBLIC_BASE_URL`` so every server and the CDN agree.

Paths come from the URL map (``url_for``) and the pages' own ``cable_path``, never from templates
kept here, so the API links always match the pages' routes.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app, url_for

from webapp.page_helpers import cable_path, public_url


def base() -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def absolute(endpoint: str, **values: object) -> str:
    """``url_for`` an endpoint of this app, on the public base URL rather than the request's host."""
    return public_url(url_for(endpoint, **values))


def for_target(ref_id: str, created: datetime, anchor: str | None = None) -> dict:
    """Links for a cable, or one of its paragraphs: page, share page, JSON and quote card."""
    cable = public_url(cable_path(ref_id, created.isoformat()))
    return {
        "cable": cable,
        "paragraph": f"{cable}#{anchor}" if anchor else None,
        "share": absolute("pages.share", ref=ref_id, n=anchor) if anchor else None,
        "api": absolute("api.cable", ref=ref_id),
        "card": absolute("previews.card", ref=ref_id, anchor=anchor),
    }
