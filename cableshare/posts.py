"""Post texts for each network, fitted to its limit as it counts, with share-intent URLs.

A post is ``“excerpt”\\n— attribution\\n<link> #cablegate #REF``. Its length is counted in two
parts, the head (quote and attribution, fitted) and the tail (link and hashtags, counted once),
which is exact because every counter is additive across a line break (tested against the real
counters: ``parse_tweet``, ``\\X``). Intent URLs carry the whole post in ``text`` (the page edits
``text`` in place; X's ``url``/``hashtags`` parameters would repeat the link and tags).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache

from cableshare import counting
from cableshare.errors import BadInstance
from cableshare.excerpt import fit

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
        data = asdict(self)
        del data["network"]
        return data


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
        """The link and tags as ``network`` counts them: the link by its shape (cached), then the
        tags (counters are additive across the space between them)."""
        tags = counting.count_cached(network, " ".join(self.hashtags)) + 1 if self.hashtags else 0
        return counting.count_link(network, self.link) + tags


def head_text(excerpt: str, attribution: str) -> str:
    return f"“{excerpt}”\n— {attribution}" if excerpt else f"— {attribution}"


def text_post(network: str, parts: PostParts, *, instance: str | None = None) -> Post:
    """The single post for X, Bluesky, Mastodon or Threads, with its intent URL."""
    counter, limit = counting.COUNTERS[network], counting.LIMITS[network]
    room = limit - parts.tail_length(network) - 1
    excerpt = fit(parts.quote, lambda e: counter(head_text(e, parts.attribution)), room, limit)
    head = head_text(excerpt, parts.attribution)
    length = counter(head) + 1 + parts.tail_length(network)
    if length > limit:  # only when attribution and tags alone are too long: drop the quote
        head = head_text("", parts.attribution)
        length = counter(head) + 1 + parts.tail_length(network)
    text = f"{head}\n{parts.tail}"
    return Post(network, text, length, limit, intent_url(network, text, instance))


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
