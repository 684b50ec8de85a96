"""Hashtags as X (twitter-text) extracts them: ``#cablegate``, ``#<refID>`` and the user's own.

twitter-text-parser has no hashtag extractor, so ``extract_hashtags`` is the twitter-text
reference regex (conformance: extract.yml ``hashtags``): a tag needs a letter (``#16`` is none),
must not follow a letter, digit, ``_`` or ``&``, and is dropped when followed by ``#`` or ``://``
or when it sits inside a URL.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex  # type: ignore[import-untyped]

from cableshare.counting import count_x, x_url_spans
from cableshare.errors import InvalidHashtag

BASE_TAG = "#cablegate"
MAX_EXTRA = 3
MAX_EXTRA_WEIGHT = 60
_SPECIAL = "_\u200c\u200d\ua67e\u05be\u05f3\u05f4\uff5e\u301c\u309b\u309c\u30a0\u30fb\u3003\u0f0b\u0f0c\u00b7"
_ALPHA = r"\p{L}\p{M}"
_ALNUM = rf"\p{{L}}\p{{M}}\p{{Nd}}{_SPECIAL}"
_HASHTAG = regex.compile(
    rf"(?:^|(?<=[\ufe0e\ufe0f]|[^&{_ALNUM}]))[#＃](?![\ufe0f\u20e3])([{_ALNUM}]*[{_ALPHA}][{_ALNUM}]*)",
    regex.V0,
)
_END = regex.compile(r"[#＃]|://")


def extract_hashtags(text: str) -> list[tuple[str, int, int]]:
    """(tag without '#', start, end) of every hashtag X would link in ``text``."""
    urls = x_url_spans(text)
    found = []
    for match in _HASHTAG.finditer(text):
        if _END.match(text, match.end()):
            continue
        start, end = match.start(), match.end()
        if any(a < end and start < b for a, b in urls):
            continue
        found.append((match.group(1), start, end))
    return found


def is_hashtag(tag: str) -> bool:
    """Whether ``#tag`` (``tag`` given with or without its sign) is extracted whole by X."""
    text = tag if tag[:1] in ("#", "＃") else "#" + tag
    found = extract_hashtags(text)
    return len(found) == 1 and found[0][1] == 0 and found[0][2] == len(text)


def ref_hashtag(ref_id: str) -> str | None:
    """``#07MOSCOW1143``, or None when X would not extract the ref whole (digits only, ``-``,
    ``.``…): a half-linked tag misleads readers, so the ref then goes into the text instead."""
    tag = "#" + ref_id
    return tag if is_hashtag(tag) else None


def share_hashtags(ref_id: str, extra: Iterable[str] = ()) -> list[str]:
    """``#cablegate``, ``#<refID>`` (when valid) and the validated extra tags, without repeats."""
    tags = [BASE_TAG]
    own = ref_hashtag(ref_id)
    if own:
        tags.append(own)
    extras = [_checked(t) for t in extra if t and t.strip()]
    if len(extras) > MAX_EXTRA or count_x(" ".join(extras)) > MAX_EXTRA_WEIGHT:
        raise InvalidHashtag(" ".join(extras)[:80], f"at most {MAX_EXTRA} extra hashtags of "
                             f"{MAX_EXTRA_WEIGHT} characters in all, so the quote still fits")
    seen = {t.lower() for t in tags}
    for tag in extras:
        if tag.lower() not in seen:
            seen.add(tag.lower())
            tags.append(tag)
    return tags


def _checked(tag: str) -> str:
    tag = tag.strip()
    tag = tag if tag[:1] in ("#", "＃") else "#" + tag
    if not is_hashtag(tag):
        raise InvalidHashtag(tag)
    return "#" + tag[1:]
