"""Resolving user input to a cable and paragraph: forms, errors, suggestions, bulk mode."""

from __future__ import annotations

import pytest
from sharefakes import FakeStore, make_cable

from cableshare.errors import (
    BadReference,
    NoSuchParagraph,
    UnknownCable,
    UnknownShortLink,
)
from cableshare.refinput import parse_input, parse_paragraph
from cableshare.resolve import find_references_in_text, resolve
from cableshare.shortcodes import short_code

PARS = tuple(f"Paragraph {i} text." for i in range(1, 15))


@pytest.fixture
def fake() -> FakeStore:
    return FakeStore([
        make_cable("07MOSCOW1143", PARS),
        make_cable("07MOSCOW1144", PARS[:3]),
        make_cable("06REYKJAVIK431", PARS[:2], origin="Embassy Reykjavik"),
        make_cable("08ECTION01OF02MANAMA492", PARS[:2], origin="Embassy Manama"),
        make_cable("07STATE1143", PARS[:1], origin="Secretary of State"),
        make_cable("09LONDON1", ("One.", "Two.", "Again one."), numbers=("1", "2", "1")),
    ])


@pytest.mark.parametrize("text, paragraph, ref, anchor", [
    ("07MOSCOW1143", None, "07MOSCOW1143", None),
    ("  #07moscow1143 ", None, "07MOSCOW1143", None),
    ("07 MOSCOW 1143", None, "07MOSCOW1143", None),
    ("07 moscow 001143", None, "07MOSCOW1143", None),
    ("MOSCOW 001143", None, None, None),
    ("07MOSCOW1143#par5", None, "07MOSCOW1143", "par5"),
    ("07MOSCOW1143 ¶5", None, "07MOSCOW1143", "par5"),
    ("07MOSCOW1143 ¶ 5", None, "07MOSCOW1143", "par5"),
    ("07MOSCOW1143 para 5", None, "07MOSCOW1143", "par5"),
    ("07MOSCOW1143, paragraph 5", None, "07MOSCOW1143", "par5"),
    ("07MOSCOW1143 5", None, "07MOSCOW1143", "par5"),
    ("07MOSCOW1143 par1-2", None, "07MOSCOW1143", "par1-2"),
    ("07MOSCOW1143", "¶5", "07MOSCOW1143", "par5"),
    ("07MOSCOW1143 ¶3", "5", "07MOSCOW1143", "par5"),
    ("https://wikileaks.org/cable/2007/03/07MOSCOW1143.html#par5", None, "07MOSCOW1143", "par5"),
    ("wikileaks.org/cable/2007/03/07MOSCOW1143.html", None, "07MOSCOW1143", None),
    ("https://wikileaks.org/plusd/cables/07MOSCOW1143_a.html", None, "07MOSCOW1143", None),
    ("https://cableshare.test/cable/2007/03/07MOSCOW1143.html#par5:~:text=a%2Cb", None,
     "07MOSCOW1143", "par5"),
    ("https://cableshare.test/share/07MOSCOW1143/5", None, "07MOSCOW1143", "par5"),
    ("https://cableshare.test/share/07MOSCOW1143/par1-2", None, "07MOSCOW1143", "par1-2"),
    ("/cable/07MOSCOW1143", None, "07MOSCOW1143", None),
])
def test_parse_input_forms(text, paragraph, ref, anchor):
    query = parse_input(text, paragraph)
    assert (query.ref, query.paragraph) == (ref, anchor)


@pytest.mark.parametrize("text", ["", "   ", "hello world!", "1143", "x" * 3000,
                                  "https://example.com/", "07MOSCOW1143 ¶abc"])
def test_bad_input_is_bad_reference(text):
    with pytest.raises(BadReference) as info:
        parse_input(text)
    assert info.value.code == "bad_reference" and info.value.message


@pytest.mark.parametrize("value, anchor", [("5", "par5"), (5, "par5"), ("¶5", "par5"),
                                           ("#par5", "par5"), ("par1-2", "par1-2"),
                                           ("paragraph 12", "par12"), ("05", "par5")])
