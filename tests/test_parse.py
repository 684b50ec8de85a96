"""Unit tests of the parser: each paragraph rule on a small inline text, each input format, and
the seed cable's required shape."""

from __future__ import annotations

import bz2
import gzip
import lzma
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from cableshare.parse import (
    ParseError,
    detect_format,
    find_cited_refs,
    parse_text,
    read_sources,
)
from cableshare.parse.paragraphs import split_paragraphs

SEED = Path(__file__).resolve().parents[1] / "cableshare" / "sample" / "07MOSCOW1143.txt"


def anchors(body: str) -> list[str]:
    return [p.anchor for p in split_paragraphs(body)]


@pytest.mark.parametrize("body, expected", [
    ("1. (C) One.\n\n2. (C) Two.\n", ["par1", "par2"]),
    ("1.(C) No space after the dot.\n2.(S/NF) Nor here.\n", ["par1", "par2"]),
    ("¶1. Converter pilcrow.\n¶2. Again.\n", ["par1", "par2"]),
    ("1 . Space before the dot.\n\n2 . Again.\n", ["par1", "par2"]),
    ("   1.  (SBU)  Indented, two spaces.\n   2.  (SBU)  Again.\n", ["par1", "par2"]),
    ("1. One.\n\n2  (C) No dot but a marking.\n\n3, (C) A comma.\n", ["par1", "par2", "par3"]),
    # a wrapped year, a wrapped number and a wrapped "15 percent" are not paragraphs
    (("1. (C) Elections were held in\n2006. Turnout was high and\n15 percent voted\n1990 and after.\n"
     "\n2. (C) Next.\n"), ["par1", "par2"]),
    # lettered lines (REF lines, Q/A) and sub-items stay inside their paragraph
    ("1. (C) Questions:\nA. ANKARA 0610\nB. What now?\nQ. Why?\n-- a dash item\n(a) sub\n\n2. Done.\n",
     ["par1", "par2"]),
    # a quoted cable restarts at 1; anchors stay unique
    ("1. (C) We quote:\n\n1. Quoted one.\n\n2. Quoted two.\n\n2. (C) Back outside.\n\n3. (C) End.\n",
     ["par1", "par1-2", "par2", "par2-2", "par3"]),
    # a number skipped by the drafter
    ("1. (C) One.\n\n2. (C) Two.\n\n4. (C) Four.\n", ["par1", "par2", "par4"]),
    # "1.4 (b)" classification reasons and "1,000 troops" are not paragraphs
    ("Classified By: Ambassador, reasons\n1.4 (b) and (d).\n\n1. (C) Summary.\n1,000 troops\n",
     ["par1"]),
])
def test_paragraph_numbers(body: str, expected: list[str]) -> None:
    assert anchors(body) == expected


@pytest.mark.parametrize("line, marking, text", [
    ("1. (C) Text.", "C", "Text."),
    ("1.(S/NF) Text.", "S/NF", "Text."),
    ("1.  (SBU)  Text.", "SBU", "Text."),
    ("1. (C/NF) Text.", "C/NF", "Text."),
    ("1. (SBU/NF)Text.", "SBU/NF", "Text."),
    ("1. ( C ) Text.", "C", "Text."),
    ("1. (c) text.", "C", "text."),
    ("1. C) Text.", "C", "Text."),
    ("1. Text (U) later.", None, "Text (U) later."),
    ("1. (U.S. view) Text.", None, "(U.S. view) Text."),
])
def test_marking(line: str, marking: str | None, text: str) -> None:
    [par] = split_paragraphs(line + "\n")
    assert (par.marking, par.text) == (marking, text)


@pytest.mark.parametrize("body, heading, previous_text", [
    ("1. (C) One.\n\nRussia: No Swaps\n----------------\n\n2. (C) Two.\n", "Russia: No Swaps", "One."),
    ("1. (C) One.\nFlagging UNMIK Successor\n2. (C) Two.\n", "Flagging UNMIK Successor", "One."),
    ("1. (C) One ends\nwithout a heading\n2. (C) Two.\n", None, "One ends without a heading"),
    ("1. (C) One.\nEnd Summary\n\n2. (C) Two.\n", None, "One. End Summary"),
])
def test_heading(body: str, heading: str | None, previous_text: str) -> None:
    first, second = split_paragraphs(body)
    assert (second.heading, first.text) == (heading, previous_text)


