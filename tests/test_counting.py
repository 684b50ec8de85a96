"""Network counters: X against twitter-text's conformance data and parse_tweet itself."""

from __future__ import annotations

import warnings

import pytest
import regex
import yaml
from hypothesis import given, settings
from sharefakes import hostile_text

from cableshare import counting

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from twitter_text import parse_tweet


def _validate_cases(shared_dir, group):
    data = yaml.safe_load((shared_dir / "conformance/twitter-text/validate.yml").read_text("utf-8"))
    return data["tests"][group]


def test_count_x_passes_the_v3_conformance_cases(shared_dir):
    cases = _validate_cases(shared_dir, "WeightedTweetsWithDiscountedEmojiCounterTest")
    cases += _validate_cases(shared_dir, "UnicodeDirectionalMarkerCounterTest")
    assert cases
    for case in cases:
        assert counting.count_x(case["text"]) == case["expected"]["weightedLength"], case["description"]


HOSTILE = hostile_text()


@settings(max_examples=400, deadline=None)
@given(HOSTILE)
def test_count_x_equals_parse_tweet(text):
    assert counting.count_x(text) == parse_tweet(text).weightedLength


@settings(max_examples=200, deadline=None)
@given(HOSTILE)
def test_graphemes(text):
    assert counting.count_graphemes(text) == len(regex.findall(r"\X", text))
    assert counting.grapheme_bounds(text) == [0] + [m.end() for m in regex.finditer(r"\X", text)]


@pytest.mark.parametrize("url, shown", [
    ("https://cableshare.test/cable/2007/03/07MOSCOW1143.html#par5", "cableshare.test/cable/2007/0..."),
    ("https://cableshare.test/s/1PSYsrrOOr", "cableshare.test/s/1PSYsrrOOr"),
    ("https://example.com/", "example.com"),
    ("http://Example.COM:8080/a", "example.com:8080/a"),
])
def test_bluesky_display_form(url, shown):
    assert counting.bluesky_display(url) == shown


def test_bluesky_counts_links_in_display_form():
    text = "Read https://cableshare.test/cable/2007/03/07MOSCOW1143.html#par5. 👨‍👩‍👧‍👦"
    assert counting.count_bluesky(text) == len("Read cableshare.test/cable/2007/0.... ") + 1


def test_mastodon_counts_urls_as_23():
    assert counting.count_mastodon("see https://example.com/" + "x" * 100) == 4 + 23
    assert counting.count_mastodon("see example.com") == len("see example.com")


def test_threads_counts_utf16_units():
    assert counting.count_threads("a😀é") == 4
