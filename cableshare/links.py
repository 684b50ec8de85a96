"""Links to a cable or a paragraph: link targets from URL templates, text fragments, short links.

A target is a URL template with ``{year}``, ``{month}`` (two digits), ``{ref}`` and optionally
``{anchor}`` after a ``#``. Without ``{anchor}`` the paragraph link is the cable link plus
``#<anchor>`` (``#par5``), the release's own scheme. Built in: ``self`` (this deployment's viewer
on ``PUBLIC_BASE_URL``) and ``wikileaks``.

Mirrors are configured as one string, entries separated by ``;`` or newlines, each
``name=template``::

    MIRRORS="cablegatesearch=https://cgs.example/cable/{year}/{month}/{ref}.html; plain=https://m.example/{ref}#{anchor}"
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urlsplit

from cableshare.shortcodes import short_code

WIKILEAKS = "https://wikileaks.org/cable/{year}/{month}/{ref}.html"
SELF_PATH = "/cable/{year}/{month}/{ref}.html"
_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
_FIELDS = {"year", "month", "ref", "anchor"}
_FRAGMENT_WORDS = 4
_FRAGMENT_LONG = 80


@dataclass(frozen=True)
class Target:
    """One place a cable can be read, as a URL template (see the module docstring)."""

    name: str
    template: str

    def cable_url(self, ref_id: str, created: datetime) -> str:
        page = self.template.split("#", 1)[0]
        return page.format(year=f"{created.year:04d}", month=f"{created.month:02d}",
                           ref=quote(ref_id, safe=""), anchor="")

    def paragraph_url(self, ref_id: str, created: datetime, anchor: str) -> str:
        fragment = self.template.split("#", 1)[1] if "#" in self.template else "{anchor}"
        return f"{self.cable_url(ref_id, created)}#{fragment.format(anchor=quote(anchor, safe=''))}"

    def url(self, ref_id: str, created: datetime, anchor: str | None) -> str:
        return self.paragraph_url(ref_id, created, anchor) if anchor else self.cable_url(ref_id, created)


def builtin_targets(base_url: str) -> dict[str, Target]:
    return {"self": Target("self", _literal(base_url.rstrip("/")) + SELF_PATH),
            "wikileaks": Target("wikileaks", WIKILEAKS)}


def parse_mirrors(config: str | Mapping[str, str] | None) -> dict[str, Target]:
    """``name=template`` entries (``;`` or newline separated), or a mapping; ``ValueError`` on a
    bad entry, so a misconfigured deployment fails at start and not on a reader's click."""
    if not config:
        return {}
    if isinstance(config, Mapping):
        pairs = list(config.items())
    else:
        entries = [e.strip() for e in re.split(r"[;\n]", config) if e.strip()]
        if any("=" not in e for e in entries):
            raise ValueError(f"MIRRORS entries are name=url-template, got {config[:80]!r}")
        pairs = [(name.strip(), template.strip()) for name, template in (e.split("=", 1) for e in entries)]
    return {name.lower(): check_target(name.lower(), template) for name, template in pairs}


def check_target(name: str, template: str) -> Target:
    """A validated target: absolute http(s) template with ``{ref}`` and known fields only."""
    if not _NAME.match(name):
        raise ValueError(f"mirror name {name!r}: use lower-case letters, digits, - and _")
    fields = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
    parts = urlsplit(template.replace("{", "").replace("}", ""))
    if parts.scheme not in ("http", "https") or not parts.netloc or "ref" not in fields \
            or not fields <= _FIELDS:
        raise ValueError(f"mirror {name!r}: the template must be an http(s) URL with {{ref}} "
                         f"and only {{year}}, {{month}}, {{ref}}, {{anchor}}: {template!r}")
    if "anchor" in fields and "{anchor}" not in template.partition("#")[2]:
        raise ValueError(f"mirror {name!r}: {{anchor}} may only appear after '#'")
    return Target(name, template)


def short_url(base_url: str, ref_id: str, anchor: str | None) -> str:
    """The built-in short link ``PUBLIC_BASE_URL/s/<code>`` (offline, derived from the target)."""
    return f"{base_url.rstrip('/')}/s/{short_code(ref_id, anchor)}"


def text_fragment_url(paragraph_url: str, text: str) -> str:
    """``…#par5:~:text=…`` (WICG scroll-to-text-fragment); long texts as ``textStart,textEnd``."""
    words = text.split()
    if not words:
        return paragraph_url
    if len(" ".join(words)) > _FRAGMENT_LONG and len(words) > 2 * _FRAGMENT_WORDS:
        directive = (f"{fragment_encode(' '.join(words[:_FRAGMENT_WORDS]))},"
                     f"{fragment_encode(' '.join(words[-_FRAGMENT_WORDS:]))}")
    else:
        directive = fragment_encode(" ".join(words))
    joiner = "" if "#" in paragraph_url else "#"
    return f"{paragraph_url}{joiner}:~:text={directive}"


def fragment_encode(part: str) -> str:
    """Percent-encode one text-directive part: everything but unreserved, and ``-`` too
    (``&``, ``,`` and ``-`` are the directive's own syntax)."""
    return quote(part, safe="").replace("-", "%2D")


def _literal(text: str) -> str:
    """``text`` escaped for ``str.format`` (a base URL with braces stays literal)."""
    return text.replace("{", "{{").replace("}", "}}")
