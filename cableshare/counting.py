"""Post length as each network counts it, fast enough to call per post (no ``parse_tweet`` here).

- X: twitter-text v3 (config-v3.json): NFC, code points weigh 1 or 2 by range, every emoji
  sequence 2, every URL twitter-text extracts 23. ``count_x`` equals ``parse_tweet(t).weightedLength``
  (tested on validate.yml and by property tests) at a fraction of its cost: the emoji regex runs
  only where a character could start an emoji, the URL extractor only where a URL could be.
- Bluesky: 300 graphemes (``regex`` ``\\X``) of the text as its composer shows it, every
  ``http(s)://`` link in its display form (``bluesky_display``: host + path cut to 13 + "...").
- Mastodon: 500 graphemes, every ``http(s)://`` URL twitter-text extracts counts 23.
- Threads: 500, counted as UTF-16 code units (the strictest reading: an emoji counts 2).
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from functools import lru_cache
from urllib.parse import quote, urlsplit

import regex  # type: ignore[import-untyped]

with warnings.catch_warnings():  # twitter-text-parser 3.0.0 imports pkg_resources
    warnings.simplefilter("ignore", UserWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    from twitter_text import extract_urls_with_indices  # type: ignore[import-untyped]
    from twitter_text.config import config as _tt_config  # type: ignore[import-untyped]
    from twitter_text.regexp.emoji import emoji as _EMOJI  # type: ignore[import-untyped]
    from twitter_text.regexp.emoji import emoji_list as _EMOJI_LIST

LIMITS = {"x": 280, "bluesky": 300, "mastodon": 500, "threads": 500}
X_URL_LENGTH = 23
MASTODON_URL_LENGTH = 23
_V3 = _tt_config["defaults"]
_SCALE = _V3["scale"]


def _light_class() -> str:
    """Code points of weight 1 (scale 100) in config v3: everything else weighs 2."""
    light = [r for r in _V3["ranges"] if r["weight"] == _SCALE]
    return "".join(f"\\U{r['start']:08x}-\\U{r['end']:08x}" for r in light)


_EMOJI_FIRSTS = frozenset(int(e.codepoint.split()[0], 16) for e in _EMOJI_LIST) - frozenset(range(128))
_KEYCAP_MARKS = frozenset((0xFE0F, 0x20E3))
_HEAVY = re.compile(f"[^{_light_class()}]")
# Every emoji starts at a non-ASCII character or at a keycap base ("#", "*", a digit) right
# before one, so only the non-ASCII characters are visited (a one-range class scans fast).
_NON_ASCII = re.compile("[^\x00-\x7f]")
# A superset of where twitter-text can find a URL: a protocol, or "x.yz" with no space/punctuation.
# Written as a substring test plus a pattern starting with a literal ".", which ``re`` finds
# with a fast scan (an alternation of character classes scanned ~12x slower).
_MAYBE_DOTTED_URL = re.compile(r"\.(?<=[^\s!-/:-@\[-`{-~]\.)[^\s!-@\[-`{-~]{2}")
_NOT_PLAIN_CHAR = re.compile("[^\x00-\x7f\u2010-\u201f]")
_LINE_ENDS = re.compile(r"\r\n|\r")
_GRAPHEME = regex.compile(r"\X")
# Outside these blocks (ASCII but CR, Latin, punctuation, symbols) no character joins a cluster:
# a cheap stdlib test before the Unicode-property one.
_MAYBE_JOINER = re.compile("[^\x00-\x0c\x0e-\x7f\u00a0-\u02ff\u2000-\u200b\u200e-\u206f"
                           "\u20a0-\u20cf\u2100-\u2bff]")
# Characters that can join their neighbour into one grapheme cluster; without any, graphemes
# are code points (so ASCII-and-punctuation text skips the \X scan).
_JOINERS = regex.compile(r"[\r\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}\p{GCB=Prepend}"
                         r"\p{GCB=Regional_Indicator}\p{GCB=L}\p{GCB=V}\p{GCB=T}\p{GCB=LV}\p{GCB=LVT}]")
_BSKY_URL = re.compile(r"(?:^|(?<=[\s(]))https?://\S+", re.IGNORECASE)
_MASTODON_URL = re.compile(r"https?://", re.IGNORECASE)


def x_normalize(text: str) -> str:
    """The text X counts: NFC with CR/CRLF as LF."""
    return _LINE_ENDS.sub("\n", unicodedata.normalize("NFC", text))


def count_x(text: str) -> int:
    """X's weighted length (what ``parse_tweet(text).weightedLength`` returns)."""
    t = x_normalize(text)
    total = len(t) + len(_HEAVY.findall(t))
    pos = 0
    for start, end, weight in x_entities(t):
        if start >= pos:
            total += weight - (end - start) - len(_HEAVY.findall(t, start, end))
            pos = end
    return total


def x_entities(t: str) -> list[tuple[int, int, int]]:
    """(start, end, weight) of URLs (23) and emoji (2) in normalised text, URLs first on a tie."""
    found = [(s, e, X_URL_LENGTH) for s, e in x_url_spans(t)]
    found += [(s, e, 2) for s, e in _emoji_spans(t)]
    found.sort(key=lambda item: (item[0], -item[2]))
    return found


