"""Quote cards: 1200×630 PNGs, deterministic, and hostile text drawn without error."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from PIL import Image

from cableshare.model import Cable, Paragraph
from webapp import cards

REF = "07MOSCOW1143"
CABLE = Cable(REF, datetime(2007, 3, 16, 13, 52), None, "CONFIDENTIAL", "Embassy Moscow",
              "KOSOVO: TITOV")
HOSTILE = [
    "<script>alert(1)</script>",
    "x" * 10_000,
    "\u202eevil right-to-left override\u202c and \u200f marks",
    "emoji 😀🇺🇸👩‍👩‍👧 and Arabic مرحبا and CJK 漢字",
    "\x00\x07\x1b[31m control characters",
    "",
    "word " * 3_000,
]


def _png(data: bytes) -> Image.Image:
    Image.open(io.BytesIO(data)).verify()
    return Image.open(io.BytesIO(data))


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_renders(text):
    image = _png(cards.render_card(CABLE, Paragraph("5", "par5", text)))
    assert image.format == "PNG" and image.size == (1200, 630)


def test_caption():
    assert cards.caption(CABLE, Paragraph("5", "par5", "x")) == \
        "07MOSCOW1143 ¶5 — Embassy Moscow, 16 Mar 2007"
    assert cards.caption(CABLE) == "07MOSCOW1143 — Embassy Moscow, 16 Mar 2007"


def test_rendering_is_deterministic():
    paragraph = Paragraph("5", "par5", "The same words give the same bytes.")
    first = cards.render_card(CABLE, paragraph)
    cards.render.cache_clear()
    assert cards.render_card(CABLE, paragraph) == first


def test_long_quote_is_cut_with_an_ellipsis():
    _, _, lines = cards.fit_quote("word " * 3_000)
    assert lines[-1].endswith("…")


def test_wrap_breaks_overlong_words():
    font = cards.load_font("DejaVuSerif.ttf", 24)
    lines = cards.wrap("y" * 10_000, font, 500)
    assert "".join(lines) == "y" * 10_000
    assert all(font.getlength(line) <= 500 for line in lines)


@pytest.mark.parametrize("url", [f"/card/{REF}/par5.png", f"/card/{REF}.png"])
def test_card_route(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert _png(response.data).size == (1200, 630)


@pytest.mark.parametrize("url", [f"/card/{REF}/par999.png", "/card/99NOWHERE1.png"])
def test_unknown_card_is_a_404_page(client, url):
    response = client.get(url)
    assert response.status_code == 404 and response.mimetype == "text/html"
