"""The share result: everything needed to cite one paragraph (or a whole cable), built once.

``ShareResult`` is the one shape: the API serialises ``to_dict()``, the CLI prints it, the pages
render that same dict. ``build_share`` costs one store read (``get_cable``); everything else is
computation in memory (see ``bench/share.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from cableshare import links as ln
from cableshare.embeds import Embeds, build_embeds
from cableshare.errors import QuoteNotFound
from cableshare.excerpt import squash, strip_bidi_controls
from cableshare.hashtags import ref_hashtag, share_hashtags
from cableshare.linkposts import link_posts
from cableshare.model import Cable, Paragraph
from cableshare.posts import (
    TEXT_NETWORKS,
    Post,
    PostParts,
    mastodon_instance,
    text_post,
)
from cableshare.resolve import StoreReader, resolve
from cableshare.shortlinks import SERVICES, external_short_url
from cableshare.threads import THREAD_NETWORKS, thread

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_MAX_ORIGIN = 80


@dataclass(frozen=True)
class ShareSettings:
    """What a deployment configures: its public base URL, link targets, optional shortener."""

    base_url: str
    link_target: str = "self"
    mirrors: tuple[ln.Target, ...] = ()
    shortener: str | None = None
    shortener_timeout: float = 2.0

    @classmethod
    def from_config(cls, config: Mapping) -> ShareSettings:
        """From a plain mapping (Flask's ``app.config`` is one): ``PUBLIC_BASE_URL``,
        ``LINK_TARGET``, ``MIRRORS`` (see ``cableshare.links``), ``SHORTENER`` (``tinyurl``,
        ``isgd``, ``dagd`` or empty) and ``SHORTENER_TIMEOUT`` (seconds, at most 2).
        ``ValueError`` on a bad value, so a misconfigured app fails at start."""
        mirrors = config.get("MIRRORS") or ""
        key = (str(config.get("PUBLIC_BASE_URL") or ""), str(config.get("LINK_TARGET") or "self"),
               mirrors if isinstance(mirrors, str) else tuple(dict(mirrors).items()),
               str(config.get("SHORTENER") or "").strip().lower(),
               float(config.get("SHORTENER_TIMEOUT") or 2.0))
        return _settings(*key)

    @property
    def targets(self) -> dict[str, ln.Target]:
        return {**ln.builtin_targets(self.base_url), **{t.name: t for t in self.mirrors}}


@lru_cache(maxsize=32)
def _settings(base_url: str, target: str, mirrors: str | tuple, shortener: str,
              timeout: float) -> ShareSettings:
    if not base_url.startswith(("http://", "https://")):
        raise ValueError(f"PUBLIC_BASE_URL must be an absolute http(s) URL, not {base_url!r}")
    parsed = ln.parse_mirrors(mirrors if isinstance(mirrors, str) else dict(mirrors))
    settings = ShareSettings(base_url.rstrip("/"), target.lower(), tuple(parsed.values()),
                             shortener if shortener not in ("", "none", "off") else None,
                             min(max(timeout, 0.1), 2.0))
    if settings.link_target not in settings.targets:
        raise ValueError(f"LINK_TARGET {target!r} is not one of {sorted(settings.targets)}")
    if settings.shortener and settings.shortener not in SERVICES:
        raise ValueError(f"SHORTENER {shortener!r} is not one of {sorted(SERVICES)} (or empty)")
    return settings


@dataclass(frozen=True)
class ShareLinks:
    paragraph: str | None
    cable: str
    short: str
    text_fragment: str | None
    mirrors: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ShareResult:
    """One paragraph (``paragraph`` None: the whole cable) ready to cite and share."""

    cable: Cable
    paragraph: Paragraph | None
    quote: str | None
    attribution: str
    links: ShareLinks
    hashtags: tuple[str, ...]
    posts: dict[str, Post]
    threads: dict[str, tuple[str, ...]]
    embeds: Embeds

    @property
    def ref_id(self) -> str:
        return self.cable.ref_id

    def to_dict(self) -> dict:
        """The JSON the API returns and the pages render (see the README for the fields)."""
        c, p = self.cable, self.paragraph
        return {
            "ref_id": c.ref_id,
            "cable": {"created": c.created.isoformat(timespec="minutes"), "origin": c.origin,
                      "classification": c.classification, "subject": c.subject,
                      "released": c.released.isoformat(timespec="minutes") if c.released else None,
                      "tags": list(c.tags)},
            "paragraph": {"number": p.number, "anchor": p.anchor, "text": p.text} if p else None,
            "quote": self.quote,
            "attribution": self.attribution,
            "links": {**self.links.__dict__, "mirrors": dict(self.links.mirrors)},
            "hashtags": list(self.hashtags),
            "posts": {name: post.to_dict() for name, post in self.posts.items()},
            "threads": {name: list(posts) for name, posts in self.threads.items()},
            "embeds": self.embeds.to_dict(),
        }


def build_share(store: StoreReader, settings: ShareSettings, ref_input: str,
                paragraph: str | int | None = None, *, quote: str | None = None,
                extra_hashtags: Sequence[str] = (), mastodon_instance: str | None = None,
                shorten: bool = False) -> ShareResult:
    """Resolve ``ref_input`` (+ ``paragraph``) and build every link, post and embed for it.

    ``quote`` must occur in the paragraph (the cable body for a whole cable; white space is
    compared loosely, as a browser selection collapses it) and is then what posts quote and the
    text-fragment link targets. Raises the ``cableshare.errors`` exceptions.
    """
    found = resolve(store, ref_input, paragraph)
    cable, par = found.cable, found.paragraph
    instance = _instance(mastodon_instance)
    tags = tuple(share_hashtags(cable.ref_id, extra_hashtags))
    quote = _checked_quote(cable, par, quote)
    links = build_links(settings, cable, par, quote)
    if shorten and settings.shortener:
        long_url = links.paragraph or links.cable
        ext = external_short_url(store, settings.shortener, long_url,  # type: ignore[arg-type]
                                 base_url=settings.base_url, timeout=settings.shortener_timeout)
        links = ShareLinks(**{**links.__dict__, "short": ext or links.short})
    attribution = attribution_of(cable, par)
    text = _clean(quote or (par.text if par else _cable_summary(cable)))
    parts = PostParts(text, attribution, links.short if shorten else (links.paragraph or links.cable),
                      tags)
    posts = {n: text_post(n, parts, instance=instance) for n in TEXT_NETWORKS}
    posts.update(link_posts(parts, title_of(cable, par)))
    whole = (text if quote is None else _clean(par.text)) if par else ""
    threads = {n: thread(n, parts, whole) if par else () for n in THREAD_NETWORKS}
    label = cable.ref_id + (f" ¶{par.number}" if par else "")
    embeds = build_embeds(text, attribution, label, links.paragraph or links.cable)
    return ShareResult(cable, par, quote, attribution, links, tags, posts, threads, embeds)


def build_links(settings: ShareSettings, cable: Cable, par: Paragraph | None,
                quote: str | None) -> ShareLinks:
    """Cable and paragraph links on the default target, short link, text fragment, mirrors."""
    targets = settings.targets
    main = targets[settings.link_target]
    anchor = par.anchor if par else None
    cable_url = main.cable_url(cable.ref_id, cable.created)
    par_url = main.paragraph_url(cable.ref_id, cable.created, anchor) if anchor else None
    fragment_text = quote or (par.text if par else None)
    fragment = ln.text_fragment_url(par_url or cable_url, fragment_text) if fragment_text else None
    mirrors = {name: t.url(cable.ref_id, cable.created, anchor)
               for name, t in targets.items() if name != settings.link_target}
    return ShareLinks(par_url, cable_url, ln.short_url(settings.base_url, cable.ref_id, anchor),
                      fragment, mirrors)


def attribution_of(cable: Cable, par: Paragraph | None) -> str:
    """``US Embassy Moscow, 16 Mar 2007, ¶5`` (the ref leads when it cannot be a hashtag)."""
    d = cable.created
    # Cleaned and capped like quoted text: a hostile origin must neither reorder the link shown
    # after it (bidi controls) nor push a post over its network's limit (real ones are < 50).
    origin = _clean(cable.origin)
    origin = origin if len(origin) <= _MAX_ORIGIN else origin[:_MAX_ORIGIN - 1].rstrip() + "…"
    origin = origin if origin.upper().startswith(("US ", "U.S.")) else f"US {origin}"
    text = f"{origin}, {d.day} {_MONTHS[d.month - 1]} {d.year}"
    text += f", ¶{par.number}" if par else ""
    return text if ref_hashtag(cable.ref_id) else f"{cable.ref_id}, {text}"


def title_of(cable: Cable, par: Paragraph | None) -> str:
    """A headline for link-taking networks: ``07MOSCOW1143 ¶5: SUBJECT (Embassy Moscow, 2007)``."""
    label = cable.ref_id + (f" ¶{par.number}" if par else "")
    subject = f": {cable.subject}" if cable.subject.strip() else ""
    return _clean(f"{label}{subject} ({cable.origin}, {cable.created.year})")


def _checked_quote(cable: Cable, par: Paragraph | None, quote: str | None) -> str | None:
    if quote is None or not quote.strip():
        return None
    wanted = squash(quote)
    if wanted not in squash(par.text if par else cable.body):
        raise QuoteNotFound(cable.ref_id, f"paragraph {par.number}" if par else "the text")
    return wanted


def _cable_summary(cable: Cable) -> str:
    """What a whole-cable post quotes: the subject, or the first paragraph when there is none."""
    if cable.subject.strip() or not cable.paragraphs:
        return cable.subject
    return cable.paragraphs[0].text


def _instance(value: str | None) -> str | None:
    return mastodon_instance(value)


def _clean(text: str) -> str:
    """White space squashed and bidi embedding/override controls removed, so quoted text can
    never reorder the attribution or link shown after it."""
    return squash(strip_bidi_controls(text))
