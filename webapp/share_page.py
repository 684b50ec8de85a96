"""The share page (one ``ShareResult`` rendered for people) and the rows of bulk mode.

The page renders ``ShareResult.to_dict()``, the very dict the API serialises, so the page and the
API can never disagree about a link, a post text or a length.
"""

from __future__ import annotations

from urllib.parse import quote as urlquote
from urllib.parse import urlencode

from flask import Response, current_app, redirect, render_template, request
from markupsafe import Markup

from cableshare import counting
from cableshare.errors import BadReference, ShareError
from cableshare.posts import quote_all
from cableshare.resolve import find_references_in_text
from cableshare.share import ShareSettings, build_share
from webapp import page_helpers as ph
from webapp.errors import status_for
from webapp.extensions import get_store
from webapp.http_cache import built
from webapp.oembed import oembed_discovery_url

MAX_QUOTE_CHARS = 2000
# Posts allowed more characters than this (all but X and Bluesky) can carry the whole paragraph
# in their intent URL, percent-encoded at up to 3 bytes a character; the page links them through
# ``?go=<network>`` (a redirect to that very URL) and share.js writes the URL itself from the text.
INLINE_INTENT_LIMIT = 300


def share_view(ref: str, n: str | None) -> Response:
    """The page, through ``built``: a revalidation is a 304 before anything is read or rendered,
    and a popular paragraph's page is rendered once per worker."""
    settings = ShareSettings.from_config(current_app.config)
    return built(lambda: render_share_page(ref, n, settings), settings)


def render_share_page(ref: str, n: str | None, settings: ShareSettings) -> Response | str:
    """The share page (or thread view) as HTML; the not-found page or a ``?go=`` redirect instead
    where those apply (``built`` keeps only 2xx answers)."""
    quote = " ".join(request.args.get("quote", "").split())[:MAX_QUOTE_CHARS] or None
    instance = request.args.get("instance", "").strip()[:253] or None
    try:
        result = build_share(get_store(), settings, ref, n, quote=quote, mastodon_instance=instance)
    except ShareError as exc:
        return not_found_page(exc, ref, n or "")
    share = result.to_dict()
    path = canonical_path(share, quote)
    go = request.args.get("go")
    if go is not None:
        return go_to_intent(share, go, ref, n or "")
    og = ph.og_for_share(share, path)
    og.oembed = oembed_discovery_url(og.url)
    par = share.get("paragraph")
    common = {
        "share": share, "og": og, "instance": instance or "",
        "viewer_url": ph.cable_path(share["ref_id"], share["cable"]["created"])
        + (f"#{par['anchor']}" if par else ""),
        "share_url": path, "thread_url": with_query(path, view="thread"),
        "counter_kind": counter_kind, "network_label": ph.network_label,
    }
    if request.args.get("view") == "thread":
        return render_template("share_thread.html", threads=thread_rows(share["threads"]), **common)
    qr_target = share["links"].get("paragraph") or share["links"]["cable"]
    return render_template(
        "share.html", qr=ph.qr_svg(qr_target, f"QR code for {qr_target}"),
        embed_preview=Markup(share["embeds"]["html"]),  # built and escaped by cableshare.embeds
        embed_labels=ph.EMBED_LABELS, link_labels=ph.LINK_LABELS,
        intents=intent_links(share["posts"], with_query(path, instance=instance) if instance else path),
        **common,
    )


def go_to_intent(share: dict, network: str, ref: str, par: str) -> Response:
    """The redirect behind a long post's button: to the post's own intent URL, never elsewhere."""
    post = share["posts"].get(network)
    if not post or not post.get("intent_url"):
        return not_found_page(BadReference(f"There is no post to send for {network[:40]!r}."), ref, par)
    return redirect(post["intent_url"], code=302)


def intent_links(posts: dict, path: str) -> dict[str, dict]:
    """Per network, ``href`` for the button and ``base`` (the intent URL with an empty text
    parameter) from which share.js writes the URL of the text as edited; ``base`` only where
    ``href`` is the ``?go=`` redirect (see ``INLINE_INTENT_LIMIT``)."""
    out = {}
    for network, post in posts.items():
        url, param = post.get("intent_url"), post.get("text_param")
        if url and param and post["limit"] > INLINE_INTENT_LIMIT:
            carried = f"{param}={quote_all(post['text'])}"
            if carried in url:
                out[network] = {"href": with_query(path, go=network), "base": url.replace(carried, f"{param}=")}
                continue
        out[network] = {"href": url, "base": None}
    return out


def counter_kind(network: str) -> str:
    """Which counter of ``static/count.js`` counts a network's posts (code points by default)."""
    return network if network in counting.COUNTERS else "codepoints"


def thread_rows(threads: dict) -> dict[str, list[tuple[str, int, int]]]:
    """(text, length, limit) of every thread post, counted as its network counts."""
    return {network: [(text, counting.count(network, text), counting.LIMITS[network]) for text in posts]
            for network, posts in threads.items() if network in counting.COUNTERS}


def with_query(path: str, **args: str) -> str:
    return path + ("&" if "?" in path else "?") + urlencode(args)


def canonical_path(share: dict, quote: str | None) -> str:
    """``/share/REF/5`` (the anchor where printed numbers repeat), plus the quote if any."""
    path = f"/share/{urlquote(share['ref_id'], safe='')}"
    par = share.get("paragraph")
    if par:
        plain = par["anchor"] == f"par{par['number']}"
        path += "/" + urlquote(par["number"] if plain else par["anchor"], safe="")
    return path + ("?" + urlencode({"quote": quote}) if quote else "")


def not_found_page(exc: ShareError, ref: str, par: str) -> Response:
    status = status_for(exc)
    error = ph.error_box(exc, status, ref, par)
    return Response(render_template("not_found.html", error=error), status=status)


def bulk_rows(text: str, limit: int) -> list[dict]:
    """One row per distinct reference found: its share result, or ``None`` when not in the corpus."""
    store, settings = get_store(), ShareSettings.from_config(current_app.config)
    rows, seen = [], set()
    for found in find_references_in_text(text):
        ref = getattr(found, "ref_id", None) or getattr(found, "ref", None) or str(found)
        par = getattr(found, "paragraph", None)
        key = (ref.upper(), par)
        if key in seen:
            continue
        seen.add(key)
        try:
            share = build_share(store, settings, ref, par).to_dict()
        except ShareError as exc:
            rows.append({"ref": ref, "paragraph": par, "share": None, "message": exc.message})
        else:
            rows.append({"ref": share["ref_id"], "paragraph": par, "share": share, "message": None})
        if len(rows) >= limit:
            break
    return rows