def x_url_spans(t: str, *, with_protocol_only: bool = False) -> list[tuple[int, int]]:
    if "://" not in t and not _MAYBE_DOTTED_URL.search(t):
        return []
    found = extract_urls_with_indices(t, extract_urls_without_protocol=not with_protocol_only)
    return [tuple(u["indices"]) for u in found]  # type: ignore[misc]


def _emoji_spans(t: str) -> list[tuple[int, int]]:
    if t.isascii():
        return []
    spans: list[tuple[int, int]] = []
    pos = 0
    for hint in _NON_ASCII.finditer(t):
        i = hint.start()
        cp = ord(t[i])
        starts = [i - 1] if cp in _KEYCAP_MARKS and i and t[i - 1] in "#*0123456789" else []
        starts += [i] if cp in _EMOJI_FIRSTS else []
        for start in starts:
            match = _EMOJI.match(t, start) if start >= pos else None
            if match:
                spans.append((start, match.end()))
                pos = match.end()
    return spans


def x_char_weight(char: str) -> int:
    """Weight of one code point outside any URL or emoji (1 or 2)."""
    return 2 if _HEAVY.match(char) else 1


def grapheme_bounds(text: str) -> list[int]:
    """Offsets where a cut cannot split a grapheme: 0, each cluster's end."""
    if not has_joiners(text):
        return list(range(len(text) + 1))
    return [0] + [m.end() for m in _GRAPHEME.finditer(text)]


def count_graphemes(text: str) -> int:
    if text.isascii():
        return len(text) - text.count("\r\n")
    if not has_joiners(text):
        return len(text)
    return len(_GRAPHEME.findall(text))


def has_joiners(text: str) -> bool:
    """Whether any grapheme of ``text`` is more than one code point."""
    return bool(_MAYBE_JOINER.search(text)) and bool(_JOINERS.search(text))


def bluesky_display(url: str) -> str:
    """How Bluesky's composer shows a link (social-app ``toShortUrl``): host, then the path,
    query and hash cut to 13 characters plus ``...`` when longer than 15."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
        if parts.port:
            host = f"{host}:{parts.port}"
    except (ValueError, UnicodeError):
        return url
    if parts.scheme.lower() not in ("http", "https") or not host:
        return url
    path = "" if parts.path in ("", "/") else _whatwg(parts.path)
    path += (f"?{_whatwg(parts.query)}" if parts.query else "") + \
        (f"#{_whatwg(parts.fragment)}" if parts.fragment else "")
    return host + path[:13] + "..." if len(path) > 15 else host + path


def _whatwg(part: str) -> str:
    return quote(part, safe="!$&'()*+,;=:@/?#%[]~-._")


def count_bluesky(text: str) -> int:
    """Graphemes with every ``http(s)://`` link in its display form, as Bluesky counts a post."""
    if "://" in text:
        text = _BSKY_URL.sub(lambda m: _bsky_link(m.group(0)), text)
    return count_graphemes(text)


def _bsky_link(uri: str) -> str:
    tail = ""
    if uri[-1] in ".,;:!?":
        uri, tail = uri[:-1], uri[-1]
    elif uri.endswith(")") and "(" not in uri:
        uri, tail = uri[:-1], ")"
    return bluesky_display(uri) + tail


def count_mastodon(text: str) -> int:
    """Graphemes, every http(s) URL (as twitter-text extracts it) counting 23."""
    if "://" in text and _MASTODON_URL.search(text):
        spans = x_url_spans(text, with_protocol_only=True)
        for start, end in reversed(spans):
            text = text[:start] + "x" * MASTODON_URL_LENGTH + text[end:]
    return count_graphemes(text)


def count_threads(text: str) -> int:
    """UTF-16 code units: what a ``string.length`` check counts."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le", "surrogatepass")) // 2


COUNTERS = {"x": count_x, "bluesky": count_bluesky, "mastodon": count_mastodon,
            "threads": count_threads}


def is_plain(text: str) -> bool:
    """Whether every counter gives ``len`` for ``text``, for any piece of it and for a piece
    after a space-ended ASCII prefix: ASCII and U+2010–U+201F only (dashes and curly quotes,
    which X weighs 1, are no emoji, join nothing and are one UTF-16 unit), no CR, nothing a URL
    could start. Most cable paragraphs are, so posts and threads fit by arithmetic."""
    return ((text.isascii() or not _NOT_PLAIN_CHAR.search(text)) and "\r" not in text
            and "://" not in text and not _MAYBE_DOTTED_URL.search(text))


def count(network: str, text: str) -> int:
    """The length of ``text`` on ``network`` (one of ``LIMITS``)."""
    return COUNTERS[network](text)


_ALNUM_RUN = re.compile(r"[A-Za-z0-9]")


def count_link(network: str, url: str) -> int:
    """``count(network, url)`` for a link this app built (``https://host/path#anchor``), cached
    by its shape: letters and digits after the host read as ``a``, which no URL rule tells
    apart, so one extraction serves every ref and anchor (X's URL regex costs ~0.3 ms)."""
    scheme, _, rest = url.partition("://")
    host, slash, path = rest.partition("/")
    if not url.isascii() or not slash:
        return count_cached(network, url)
    return count_cached(network, f"{scheme}://{host}/{_ALNUM_RUN.sub('a', path)}")


@lru_cache(maxsize=4096)
def count_cached(network: str, text: str) -> int:
    """``count`` for the parts posts repeat (link + hashtags, attribution): URL extraction once."""
    return COUNTERS[network](text)
