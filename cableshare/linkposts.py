"""The networks that take a link (and a title or text) rather than a post: LinkedIn, Facebook,
Reddit, Telegram, WhatsApp, Hacker News and e-mail. Each gets the fields it takes, its share URL
and a suggested text to paste, cut to that network's limit (counted in code points)."""

from __future__ import annotations

from cableshare.excerpt import fit
from cableshare.posts import Post, PostParts, head_text, quote_all

LIMITS = {"linkedin": 3000, "facebook": 5000, "reddit": 300, "telegram": 4096, "whatsapp": 4000,
          "hackernews": 80, "email": 1800}


def _q(value: str) -> str:
    return quote_all(value)


def _fitted(parts: PostParts, limit: int, extra: int) -> str:
    """Head text (quote + attribution) within ``limit`` minus ``extra`` code points."""
    room = limit - extra
    excerpt = fit(parts.quote, lambda e: len(head_text(e, parts.attribution)), room, limit)
    return head_text(excerpt, parts.attribution)


def _title(title: str, limit: int) -> str:
    return fit(title, len, limit, limit)


def link_posts(parts: PostParts, title: str) -> dict[str, Post]:
    """Posts for the link-taking networks (see the module docstring)."""
    link, tags = parts.link, " ".join(parts.hashtags)
    out: dict[str, Post] = {}
    text = f"{_fitted(parts, LIMITS['linkedin'], len(parts.tail) + 1)}\n{parts.tail}"
    out["linkedin"] = Post("linkedin", text, len(text), LIMITS["linkedin"],
                           f"https://www.linkedin.com/sharing/share-offsite/?url={_q(link)}",
                           None, url=link, title=title)
    text = f"{_fitted(parts, LIMITS['facebook'], len(parts.tail) + 1)}\n{parts.tail}"
    out["facebook"] = Post("facebook", text, len(text), LIMITS["facebook"],
                           f"https://www.facebook.com/sharer/sharer.php?u={_q(link)}", None, url=link)
    red = _title(title, LIMITS["reddit"])
    out["reddit"] = Post("reddit", red, len(red), LIMITS["reddit"],
                         f"https://www.reddit.com/submit?url={_q(link)}&title={_q(red)}", "title",
                         url=link, title=red)
    text = f"{_fitted(parts, LIMITS['telegram'], len(link) + len(tags) + 2)}\n{tags}"
    out["telegram"] = Post("telegram", text, len(text) + len(link) + 1, LIMITS["telegram"],
                           f"https://t.me/share/url?url={_q(link)}&text={_q(text)}", "text", url=link)
    text = f"{_fitted(parts, LIMITS['whatsapp'], len(link) + 1)}\n{link}"
    out["whatsapp"] = Post("whatsapp", text, len(text), LIMITS["whatsapp"],
                           f"https://wa.me/?text={_q(text)}", "text", url=link)
    hn = _title(title, LIMITS["hackernews"])
    out["hackernews"] = Post("hackernews", hn, len(hn), LIMITS["hackernews"],
                             f"https://news.ycombinator.com/submitlink?u={_q(link)}&t={_q(hn)}", "t",
                             url=link, title=hn)
    out["email"] = _email(parts, title)
    return out


def _email(parts: PostParts, title: str) -> Post:
    """``mailto:`` with ``%20`` for spaces and ``%0D%0A`` line breaks (RFC 6068)."""
    # + 5: the blank line before the link, and the head's own line break as CR LF
    body = f"{_fitted(parts, LIMITS['email'], len(parts.link) + 5)}\r\n\r\n{parts.link}"
    body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    return Post("email", body, len(body), LIMITS["email"],
                f"mailto:?subject={_q(title)}&body={_q(body)}", "body", url=parts.link, title=title)
