"""Hashtags, post texts, threads and intent URLs: never over a limit as the network counts."""

from __future__ import annotations

import re
import warnings
from urllib.parse import parse_qs, urlsplit

import pytest
import regex
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sharefakes import hostile_text, real_paragraphs

from cableshare import counting
from cableshare.errors import BadInstance, InvalidHashtag
from cableshare.hashtags import (
    extract_hashtags,
    is_hashtag,
    ref_hashtag,
    share_hashtags,
)
from cableshare.posts import PostParts, mastodon_instance, text_post
from cableshare.threads import thread

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from twitter_text import extract_urls_with_indices, parse_tweet

LINK = "https://cableshare.example.org/cable/2007/03/07MOSCOW1143.html#par5"
ATTRIBUTION = "US Embassy Moscow, 16 Mar 2007, ¶5"
TAGS = ("#cablegate", "#07MOSCOW1143")


def real_length(network: str, text: str) -> int:
    """Each network's own counting, independent of cableshare.counting where one exists."""
    if network == "x":
        return parse_tweet(text).weightedLength
    if network == "bluesky":  # the composer shows links in display form (social-app toShortUrl)
        return len(regex.findall(r"\X", re.sub(r"(?<!\S)https?://\S+", _short_url, text)))
    if network == "mastodon":  # Mastodon: twitter-text's URLs with a protocol count 23
        for url in reversed(extract_urls_with_indices(text, extract_urls_without_protocol=False)):
            start, end = url["indices"]
            text = text[:start] + "x" * 23 + text[end:]
        return len(regex.findall(r"\X", text))
    return len(text.encode("utf-16-le")) // 2


def _short_url(match: re.Match) -> str:
    url, tail = match.group(0), ""
    if url[-1] in ".,;:!?" or (url[-1] == ")" and "(" not in url):
        url, tail = url[:-1], url[-1]
    parts = urlsplit(url)
    path = (_serialised(parts.path, PATH_SET) if parts.path != "/" else "") \
        + (f"?{_serialised(parts.query, QUERY_SET)}" if parts.query else "") \
        + (f"#{_serialised(parts.fragment, FRAGMENT_SET)}" if parts.fragment else "")
    host = parts.netloc.lower()
    return (host + path[:13] + "..." if len(path) > 15 else host + path) + tail


#: WHATWG URL percent-encode sets beyond the C0 controls and non-ASCII (special schemes).
PATH_SET, QUERY_SET, FRAGMENT_SET = ' "#<>?`{}', " \"#<>'", ' "<>`'


def _serialised(part: str, encode_set: str) -> str:
    """A URL component as social-app's ``new URL()`` gives it back: UTF-8 percent-encoded outside
    printable ASCII and in the component's own WHATWG percent-encode set."""
    return "".join(ch if " " < ch <= "~" and ch not in encode_set else "".join(f"%{b:02X}" for b in ch.encode())
                   for ch in part)


def assert_tags_intact(text: str, tags=TAGS) -> None:
    assert [f"#{t}" for t, _, _ in extract_hashtags(text)][-len(tags):] == list(tags)


def test_extract_yml_hashtags(shared_dir):
    data = yaml.safe_load((shared_dir / "conformance/twitter-text/extract.yml").read_text("utf-8"))
    for group in ("hashtags", "hashtags_from_astral"):
        for case in data["tests"][group]:
            assert [t for t, _, _ in extract_hashtags(case["text"])] == case["expected"], case["text"]
    for case in data["tests"]["hashtags_with_indices"]:
        assert [[s, e] for _, s, e in extract_hashtags(case["text"])] == \
            [h["indices"] for h in case["expected"]], case["text"]


@pytest.mark.parametrize("tag, ok", [("#cablegate", True), ("#07MOSCOW1143", True), ("#16", False),
                                     ("#0", False), ("#a-b", False), ("#a b", False), ("#café", True),
                                     ("#日本語", True), ("#_", False), ("##x", False), ("#x://", False)])
def test_is_hashtag(tag, ok):
    assert is_hashtag(tag) is ok


@pytest.mark.parametrize("ref, tag", [("07MOSCOW1143", "#07MOSCOW1143"),
                                      ("08ECTION01OF02MANAMA492", "#08ECTION01OF02MANAMA492"),
                                      ("1143", None), ("09STATE-1143", None), ("06KABUL.1", None)])
def test_ref_tag_only_when_extracted_whole(ref, tag):
    assert ref_hashtag(ref) == tag
    assert share_hashtags(ref)[0] == "#cablegate"
    assert (tag in share_hashtags(ref)) if tag else len(share_hashtags(ref)) == 1


