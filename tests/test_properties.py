"""Property tests filling the gaps left by ``test_parse_fuzz.py`` and ``test_posts.py``:

* parser: real cables of every shared format, cut and garbled at the byte level and re-encoded in
  other encodings, read through ``read_sources`` → a Cable or a ParseError saying where, nothing else;
* resolver: any string (and any paragraph) → a ``Resolved`` or a named ``cableshare.errors`` error;
* share engine: any paragraph text, subject and origin → posts within every limit, embeds inert,
  no bidi control in what is shown, a JSON-serialisable result.
"""

from __future__ import annotations

import glob
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sharefakes import SHARED, FakeStore, hostile_text, make_cable

from cableshare import errors
from cableshare.model import Cable
from cableshare.parse import ParseError, read_sources
from cableshare.refinput import parse_input
from cableshare.resolve import Resolved, resolve
from cableshare.share import ShareSettings, build_share

ROOT = Path(__file__).resolve().parents[1]
PROPS = settings(max_examples=120, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
BIDI = {chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}


def _real_files() -> list[Path]:
    """A few real cables of each shared format (the bundled sample when ../shared is absent)."""
    picks = []
    for pattern in ("cables/html/**/*.html", "cables/csv/*.csv", "cables/text/*.txt", "cables/seed/*"):
        picks += sorted(glob.glob(str(SHARED / pattern), recursive=True))[:3]
    picks = [p for p in picks if Path(p).stat().st_size < 400_000]
    return [Path(p) for p in picks] or sorted((ROOT / "cableshare/sample").glob("*.txt"))


REAL = _real_files()
ENCODINGS = ["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16", "utf-16-le", "utf-32", "shift_jis",
             "koi8-r", "mac_roman"]


def check_item(item: object, path: Path) -> None:
    """A Cable with unique anchors, or a ParseError naming the file (and a sane line)."""
    assert isinstance(item, Cable | ParseError), type(item)
    if isinstance(item, ParseError):
        assert item.source.startswith(str(path)) and str(item).startswith(item.source)
        assert item.message.strip()
        assert item.line is None or (isinstance(item.line, int) and item.line >= 1)
    else:
        anchors = [p.anchor for p in item.paragraphs]
        assert len(anchors) == len(set(anchors)) and item.ref_id.strip()


@PROPS
@given(data=st.data())
def test_real_cables_cut_and_garbled_bytes(tmp_path_factory, data):
    source = data.draw(st.sampled_from(REAL), label="file")
    raw = source.read_bytes()
    start = data.draw(st.integers(0, len(raw)), label="start")
    end = data.draw(st.integers(start, len(raw)), label="end")
    junk = data.draw(st.binary(max_size=64), label="junk")
    garbled = raw[:start] + junk + raw[end:]
    path = tmp_path_factory.mktemp("garbled") / source.name
    path.write_bytes(garbled)
    for item in read_sources([path]):
        check_item(item, path)


@PROPS
@given(data=st.data())
def test_real_cables_in_any_encoding(tmp_path_factory, data):
    source = data.draw(st.sampled_from(REAL), label="file")
    encoding = data.draw(st.sampled_from(ENCODINGS), label="encoding")
    text = source.read_bytes().decode("utf-8", errors="replace")
    cut = data.draw(st.integers(0, len(text)), label="cut")
    encoded = text[:cut].encode(encoding, errors="replace")
    path = tmp_path_factory.mktemp("enc") / source.name
    path.write_bytes(encoded)
    for item in read_sources([path]):
        check_item(item, path)


@PROPS
@given(text=hostile_text(), encoding=st.sampled_from(ENCODINGS),
       name=st.sampled_from(["c.txt", "c.csv", "c.html"]))
def test_any_text_in_any_encoding(tmp_path_factory, text, encoding, name):
    path = tmp_path_factory.mktemp("any") / name
    path.write_bytes(text.encode(encoding, errors="replace"))
    for item in read_sources([path]):
        check_item(item, path)


# -- resolver ------------------------------------------------------------------------------------

CORPUS = FakeStore([make_cable("07MOSCOW1143", ("One.", "Two.", "Three.")),
                    make_cable("06REYKJAVIK431", ("Only.",), created=__import__("datetime").datetime(2006, 9, 1)),
                    make_cable("90STATE255195TOSEC140301", ("Odd ref.",))])
NAMED = (errors.BadReference, errors.UnknownCable, errors.NoSuchParagraph, errors.UnknownShortLink)
REF_PIECES = st.sampled_from([
    "07MOSCOW1143", "07moscow1143", "07 MOSCOW 1143", "MOSCOW 1143", "06 REYKJAVIK 431", "¶", "par",
    "para ", " ", "5", "2", "-", "#par2", "https://", "http://", "wikileaks.org", "/cable/2007/03/",
    ".html", "/share/", "/s/", ":~:text=", "%2C", "%", "?", "&", "#", "..", "/", "\\", "\x00", "\u202e",
    "\u200b", "javascript:", "<script>", "日本", "9" * 30, "99NOWHERE1", "90STATE255195TOSEC140301",
])
REF_LIKE = st.lists(st.one_of(REF_PIECES, st.text(max_size=5)), max_size=12).map("".join)
PARAGRAPHS = st.one_of(st.none(), st.integers(-10**12, 10**12), st.text(max_size=30), REF_PIECES)


def check_resolution(text: str, paragraph: object) -> None:
    try:
        found = resolve(CORPUS, text, paragraph)
    except NAMED as exc:
        assert exc.code and exc.message.strip() and str(exc) == exc.message
        assert len(exc.message) < 1000  # a message, never the whole input echoed
        assert isinstance(exc, errors.ShareError)
        return
    assert isinstance(found, Resolved) and found.cable.ref_id in CORPUS.cables
    assert found.paragraph is None or found.paragraph in found.cable.paragraphs


@PROPS
@given(text=st.one_of(st.text(max_size=300), REF_LIKE), paragraph=PARAGRAPHS)
def test_resolver_answers_a_result_or_a_named_error(text, paragraph):
    check_resolution(text, paragraph)


@PROPS
@given(text=REF_LIKE)
def test_parse_input_raises_only_bad_reference(text):
    try:
        query = parse_input(text)
    except errors.BadReference as exc:
        assert exc.message
        return
    assert query.ref is None or (query.ref.strip() and len(query.ref) < 200)


def test_resolver_examples():
    assert resolve(CORPUS, "07 moscow 1143 ¶2").anchor == "par2"
    for text, exc in [("", errors.BadReference), ("99NOWHERE1", errors.UnknownCable),
                      ("07MOSCOW1143 ¶9", errors.NoSuchParagraph), ("x" * 5000, errors.BadReference)]:
        with pytest.raises(exc):
            resolve(CORPUS, text)


# -- share engine --------------------------------------------------------------------------------

SETTINGS = ShareSettings.from_config({"PUBLIC_BASE_URL": "https://cableshare.test"})
URL_PREFIXES = ("https://", "mailto:?")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs


def check_share(result) -> None:
    data = result.to_dict()
    json.dumps(data)  # serialisable as the API answers it
    for name, post in result.posts.items():
        assert post.length <= post.limit, (name, post.length, post.limit)
        assert not BIDI & set(post.text), name
        if post.intent_url:
            assert post.intent_url.startswith(URL_PREFIXES)
    for name, posts in result.threads.items():
        assert all(not BIDI & set(p) for p in posts), name
    parsed = _Tags()
    parsed.feed(result.embeds.html)
    assert parsed.tags == ["blockquote", "p", "footer", "a"]
    assert {k for k, _ in parsed.attrs} == {"class", "cite", "dir", "href"}
    assert all(v is None or v.startswith("https://cableshare.test/") for k, v in parsed.attrs
               if k in ("cite", "href"))
    body = result.embeds.bbcode[len("[quote]"):]
    assert body.count("[url=") == 1 and "[url=https://cableshare.test/" in body
    assert result.embeds.markdown.count("](<https://cableshare.test/") == 1
    for embed in result.embeds.to_dict().values():
        assert not BIDI & set(embed)


@PROPS
@given(text=hostile_text(), subject=hostile_text(8), origin=hostile_text(6))
def test_any_paragraph_text_keeps_limits_and_escaping(text, subject, origin):
    assume(text.strip())
    cable = make_cable("07MOSCOW1143", (text, "Second."), subject=subject, origin=origin or "Embassy")
    store = FakeStore([cable])
    check_share(build_share(store, SETTINGS, "07MOSCOW1143", "1"))
    check_share(build_share(store, SETTINGS, "07MOSCOW1143"))  # the whole cable


@PROPS
@given(text=hostile_text(), start=st.integers(0, 200), length=st.integers(1, 200))
def test_any_quote_of_any_paragraph(text, start, length):
    assume(text.strip())
    store = FakeStore([make_cable("07MOSCOW1143", (text,))])
    quote = text[start:start + length]
    try:
        result = build_share(store, SETTINGS, "07MOSCOW1143", "1", quote=quote)
    except errors.QuoteNotFound as exc:
        assert "07MOSCOW1143" in exc.message
        return
    check_share(result)