@pytest.mark.parametrize("page_break", [
    "MOSCOW 00001143  002 OF 003",
    "PARIS 00002069 001.2 OF 002",
    "REYKJAVIK 00000195  002 OF 002 ",
    "PAGE 02 ROME 01196 01 OF 02 082030Z",
    "                       UNCLASSIFIED ",
    "CONFIDENTIAL SECTION 02 OF 03 MOSCOW 001143",
])
def test_page_break_removed(page_break: str) -> None:
    body = f"1. (C) The text runs on \nacross the \n\n{page_break}\n\npage into the next. \n\n2. (C) Two.\n"
    first, _ = split_paragraphs(body)
    assert first.text == "The text runs on across the page into the next."


def test_word_split_by_a_line_break_is_rejoined() -> None:
    body = "".join(f"1. (C) Line {i} with a soft wrap \n" if i == 0 else f"more text {i} \n"
                   for i in range(6)) + "Serbian objections to Ko\nsovo's independence. \n"
    [par] = split_paragraphs(body)
    assert par.text.endswith("Serbian objections to Kosovo's independence.")


def test_wraps_joined_and_blocks_kept() -> None:
    [par] = split_paragraphs("1. (C) Begin text:\n\nThe Ministry   greets\nthe Embassy.\n")
    assert par.text == "Begin text:\n\nThe Ministry greets the Embassy."


def test_signature_trimmed_from_last_paragraph() -> None:
    pars = split_paragraphs("1. (C) One.\n\n2. (C) Two ends here.\nBURNS\nNNNN\nEnd Cable Text\n")
    assert pars[-1].text == "Two ends here."


def test_unnumbered_body_gives_block_paragraphs() -> None:
    body = ("UNCLAS BOGOTA 001165\n\nSIPDIS\n\nE.O. 12958: N/A\nTAGS: PGOV CO\nSUBJECT: A TEST\n\n"
            "First block of text\nwrapped.\n\nSecond block.\nDRUCKER\n")
    pars = split_paragraphs(body)
    assert [(p.number, p.anchor, p.text) for p in pars] == [
        ("1", "par1", "First block of text wrapped."), ("2", "par2", "Second block.")]


def test_seed_cable() -> None:
    cable = parse_text(SEED.read_text(encoding="utf-8"), source=str(SEED))
    assert (cable.ref_id, cable.created, cable.released, cable.classification, cable.origin) == (
        "07MOSCOW1143", datetime(2007, 3, 16, 13, 52), datetime(2011, 8, 30, 1, 44),
        "CONFIDENTIAL", "Embassy Moscow")
    assert [p.anchor for p in cable.paragraphs] == [f"par{n}" for n in range(1, 15)]
    assert all("00001143" not in p.text for p in cable.paragraphs)
    assert "Kosovo's independence" in cable.paragraphs[5].text
    assert cable.paragraphs[-1].text.endswith("no Ahtisaari plan without Serbian end")
    assert cable.paragraphs[1].heading == "Serbs United Against Ahtisaari; GOR Counsels Engagement"
    assert {p.marking for p in cable.paragraphs} == {"C"}


HTML = ("<html><body><table class='cable'><tr><th>Reference ID</th></tr><tr>"
        "<td><a href='/cable/2008/10/08LONDON2651.html'>08LONDON2651</a></td>"
        "<td><a href='/date/2008-10_0.html'>2008-10-21 17:05</a></td>"
        "<td><a href='/reldate/2010-11-30_0.html'>2010-11-30 21:09</a></td>"
        "<td><a href='/classification/4_0.html'>SECRET//NOFORN</a></td>"
        "<td><a href='/origin/55_0.html'>Embassy London</a></td></tr></table>"
        "<code><pre>P 211703Z OCT 08&#x000A;FM AMEMBASSY LONDON</pre></code>"
        "<code><pre>S E C R E T LONDON 002651 &#x000A;&#x000A;TAGS: <a href='/tag/PGOV_0.html'>PGOV"
        "</a> <a href='/tag/UK_0.html'>UK</a>&#x000A;SUBJECT: EDELMAN&#x2019;S MEETINGS &#x000A;"
        "&#x000A;REF: 08 LONDON 2000&#x000A;&#x000A;<a id='par1' href='#par1'>¶</a>1. (S/NF) One &amp; "
        "only.&#x000A;&#x000A;2.(C) Missed by the site.</pre></code></body></html>")