def test_extra_hashtags_validated():
    assert share_hashtags("07MOSCOW1143", ["Kosovo", "#kosovo", "#Serbia"]) == \
        ["#cablegate", "#07MOSCOW1143", "#Kosovo", "#Serbia"]
    for bad in (["#16"], ["a-b"], ["x" * 61], ["a", "b", "c", "d"]):
        with pytest.raises(InvalidHashtag) as info:
            share_hashtags("07MOSCOW1143", bad)
        assert info.value.code == "invalid_hashtag"


@pytest.mark.parametrize("value, host", [("mastodon.social", "mastodon.social"),
                                         (" https://Mastodon.Social/ ", "mastodon.social"),
                                         ("", None), (None, None)])
def test_mastodon_instance(value, host):
    assert mastodon_instance(value) == host


@pytest.mark.parametrize("value", ["evil.example/phish?x=", "a@b.example", "localhost", "1.2.3.4",
                                   "https://x.example:8080", "x.example#", "javascript:alert(1)",
                                   "ex ample.com", "xn--.example", "-bad.example"])
def test_mastodon_instance_rejects(value):
    with pytest.raises(BadInstance):
        mastodon_instance(value)


def _check_post(network: str, parts: PostParts) -> None:
    post = text_post(network, parts, instance="mastodon.social")
    assert post.length == real_length(network, post.text) <= post.limit
    assert_tags_intact(post.text, parts.hashtags)
    query = parse_qs(urlsplit(post.intent_url).query)
    assert query["text"] == [post.text]
    excerpt = post.text.split("\n— ", 1)[0].removeprefix("“").removesuffix("”").removesuffix("…")
    if excerpt and not post.text.startswith("— "):
        assert parts.quote.startswith(excerpt)
        assert len(excerpt) in [0] + [m.end() for m in regex.finditer(r"\X", parts.quote)]


def _check_thread(network: str, parts: PostParts) -> None:
    posts = thread(network, parts, parts.quote)
    for number, text in enumerate(posts, 1):
        assert real_length(network, text) <= counting.LIMITS[network], text
        assert text.startswith(f"{number}/{len(posts)} ")
    if posts:
        assert_tags_intact(posts[0], parts.hashtags)
        bodies = [p.split(" ", 1)[1] if " " in p else "" for p in posts]
        bodies[0] = bodies[0].split("\n— ", 1)[0]
        assert "".join(bodies).replace(" ", "") == "".join(parts.quote.split())


@pytest.mark.parametrize("network", ["x", "bluesky", "mastodon", "threads"])
def test_posts_of_real_paragraphs_fit(network):
    for text in real_paragraphs()[:400]:
        _check_post(network, PostParts(" ".join(text.split()), ATTRIBUTION, LINK, TAGS))


@pytest.mark.parametrize("network", ["x", "bluesky", "mastodon"])
def test_threads_of_real_paragraphs_fit(network):
    for text in real_paragraphs()[:150]:
        _check_thread(network, PostParts(" ".join(text.split()), ATTRIBUTION, LINK, TAGS))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=hostile_text(), network=st.sampled_from(["x", "bluesky", "mastodon", "threads"]))
def test_posts_of_hostile_text_fit(text, network):
    _check_post(network, PostParts(" ".join(text.split()), ATTRIBUTION, LINK, TAGS))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=hostile_text(), network=st.sampled_from(["x", "bluesky", "mastodon"]))
def test_threads_of_hostile_text_fit(text, network):
    _check_thread(network, PostParts(" ".join(text.split()), ATTRIBUTION, LINK, TAGS))


def test_ten_thousand_character_word():
    word = "A" * 10_000
    for network in ("x", "bluesky", "mastodon", "threads"):
        _check_post(network, PostParts(word, ATTRIBUTION, LINK, TAGS))
    _check_thread("x", PostParts("ok " + "日" * 3000 + " end", ATTRIBUTION, LINK, TAGS))


def test_excerpt_cuts_at_a_word_with_an_ellipsis():
    text = "word " * 200
    post = text_post("x", PostParts(text.strip(), ATTRIBUTION, LINK, TAGS))
    assert post.text.startswith("“word word") and "word…”\n— " in post.text


PLAIN_ALPHABET = st.sampled_from([*"abcXYZ019 .,;:-'\"()/!?@#&", *"\u2010\u2013\u2014\u2018\u2019\u201c\u201d\u201f"])


@settings(max_examples=300, deadline=None)
@given(st.text(PLAIN_ALPHABET, max_size=400), st.sampled_from(sorted(counting.LIMITS)))
def test_plain_text_counts_its_length_on_every_network(text, network):
    """What posts and threads rely on to fit by arithmetic: a plain text, and every piece of it,
    counts its length as the network itself counts (dots and quotes can still make a URL: then
    it is not plain)."""
    if not counting.is_plain(text):
        return
    for piece in (text, text[: len(text) // 2], text[len(text) // 3:]):
        assert real_length(network, piece) == len(piece)
