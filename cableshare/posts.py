"""Post texts for each network, fitted to its limit as it counts, with share-intent URLs.

A post is ``“excerpt”\\n— attribution\\n<link> #cablegate #REF``. Its length is counted in two
parts, the head (quote and attribution, fitted) and the tail (link and hashtags, counted once),
which is exact because every counter is additive across a line break (tested against the real
counters: ``parse_tweet``, ``\\X``). Intent URLs carry the whole post in ``text`` (the page edits
``text`` in place; X's ``url``/``hashtags`` parameters would repeat the link and tags).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import cache, lru_cache

from cableshare import counting
from cableshare.errors import BadInstance
from cableshare.excerpt import ELLIPSIS, fit

TEXT_NETWORKS = ("x", "bluesky", "mastodon", "threads")
INTENTS = {
    "x": "https://x.com/intent/tweet?text={text}",
    "bluesky": "https://bsky.app/intent/compose?text={text}",
    "mastodon": "https://{instance}/share?text={text}",
    "threads": "https://www.threads.net/intent/post?text={text}",
}
_UNRESERVED = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"
_PERCENT = [chr(b) if b in _UNRESERVED else f"%{b:02X}" for b in range(256)]
_HOST = re.compile(r"^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$")


@dataclass(frozen=True)
class Post:
    """One network's post: ``length`` as that network counts ``text``, never over ``limit``.
    ``text_param`` names the intent URL parameter that carries ``text`` (None: not carried)."""

    network: str
    text: str
    length: int
    limit: int
    intent_url: str | None
    text_param: str | None = "text"
    url: str | None = None
    title: str | None = None

    def to_dict(self) -> dict:
        """Every field but ``network`` (the key it is filed under); a shallow copy, as every
        value is immutable (``asdict`` would deep-copy each string)."""
        return {name: getattr(self, name) for name in _POST_FIELDS}


_POST_FIELDS = tuple(f.name for f in fields(Post) if f.name != "network")


@dataclass(frozen=True)
class PostParts:
    """What every post is made of: the text to quote, who said it when, the link, the tags."""

    quote: str
    attribution: str
    link: str
    hashtags: tuple[str, ...]

    @property
    def tail(self) -> str:
        return " ".join((self.link, *self.hashtags))

    def tail_length(self, network: str) -> int:
        """The link and tags as ``network`` counts them (see ``_tail_length``)."""
        return _tail_length(network, self.link, self.hashtags)


@lru_cache(maxsize=1024)
def _tail_length(network: str, link: str, hashtags: tuple[str, ...]) -> int:
    """The link by its shape (cached), then the tags (counters are additive across the space
    between them); every post and thread of a share asks, so it is kept too."""
    tags = counting.count_cached(network, " ".join(hashtags)) + 1 if hashtags else 0
    return counting.count_link(network, link) + tags


def head_text(excerpt: str, attribution: str) -> str:
    return f"“{excerpt}”\n— {attribution}" if excerpt else f"— {attribution}"


def text_post(network: str, parts: PostParts, *, instance: str | None = None) -> Post:
    """The single post for X, Bluesky, Mastodon or Threads, with its intent URL."""
    counter, limit = counting.COUNTERS[network], counting.LIMITS[network]
    room = limit - parts.tail_length(network) - 1
    size = (_plain_head_size(network, parts.attribution) if counting.is_plain(parts.quote)
            else lambda e: counter(head_text(e, parts.attribution)))
    excerpt = fit(parts.quote, size, room, limit)
    head = head_text(excerpt, parts.attribution)
    length = size(excerpt) + 1 + parts.tail_length(network)
    if length > limit:  # only when attribution and tags alone are too long: drop the quote
        head = head_text("", parts.attribution)
        length = counter(head) + 1 + parts.tail_length(network)
    text = f"{head}\n{parts.tail}"
    return Post(network, text, length, limit, intent_url(network, text, instance))


def _plain_head_size(network: str, attribution: str) -> Callable[[str], int]:
    """``counter(head_text(e, attribution))`` by arithmetic for an excerpt ``e`` of a plain quote
    (``counting.is_plain``): each of its characters counts 1 on every network and joins nothing
    around it, and counters are additive across the line break, so only the attribution needs
    counting, once per post, plus the quote marks and ``…`` (2 on X) once per network."""
    attribution_cost = counting.count_cached(network, f"— {attribution}")
    quotes, ellipsis = _mark_costs(network)
    base = quotes + 1 + attribution_cost

    def size(excerpt: str) -> int:
        if not excerpt:
            return attribution_cost
        if excerpt.endswith(ELLIPSIS):
            return base + len(excerpt) - 1 + ellipsis
        return base + len(excerpt)

    return size


@cache
def _mark_costs(network: str) -> tuple[int, int]:
    """What the two quote marks together, and ``…`` alone, count on ``network``."""
    counter = counting.COUNTERS[network]
    return counter("“”"), counter(ELLIPSIS)


def intent_url(network: str, text: str, instance: str | None = None) -> str | None:
    """The network's compose/share URL with ``text``; Mastodon only for a named instance."""
    if network == "mastodon" and not instance:
        return None
    return INTENTS[network].format(text=quote_all(text), instance=instance)


def quote_all(text: str) -> str:
    """``urllib.parse.quote(text, safe="")``, word by word from a cache: every post of a share
    quotes the same words, and ``quote`` costs more than fitting the post."""
    return "%20".join(map(_quote_word, text.split(" ")))


@lru_cache(maxsize=8192)
def _quote_word(word: str) -> str:
    return "".join(map(_PERCENT.__getitem__, word.encode()))


def mastodon_instance(value: str | None) -> str | None:
    """A bare host name (``mastodon.social``), so the intent URL can only ever go to
    ``https://<host>/share``; ``https://`` and a trailing ``/`` are forgiven, nothing else."""
    if value is None or not value.strip():
        return None
    host = value.strip().lower()
    host = re.sub(r"^https?://", "", host).rstrip("/")
    if not _HOST.match(host) or host.replace(".", "").isdigit():
        raise BadInstance(value)
    return host