def test_html_page() -> None:
    cable = parse_text(HTML, source="page.html")
    assert (cable.ref_id, cable.created, cable.released, cable.classification, cable.origin) == (
        "08LONDON2651", datetime(2008, 10, 21, 17, 5), datetime(2010, 11, 30, 21, 9),
        "SECRET//NOFORN", "Embassy London")
    assert (cable.subject, cable.tags, cable.references) == ("EDELMAN’S MEETINGS", ("PGOV", "UK"),
                                                              ("08LONDON2000",))
    assert cable.header == "P 211703Z OCT 08\nFM AMEMBASSY LONDON"
    assert [(p.anchor, p.marking, p.text) for p in cable.paragraphs] == [
        ("par1", "S/NF", "One & only."), ("par2", "C", "Missed by the site.")]


CSV_ROW = ('\n"15843","4/9/2004 6:06","04VILNIUS395","Embassy Vilnius","UNCLASSIFIED",'
           '"04SECSTATE73149,04VILNIUS1","header\n","UNCLAS VILNIUS 000395 \n \nSUBJECT: LITHUANIA '
           'EXPRESSES \nINTEREST \n \n1. (U) MFA\\\'S \\"VIEW\\". \nMULL \n"\n')


def test_csv_rows_and_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "cables.csv"
    path.write_text(CSV_ROW + '"1","2/3/2004 1:02","04X1"\n' + CSV_ROW.lstrip("\n"), encoding="utf-8")
    first, bad, last = read_sources([path])
    assert (first.ref_id, first.created, first.released, first.origin) == (
        "04VILNIUS395", datetime(2004, 4, 9, 6, 6), None, "Embassy Vilnius")
    assert first.references == ("04SECSTATE73149", "04VILNIUS1")
    assert first.subject == "LITHUANIA EXPRESSES INTEREST"
    assert [p.text for p in first.paragraphs] == ['MFA\'S "VIEW".']
    assert isinstance(bad, ParseError) and (bad.line, str(bad)) == (
        11, f"{path}:11: row has 3 fields, expected 8")
    assert last.ref_id == "04VILNIUS395"


FIVE_LINE = ("10CHENGDU30\nYUNNAN CHRISTIANITY\nThu Feb 04 00:00:00 +0100 2010\n"
             "UNCLASSIFIED//FOR OFFICIAL USE ONLY\nConsulate Chengdu\nFM AMCONSUL CHENGDU\n"
             "RUEHOO/CHINA POSTS COLLECTIVEUNCLAS SECTION 01 OF 02 CHENGDU 000030 \n \n"
             "SUBJECT: YUNNAN CHRISTIANITY \n \n\xb61. (SBU) Summary. \n \n\xb62. (SBU) Two. \n")


@pytest.mark.parametrize("data", [FIVE_LINE.encode("cp1252"), FIVE_LINE.replace("\n", "\r\n").encode("cp1252"),
                                  FIVE_LINE.encode("utf-8")])