def test_parse_paragraph(value, anchor):
    assert parse_paragraph(value) == anchor


def test_resolve_paragraph_and_whole_cable(fake):
    found = resolve(fake, "07moscow1143", "5")
    assert found.ref_id == "07MOSCOW1143" and found.paragraph.anchor == "par5"
    assert resolve(fake, "07MOSCOW1143").paragraph is None


def test_repeated_numbering_by_anchor(fake):
    assert resolve(fake, "09LONDON1", "par1-2").paragraph.text == "Again one."
    assert resolve(fake, "09LONDON1", "1").paragraph.text == "One."


def test_one_round_trip_for_a_known_ref(fake):
    resolve(fake, "07MOSCOW1143 5")
    assert fake.get_calls == 1


def test_yearless_citation(fake):
    assert resolve(fake, "REYKJAVIK 000431").ref_id == "06REYKJAVIK431"
    assert resolve(fake, "MOSCOW 001143", year=2007).ref_id == "07MOSCOW1143"


def test_short_link(fake):
    code = short_code("07MOSCOW1143", "par5")
    found = resolve(fake, f"https://cableshare.test/s/{code}")
    assert (found.ref_id, found.anchor) == ("07MOSCOW1143", "par5")
    with pytest.raises(UnknownShortLink):
        resolve(fake, "https://cableshare.test/s/nope0000")


def test_no_such_paragraph_names_what_exists(fake):
    with pytest.raises(NoSuchParagraph) as info:
        resolve(fake, "07MOSCOW1143", "15")
    error = info.value
    assert error.code == "no_such_paragraph"
    assert "cable 07MOSCOW1143 has 14 paragraphs; ¶15 does not exist" in error.message
    assert "¶1–¶14" in error.message
    assert error.available == [f"par{i}" for i in range(1, 15)]


@pytest.mark.parametrize("typo, expected", [
    ("07MOSCOW1134", "07MOSCOW1143"),     # transposed serial
    ("07MOSCW1143", "07MOSCOW1143"),      # typo in the station
    ("08MANAMA492", "08ECTION01OF02MANAMA492"),  # the release's malformed id
    ("06REYKAVIK431", "06REYKJAVIK431"),
])
def test_unknown_cable_suggests(fake, typo, expected):
    with pytest.raises(UnknownCable) as info:
        resolve(fake, typo)
    error = info.value
    assert error.code == "unknown_cable"
    assert 1 <= len(error.suggestions) <= 3 and error.suggestions[0] == expected
    assert expected in error.message


def test_unknown_cable_without_neighbours(fake):
    with pytest.raises(UnknownCable) as info:
        resolve(fake, "99NOWHERE1")
    assert info.value.suggestions == []


def test_find_references_in_text():
    text = ("As 07MOSCOW1143 shows (see also #06REYKJAVIK431 and 06 REYKJAVIK 432), and "
            "https://wikileaks.org/cable/2007/03/07MOSCOW1144.html#par3. Not UNSCR 1244.")
    found = find_references_in_text(text)
    assert [(f.ref_id, f.paragraph) for f in found] == [
        ("07MOSCOW1143", None), ("06REYKJAVIK431", None), ("06REYKJAVIK432", None),
        ("07MOSCOW1144", "par3")]
    assert text[found[0].start:found[0].end] == "07MOSCOW1143"


def test_resolve_on_the_real_store(store):
    from cableshare.importer import import_cables

    import_cables(store, [make_cable("07MOSCOW1143", PARS), make_cable("08ECTION01OF02MANAMA492")])
    assert resolve(store, "#07moscow1143 ¶5").paragraph.anchor == "par5"
    with pytest.raises(UnknownCable) as info:
        resolve(store, "08MANAMA492")
    assert info.value.suggestions == ["08ECTION01OF02MANAMA492"]
    code = short_code("07MOSCOW1143", "par5")
    assert resolve(store, f"https://x.test/s/{code}").anchor == "par5"
