"""Property tests: whatever text or bytes come in, the parser answers with a Cable or a
ParseError that says where; it never raises anything else and never stops an iteration."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cableshare.model import Cable
from cableshare.parse import ParseError, find_cited_refs, parse_text, read_sources
from cableshare.parse.paragraphs import split_paragraphs

SEED = Path(__file__).resolve().parents[1] / "cableshare" / "sample" / "07MOSCOW1143.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")
FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Text made of the pieces real cables are made of, so the paragraph logic is exercised.
PIECES = st.sampled_from(["1.", "2. ", "¶3.", "(C)", "(S/NF) ", "\n", "\n\n", " ", "2006.", "A. ",
                          "MOSCOW 00001143  002 OF 003", "PAGE 02 ROME 01196 01 OF 02 082030Z",
                          "UNCLASSIFIED", "SUBJECT: X", "TAGS: A, B", "REF: 06 REYKJAVIK 431",
                          "Heading Line\n-----\n", "word", "Ko\nsovo", "\r\n", "\x00", "\"", "\\"])
CABLE_LIKE = st.lists(PIECES, max_size=60).map("\n".join)


def check(result: object, source: str) -> None:
    assert isinstance(result, Cable | ParseError)
    if isinstance(result, ParseError):
        assert result.source.startswith(source) and str(result).startswith(result.source)
    else:
        anchors = [p.anchor for p in result.paragraphs]
        assert len(anchors) == len(set(anchors))


@FAST
@given(st.text(max_size=2000))
def test_any_text(text: str) -> None:
    try:
        check(parse_text(text, source="in.txt"), "in.txt")
    except ParseError as exc:
        check(exc, "in.txt")


@FAST
@given(CABLE_LIKE)
def test_cable_like_text_splits(text: str) -> None:
    pars = split_paragraphs(text)
    assert len({p.anchor for p in pars}) == len(pars)
    assert not any(re.search(r"\b00001143\s+002 OF 003\b", p.text) for p in pars)
    find_cited_refs(text, 2006)


@FAST
@given(st.binary(max_size=3000), st.sampled_from(["x.txt", "x.csv", "x.html", "x.gz", "x.zip", "x.xz"]))
def test_any_bytes_as_a_file(tmp_path_factory: pytest.TempPathFactory, data: bytes, name: str) -> None:
    path = tmp_path_factory.mktemp("fuzz") / name
    path.write_bytes(data)
    for item in read_sources([path]):
        check(item, str(path))


@FAST
@given(st.integers(0, len(SEED_TEXT)), st.integers(0, len(SEED_TEXT)), st.text(max_size=40))
def test_truncated_and_garbled_seed(start: int, end: int, junk: str) -> None:
    text = SEED_TEXT[:start] + junk + SEED_TEXT[end:]
    try:
        check(parse_text(text, source="seed"), "seed")
    except ParseError as exc:
        check(exc, "seed")


ROW = ('"1","8/27/2004 14:41","04PARIS1","Embassy Paris","CONFIDENTIAL","","h","C O N F I D E N T I A '
       'L PARIS 000001 \n \n1. (C) Text \\"quoted\\". \n"\n')


@FAST
@given(st.integers(0, 3 * len(ROW)), st.text(max_size=20))
def test_garbled_csv_keeps_going(tmp_path_factory: pytest.TempPathFactory, cut: int, junk: str) -> None:
    data = (ROW * 3)[:cut] + junk + ROW
    path = tmp_path_factory.mktemp("csv") / "cables.csv"
    path.write_text(data, encoding="utf-8")
    items = list(read_sources([path]))
    for item in items:
        check(item, str(path))
    assert isinstance(items[-1], Cable) or len(junk) or cut % len(ROW)