def test_text_with_five_line_header(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "10CHENGDU30.txt"
    path.write_bytes(data)
    [cable] = read_sources([path])
    assert (cable.ref_id, cable.created, cable.classification, cable.origin) == (
        "10CHENGDU30", datetime(2010, 2, 4), "UNCLASSIFIED//FOR OFFICIAL USE ONLY", "Consulate Chengdu")
    assert cable.header.endswith("COLLECTIVE")
    assert [p.anchor for p in cable.paragraphs] == ["par1", "par2"]


def test_text_with_five_line_header_and_no_body() -> None:
    cable = parse_text("01STATE176819\nAFGHANISTAN\nThu Oct 11 00:00:00 +0200 2001\nCONFIDENTIAL\n"
                       "Secretary of State\n")
    assert (cable.ref_id, cable.subject, cable.paragraphs) == ("01STATE176819", "AFGHANISTAN", ())


def test_bare_cable_metadata_from_routing_lines() -> None:
    text = ("VZCZCXRO0594\nDE RUEHBO #1165 0471902\nR 161902Z FEB 07\nFM AMEMBASSY BOGOTA\n"
            "TO RUEHC/SECSTATE WASHDC 2786\nCONFIDENTIAL BOGOTA 001165 \n \nNOFORN \n \n"
            "1. (C) Text. \n")
    cable = parse_text(text)
    assert (cable.ref_id, cable.created, cable.classification, cable.origin) == (
        "07BOGOTA1165", datetime(2007, 2, 16, 19, 2), "CONFIDENTIAL//NOFORN", "Embassy Bogota")


@pytest.mark.parametrize("opener, suffix", [(gzip.open, ".gz"), (bz2.open, ".bz2"), (lzma.open, ".xz")])
def test_compressed(tmp_path: Path, opener, suffix: str) -> None:
    path = tmp_path / f"seed.txt{suffix}"
    with opener(path, "wb") as fh:
        fh.write(SEED.read_bytes())
    [cable] = read_sources([str(path)])
    assert cable.ref_id == "07MOSCOW1143"


def test_zip_members_directories_and_globs(tmp_path: Path) -> None:
    archive = tmp_path / "a" / "cables.zip"
    archive.parent.mkdir()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("one.txt", SEED.read_bytes())
        zf.writestr("broken.txt", b"nothing here")
    (tmp_path / "a" / "b").mkdir()
    (tmp_path / "a" / "b" / "seed.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "a" / "README.md").write_text("not a cable")
    items = list(read_sources([tmp_path / "a"]))
    assert [type(i).__name__ for i in items] == ["ParseError", "Cable", "Cable"]  # README.md skipped
    assert items[0].source == f"{archive}!broken.txt" and items[0].line is None
    assert [c.ref_id for c in read_sources([str(tmp_path / "a" / "**" / "*.txt")])] == ["07MOSCOW1143"]
    [missing] = read_sources([tmp_path / "nope.txt"])
    assert str(missing) == f"{tmp_path / 'nope.txt'}: no such file or directory"


@pytest.mark.parametrize("head, fmt", [
    (b"<?xml version='1.0' encoding='utf-8' ?>\n<html>", "html"),
    ('\n"1","8/27/2004 14:41","04X1","Embassy X"', "csv"),
    (b"07MOSCOW1143\nSUBJECT", "text"),
])
def test_detect_format(head: bytes | str, fmt: str) -> None:
    assert detect_format(head) == fmt


@pytest.mark.parametrize("text, year, expected", [
    ("REF: 06 REYKJAVIK 431", None, ["06REYKJAVIK431"]),
    ("see ASUNCION 00211", 2006, ["06ASUNCION211"]),
    ("see ASUNCION 00211", None, []),
    ("07MOSCOW1143 and 07 MOSCOW 001143", None, ["07MOSCOW1143", "07MOSCOW1143"]),
    ("REFTEL KUALA LUMPUR 1403", "07", ["07KUALALUMPUR1403"]),
    ("A. SECSTATE 73149", 2004, ["04STATE73149"]),
    ("UNSCR 1244 of MARCH 15, 2006 PARIS", 2006, []),
])
def test_find_cited_refs(text: str, year, expected: list[str]) -> None:
    found = find_cited_refs(text, year)
    assert found == expected
    assert all(text[f.start:f.end].replace(" ", "").lstrip("0123456789") for f in found)


def test_cited_ref_positions() -> None:
    text = "REF: A. 06 REYKJAVIK 431"
    [ref] = find_cited_refs(text)
    assert (ref.ref_id, text[ref.start:ref.end]) == ("06REYKJAVIK431", "06 REYKJAVIK 431")


@pytest.mark.parametrize("text", ["", "   \n", "just some words", "<html><body>no table</body></html>"])
def test_parse_text_errors(text: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_text(text, source="x.txt")
    assert info.value.source == "x.txt" and str(info.value).startswith("x.txt: ")
