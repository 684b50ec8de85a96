"""The cable viewer at the release site's own paths (``/cable/2007/03/07MOSCOW1143.html``).

Every paragraph is a container with ``id="parN"`` (so ``:target`` highlights it) and a ¶ link;
references to other cables link to them when they are in the corpus.
"""

from __future__ import annotations

import re

from flask import Response, abort, redirect, render_template, request, url_for

from cableshare.errors import ShareError
from cableshare.model import Cable
from cableshare.parse.refs import find_cited_refs
from cableshare.resolve import resolve
from webapp import page_helpers as ph
from webapp.errors import status_for
from webapp.extensions import get_store
from webapp.http_cache import conditional, not_modified
from webapp.oembed import oembed_discovery_url


def cable_view(year: str, month: str, ref: str) -> Response:
    early = not_modified()
    if early is not None:
        return early
    cable = find_cable(ref)
    if not isinstance(cable, Cable):
        return cable
    path = ph.cable_path(cable.ref_id, cable.created.isoformat())
    if request.path != path:
        return redirect(path, code=301)
    return conditional(render_template("cable.html", **page_data(cable, path)))


def cable_redirect(ref: str) -> Response:
    """``/cable/<ref>`` (and ``<ref>.html``) → the canonical dated path."""
    cable = find_cable(ref.removesuffix(".html"))
    if not isinstance(cable, Cable):
        return cable
    return redirect(ph.cable_path(cable.ref_id, cable.created.isoformat()), code=301)


def find_cable(ref: str) -> Cable | Response:
    """The cable, or the 404 page (with suggestions) to answer instead."""
    if not ph.plausible_ref(ref):
        abort(404)
    try:
        return resolve(get_store(), ref).cable
    except ShareError as exc:
        status = status_for(exc)
        error = ph.error_box(exc, status, ref)
        return Response(render_template("not_found.html", error=error), status=status)


def page_data(cable: Cable, path: str) -> dict:
    """Paragraphs as text segments (plain, or linked to a cited cable), metadata and OG tags."""
    cited = {p.anchor: find_cited_refs(p.text, cable.year) for p in cable.paragraphs}
    wanted = {c.ref_id for found in cited.values() for c in found} | set(cable.references)
    existing = get_store().existing_refs(wanted) if wanted else set()
    share = lambda anchor=None: url_for("pages.share", ref=cable.ref_id, n=anchor)
    paragraphs = [{
        "anchor": p.anchor, "number": p.number, "marking": p.marking, "heading": p.heading,
        "share_url": share(p.anchor), "segments": segments(p.text, cited[p.anchor], existing, cable.ref_id),
    } for p in cable.paragraphs]
    first = cable.paragraphs[0] if cable.paragraphs else None
    og = ph.OpenGraph(
        title=f"{cable.ref_id} — {cable.origin}",
        description=ph.excerpt(f"{cable.subject}. {first.text}" if first else cable.subject),
        url=ph.public_url(path), image=ph.public_url(ph.card_path(cable.ref_id, None)),
    )
    og.oembed = oembed_discovery_url(og.url)
    references = [(ref, viewer_link(ref) if ref in existing else None) for ref in cable.references]
    return {"cable": cable, "paragraphs": paragraphs, "og": og, "references": references,
            "preamble": preamble(cable), "share_base": share()}


def segments(text: str, cited: list, existing: set[str],
             own_ref: str = "") -> list[tuple[str, str | None]]:
    """Split ``text`` around the cited references found in the corpus."""
    out: list[tuple[str, str | None]] = []
    pos = 0
    for found in sorted(cited, key=lambda c: c.start):
        if found.ref_id not in existing or found.start < pos or found.ref_id == own_ref:
            continue
        out.append((text[pos:found.start], None))
        out.append((text[found.start:found.end], viewer_link(found.ref_id)))
        pos = found.end
    out.append((text[pos:], None))
    return [s for s in out if s[0]]


def viewer_link(ref_id: str) -> str:
    return url_for("pages.cable_short", ref=ref_id)


def preamble(cable: Cable) -> str:
    """Body text before the first numbered paragraph (section line, E.O., "Classified By")."""
    if not cable.paragraphs:
        return ""
    first = re.search(rf"^[ \t]*{re.escape(cable.paragraphs[0].number)}\.\s", cable.body, re.MULTILINE)
    return cable.body[:first.start()].strip() if first else ""
