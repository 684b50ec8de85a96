"""Link targets, mirrors, text fragments, short links; every URL round-trips through the resolver."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sharefakes import FakeStore, make_cable

from cableshare import links as ln
from cableshare.refinput import parse_input
from cableshare.resolve import resolve

CREATED = datetime(2007, 3, 16, 13, 52)


def test_builtin_targets():
    targets = ln.builtin_targets("https://cableshare.test/")
    assert targets["self"].url("07MOSCOW1143", CREATED, "par5") == \
        "https://cableshare.test/cable/2007/03/07MOSCOW1143.html#par5"
    assert targets["wikileaks"].url("07MOSCOW1143", CREATED, None) == \
        "https://wikileaks.org/cable/2007/03/07MOSCOW1143.html"


def test_mirror_config_format():
    mirrors = ln.parse_mirrors("cgs=https://cgs.example/cable/{year}/{month}/{ref}.html;\n"
                               " plain = https://m.example/{ref}#p-{anchor}")
    assert mirrors["cgs"].url("07MOSCOW1143", CREATED, "par5") == \
        "https://cgs.example/cable/2007/03/07MOSCOW1143.html#par5"
    assert mirrors["plain"].url("07MOSCOW1143", CREATED, "par5") == "https://m.example/07MOSCOW1143#p-par5"
    assert mirrors["plain"].url("07MOSCOW1143", CREATED, None) == "https://m.example/07MOSCOW1143"


@pytest.mark.parametrize("config", [
    "noequals", "Bad Name=https://x.example/{ref}", "x=ftp://x.example/{ref}", "x=https://x.example/",
    "x=https://x.example/{ref}/{secret}", "x=https://x.example/{anchor}/{ref}", "x=javascript:{ref}",
])
def test_bad_mirror_config_fails_loudly(config):
    with pytest.raises(ValueError):
        ln.parse_mirrors(config)


def test_text_fragment_encoding():
    url = ln.text_fragment_url("https://c.test/x.html#par5", "Gas, oil & the so-called deal")
    assert url == "https://c.test/x.html#par5:~:text=Gas%2C%20oil%20%26%20the%20so%2Dcalled%20deal"


def test_long_text_fragment_is_a_range():
    text = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
    url = ln.text_fragment_url("https://c.test/x.html#par5", text)
    directive = url.split(":~:text=", 1)[1]
    start, end = directive.split(",")
    assert unquote(start) == "one two three four" and unquote(end) == "twelve thirteen fourteen fifteen"


def test_short_url():
    assert ln.short_url("https://cableshare.test/", "07MOSCOW1143", "par5").startswith(
        "https://cableshare.test/s/")


_refs = st.from_regex(r"\A[0-9]{2}[A-Z]{2,12}[0-9]{1,6}\Z").filter(lambda r: not r.isdigit())
_anchors = st.one_of(st.none(), st.builds(lambda n, k: f"par{n}" + (f"-{k}" if k > 1 else ""),
                                          st.integers(1, 199), st.integers(1, 5)))
_texts = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=200)


@settings(max_examples=200, deadline=None)
@given(ref=_refs, anchor=_anchors, year=st.integers(1966, 2010), month=st.integers(1, 12),
       quote=_texts)
def test_every_url_round_trips(ref, anchor, year, month, quote):
    created = datetime(year, month, 1)
    targets = {**ln.builtin_targets("https://cableshare.test"),
               **ln.parse_mirrors("m=https://m.example/c/{year}/{ref}.htm#{anchor}")}
    urls = [t.url(ref, created, anchor) for t in targets.values()]
    if anchor:
        urls.append(ln.text_fragment_url(targets["self"].url(ref, created, anchor), quote))
    for url in urls:
        parts = urlsplit(url)
        assert parts.scheme == "https" and parts.netloc and url.isascii() and " " not in url
        query = parse_input(url)
        assert (query.ref, query.paragraph) == (ref, anchor)


@settings(max_examples=50, deadline=None)
@given(ref=_refs, number=st.integers(1, 30))
def test_short_urls_round_trip(ref, number):
    texts = tuple(f"Paragraph {i}." for i in range(1, number + 1))
    fake = FakeStore([make_cable(ref, texts)])
    for anchor in (None, f"par{number}"):
        found = resolve(fake, ln.short_url("https://cableshare.test", ref, anchor))
        assert (found.ref_id, found.anchor) == (ref, anchor)
