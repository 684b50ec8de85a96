"""Thread mode: a whole paragraph as numbered posts (``1/4 …``) for X, Bluesky and Mastodon.

Cuts fall at sentence ends, else word ends, else grapheme boundaries (``excerpt.take``). The first
post also carries the attribution, the link and the hashtags. Numbers are budgeted at their
widest (``99/99``) and the split redone with one more digit if a thread reaches that many posts.
"""

from __future__ import annotations

import regex  # type: ignore[import-untyped]

from cableshare import counting
from cableshare.excerpt import squash, take
from cableshare.posts import PostParts

THREAD_NETWORKS = ("x", "bluesky", "mastodon")
MAX_POSTS = 200
_CLUSTER = regex.compile(r"\X")


def thread(network: str, parts: PostParts, text: str) -> tuple[str, ...]:
    """The posts of ``text`` as a thread on ``network``; every one within the network's limit."""
    body = squash(text)
    if not body:
        return ()
    digits = 1
    while True:
        posts = _split(network, parts, body, digits)
        if len(str(len(posts))) <= digits or digits >= 3:
            return tuple(posts)
        digits += 1


def _split(network: str, parts: PostParts, body: str, digits: int) -> list[str]:
    counter, limit = counting.COUNTERS[network], counting.LIMITS[network]
    widest = "9" * digits
    first_tail = f"\n— {parts.attribution}\n{parts.tail}"
    tail_cost = (counting.count_cached(network, f"— {parts.attribution}") + 2
                 + parts.tail_length(network))
    number = f"{widest}/{widest} "
    # A plain body counts its length on every network, piece by piece: no counter calls.
    size = ((lambda chunk: len(number) + len(chunk)) if counting.is_plain(body)
            else (lambda chunk: counter(number + chunk)))
    chunks: list[str] = []
    rest = body
    while rest and len(chunks) < MAX_POSTS:
        cost = tail_cost if not chunks else 0
        room = limit - cost
        n = take(rest, size, room, limit)
        chunks.append(rest[:n].rstrip())
        rest = _lstrip(rest[n:])
    total = len(chunks)
    posts = [f"{k}/{total} {chunk}" for k, chunk in enumerate(chunks, 1)]
    posts[0] += first_tail
    return posts


def _lstrip(text: str) -> str:
    """Leading white space, but only whole graphemes (a space can carry combining marks)."""
    if text.isascii():
        return text.lstrip()
    pos = 0
    for cluster in _CLUSTER.finditer(text):
        if not cluster.group(0).isspace():
            break
        pos = cluster.end()
    return text[pos:]
